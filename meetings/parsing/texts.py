"""What the parser says to the editor about the directive lists: one Thai line each, and the Thai name
of every cue it weighs (a warning names the cue that made the margin thin)."""

from __future__ import annotations

from typing import Final

THIN_LIST_KEPT: Final = "ข้อสั่งการข้อ {first}–{last} มาจากรายการลำดับเลขที่หลักฐานไม่ชัด ({cues}) โปรดตรวจสอบก่อนเผยแพร่"
"""A numbered list kept as directives although its evidence is thin."""
NO_MISSION_LIST_KEPT: Final = (
    "ข้อสั่งการข้อ {first}–{last} มาจากรายการลำดับเลขที่ไม่มีข้อใดเข้าหมวด 10Es เลย อาจเป็นรายชื่อหรือคำอธิบาย"
    " (เช่น ชื่อลาย ชื่อรางวัล หลักการ) ไม่ใช่ข้อสั่งการ โปรดตรวจสอบก่อนเผยแพร่"
)
"""A numbered list kept as directives although none of its items is about any of the department's
missions: names (of fabric patterns, awards, principles) more often than orders."""
NEAR_LIST_DROPPED: Final = (
    "รายการลำดับเลข {count} ข้อที่ขึ้นต้นว่า “{start}” ไม่ถูกนับเป็นข้อสั่งการ ({cues}) หากเป็นข้อสั่งการ โปรดเพิ่มเอง"
)
"""A numbered list dropped although some evidence says it is directives."""
LIST_GAP: Final = (
    "รายการลำดับเลขของข้อสั่งการข้ามจากข้อ {last} ไปข้อ {next} (“{start}”) ข้อที่อยู่ระหว่างนั้นและข้อ {next} เป็นต้นไป"
    " ไม่ถูกนับเป็นข้อสั่งการ โปรดตรวจสอบและเพิ่มเองก่อนเผยแพร่"
)
"""A kept list's numbers go on past a gap of two or more (``1. ... 2. ... 5. ... 6. ...``): what follows the
gap was not read."""
EVIDENCE: Final = "หลักฐานค้าน: {against}; หลักฐานสนับสนุน: {support}"
NO_CUE: Final = "ไม่มี"

CUES: Final = {
    "hands_down": "คำนำสั่งการ “{cue}”",
    "counted": "คำนำบอกจำนวนข้อ “{cue}”",
    "mentions": "คำนำกล่าวถึง “{cue}”",
    "reports": "คำนำเป็นการรายงานหรือวาระ “{cue}”",
    "framework": "คำนำทวนกรอบหรือหลักการ “{cue}”",
    "standing": "คำนำอ้างนโยบายที่กำหนดไว้แล้ว “{cue}”",
    "conditions": "คำนำเป็นเงื่อนไขหรือหลักเกณฑ์ “{cue}”",
    "habitual": "คำนำเป็นสิ่งที่ทำเป็นประจำ “{cue}”",
    "chair_speaks": "ประธานเป็นผู้กล่าว",
    "speaks_for_meeting": "ผู้กล่าว ({cue}) สั่งการแทนที่ประชุม",
    "someone_else": "ผู้กล่าวไม่ใช่ประธาน ({cue})",
    "asks_upward": "ผู้กล่าวขอต่อที่ประชุมหรือกระทรวง “{cue}” ไม่ใช่การสั่งการ",
    "items_order": "เนื้อหาเป็นคำสั่ง {cue} ข้อ",
    "items_noted": "เนื้อหาเป็นสิ่งที่ที่ประชุมรับทราบ {cue} ข้อ",
    "items_agreed": "เนื้อหาเป็นข้อตกลงของทั้งสองฝ่าย {cue} ข้อ",
    "items_define": "เนื้อหาเป็นคำนิยาม {cue} ข้อ",
    "worded": "ข้อ {cue} มีลำดับเป็นคำ (เช่น “มาตรการที่ 3”) ไม่ใช่เลขกำกับแบบข้ออื่น",
    "skipped": "ลำดับเลขข้ามข้อ {cue} (ข้อนั้นอาจตกหล่นหรือไม่มีเลขกำกับ)",
    "headless": "ข้อแรกไม่มีเลขกำกับ รายการเริ่มที่ข้อ 2 จึงอ่านข้อความก่อนหน้าเป็นข้อ 1 “{cue}”",
    "items_kinds": "แต่ละข้อขึ้นต้นด้วยประเภทหรือรางวัล {cue} ข้อ",
    "items_requests": "แต่ละข้อเป็นคำขอที่เสนอต่อที่ประชุม (ขึ้นต้นด้วย “การขอ”) {cue} ข้อ",
    "items_named": "แต่ละข้อขึ้นต้นด้วยชื่อหลักการหรือแนวคิด {cue} ข้อ",
    "items_appointed": "เนื้อหาเป็นการแต่งตั้งหรือโยกย้ายบุคคล {cue} ข้อ",
    "items_cases": "แต่ละข้อเป็นกรณี (ขึ้นต้นด้วย “กรณี”) {cue} ข้อ",
    "items_purposes": "เนื้อหาเป็นวัตถุประสงค์ (ขึ้นต้นด้วย “เพื่อ”) {cue} ข้อ",
    "items_dated": "เนื้อหาเป็นวันที่หรือช่วงเวลา {cue} ข้อ",
    "items_short": "เนื้อหาแต่ละข้อสั้นมาก",
    "items_people": "เนื้อหาเป็นรายชื่อบุคคล {cue} ข้อ",
    "items_places": "เนื้อหาเป็นรายชื่อพื้นที่ {cue} ข้อ",
    "items_sessions": "เนื้อหาเป็นช่วงหรือวาระของการประชุม {cue} ข้อ",
}
"""Thai names of the cues, by the key the parser gives each piece of evidence."""
