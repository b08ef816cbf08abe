"""The words and patterns the article parser looks for, kept as data in one place.

Nothing here is code: every list is a plain tuple of Thai phrases or regular-expression sources, so
that a reader can see (and a test can check) exactly which cue makes the parser decide what. The
parser modules compile them once.
"""

from __future__ import annotations

from typing import Final

# --- Page furniture ---------------------------------------------------------------------------------

TITLE_PREFIXES: Final = (
    "รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-",
    "ข่าวทำเนียบรัฐบาล-",
    "ข่าวผู้บริหาร",
    "รัฐบาลไทย-",
)
"""Site labels glued to the front of a headline (thaigov.go.th page title, the department's news category)."""

FURNITURE_LINE_PATTERNS: Final = (
    r"พิมพ์",
    r"(?:จำนวน)?ผู้เข้าชม\s*:?\s*[\d,]+(?:\s*ครั้ง)?",
    r"อ่านเพิ่มเติม.*",
    r"(?:คลิก|Click)\s*(?:>>|»)?\s*https?://\S+",
    r"https?://\S+",
    r"#\S+(?:\s+#\S+)*",
    r"[.\-_=*~•·]+",
    r"อัลบั้มภาพ|แกลเลอรี่ภาพ|ภาพข่าว",
    r"แชร์|Share|Tweet|Facebook|Line|Twitter",
)
"""Whole lines that are page furniture (print button, visitor counter, share links, hashtags, rules)."""

TRAILING_SECTION_STARTS: Final = ("ข่าวที่เกี่ยวข้อง", "ข่าวล่าสุด", "ข่าวยอดนิยม")
"""A line with one of these starts the site's related-news box: it and what follows (up to the
source line) is not the article."""

SOURCE_LINE_PATTERN: Final = r"ที่มา\s*:?\s*(?P<url>https?://\S+)"
"""``ที่มา : URL`` — the source page; kept as ``source_url`` when the caller gave none."""

PAGE_DATE_LINE_PATTERNS: Final = (
    r"วัน\S{3,9}ที่\s*[\d๐-๙]{1,2}\s+\S+\s+[\d๐-๙]{4}",
    r"[\d๐-๙]{1,2}/[\d๐-๙]{1,2}/[\d๐-๙]{4}",
)
"""The date lines thaigov.go.th prints under the headline: the publication date, not the meeting's."""

# --- Meeting date -----------------------------------------------------------------------------------

MEETING_DATE_CUES: Final = (
    r"วันนี้\s*\(\s*$",
    r"(?:วานนี้|เมื่อวาน)\s*\(\s*$",
    r"ที่ผ่านมา\s*\(\s*$",
    r"เมื่อวัน\S{0,10}ที่\s*$",
    r"(?:ใน|เมื่อ)?วัน\S{2,9}ที่\s*$",
    r"วันที่\s*$",
    r"^\s*\(\s*$",
)
"""Text right before a date that marks it as the day of the event being reported (``เมื่อช่วงบ่ายวานนี้ (24
กุมภาพันธ์ 2568)`` as ``เมื่อวานนี้ (...)``, ``เมื่อวันพุธที่ผ่านมา (23 กรกฎาคม 2568)``)."""

ORDER_PREAMBLE_BEFORE: Final = r"(?:เปิดเผย|เผย|แถลง|กล่าว|แจ้ง|ระบุ)ว่า\s*(?:ด้วย|ตามที่)(?!จะ)[^\n]{0,250}$"
ORDER_SENT: Final = (
    r"(?:สั่งการ|แจ้ง|ขอให้|กำชับ|มีหนังสือ)(?:ไป)?(?:ยัง|ถึง)?(?:ให้)?\s?(?:ผู้ว่าราชการจังหวัด|ผู้ว่าฯ|ทุกจังหวัด|จังหวัด)"
)
"""``วันนี้ (18 ม.ค.64) ศบค.มท. เปิดเผยว่า ด้วยในการประชุม ศปก.ศบค. เมื่อวันที่ 16 ม.ค. 64 ... จึงได้สั่งการ...``,
``... เปิดเผยว่า ตามที่กระทรวงแจ้งให้จังหวัด... และเมื่อวันที่ 12 พ.ย. 64 มติที่ประชุม ศบค. ...``: a statement that
opens like a letter (``ด้วย``, ``ตามที่``: whereas, as; not ``ว่าด้วย``, concerning) gives the grounds of an order
it sends to the provinces (``ORDER_SENT`` in the same paragraph); the day of those grounds is not the day of
the order told. Without an order sent (``เปิดเผยว่า ตามที่... เสด็จเป็นองค์ประธาน... เมื่อวันที่ 31 ต.ค.``, results
announced) the day of the event told stands."""

SCHEDULED_BEFORE: Final = r"(?:มีกำหนด(?:การ)?|กำหนดจัด|จะจัด|จะมีขึ้น)[^\n]{0,40}$"
"""``... ซึ่งการจัดงานมหกรรม... มีกำหนดจัดขึ้นระหว่างวันที่ 26 - 30 มิถุนายน 2567``: the day an event is planned for,
told at a meeting held before it: never the day of the event reported (an article with no other date is dated
by its page, and says so)."""

FORECAST_BEFORE: Final = r"(?:คาดการณ์|คาดว่า|พยากรณ์)[^\n]{0,80}$"
"""``คาดการณ์ว่าระดับน้ำในแม่น้ำมูลจะขึ้นสูงสุดในวันที่ 2 ต.ค. 66``: a day forecast, not the day of the event
reported."""

FUTURE_EVENT_CUE: Final = r"(?:วัน)?พรุ่งนี้\s*\(?[^)]{0,20}$"
"""``วันพรุ่งนี้ (วันพฤหัสบดีที่ 3 เมษายน 2568)``: a preview article, the meeting is the next day."""

PAST_EVENT_CUE: Final = r"(?:(?:เมื่อ)?วานนี้|เมื่อวาน|เมื่อ\S{0,20}วันที่|เมื่อวัน\S{2,9}ที่(?:ผ่านมา)?)\s*\(?\s*$"
"""``เมื่อวานนี้ (9 พ.ค. 65)``, ``วานนี้ (18 ก.พ. 65)``, ``เมื่อช่วงเย็นของวันที่ 1 ต.ค.``, ``เมื่อวันศุกร์ที่ผ่านมา (18 ธ.ค)``:
a day before the report, with its date beside it (the year, when not written, is the report's)."""

BACKGROUND_EVENT_BEFORE: Final = r"(?:ภายหลัง|หลัง)จาก(?:ที่)?[^\n]{0,60}เมื่อ\S{0,12}วันที่\s*$"
"""``วันนี้ (10 มี.ค. 67) NAME เปิดเผยถึงผลสำเร็จ... ภายหลังจากกระทรวงได้ Kick-Off เมื่อวันที่ 3 ม.ค. 67``: an
earlier day told as what came before (after which), not the day of the event the statement tells. Not
``ภายหลังเวลาปิดรับสมัครในวันที่ 4 ...`` (the event itself, on that day)."""

OCCASION_BEFORE: Final = r"เนื่องใน(?:โอกาส|วัน)[^\n]{0,80}$"
"""``เนื่องในโอกาสพระราชพิธีมหามงคลเฉลิมพระชนมพรรษา 6 รอบ 28 กรกฎาคม 2567 รัฐบาลได้กำหนดจัดงาน...``: the day of
the occasion (a royal birthday, a national day) an event is held for, not the day of the event."""

RESOLUTION_BEFORE: Final = r"ตาม(?:ที่)?มติ\S{0,30}\s?(?:เมื่อ)?วันที่\s*$"
"""``... ตามมติคณะรัฐมนตรี เมื่อวันที่ 14 พฤษภาคม 2539``: the day of a resolution cited as a ground (ตามมติ, as
resolved), not of the meeting reported (not ``ลงมติ... เมื่อวันที่``, the vote told)."""

MINUTES_ADOPTED_BEFORE: Final = r"รับรองรายงานการประชุม[^\n]{0,80}$"
"""``2. รับรองรายงานการประชุม ก.ท.จ.ลำปาง ครั้งที่ 3/2568 เมื่อวันที่ 24 มีนาคม 2568``: the minutes of the meeting
before, adopted on the agenda: its day is not this meeting's."""

PAST_EVENT_AFTER: Final = r"\s*(?:ที่ผ่านมา|ที่ผ่านไป)"
"""``ในการประชุม... ระหว่างวันที่ 23 – 25 มิถุนายน 2565 ที่ผ่านมา`` told on a later day: the date of the
meeting reported, not the day it is told (a range: its first day)."""

RELATIVE_DAYS: Final = (("เมื่อวานนี้", -1), ("เมื่อวาน", -1), ("วันนี้", 0))
"""A relative day written without its date, counted from the page date."""

REPORTING_VERBS: Final = ("เปิดเผยว่า", "เปิดเผยถึง", "เปิดเผยผล", "แถลงว่า", "แถลงผล", "กล่าวว่า", "แจ้งว่า")

TOLD_DAY_BEFORE: Final = (
    r"(?:เปิดเผย|เผย|แถลง|กล่าว|แจ้ง)ว่า\s*(?:เมื่อ)?(?:ช่วง\S{0,8}?)?(?:วานนี้|วาน(?!นี้|ซืน))"
    r"|(?:เปิดเผย|เผย|แถลง|กล่าว)ว่า[^\n]{0,40}?ประชุม[^\n]{0,100}?(?<!จาก)เมื่อ(?:วานนี้|วาน(?!นี้|ซืน))"
)
"""``วันนี้ (3 ต.ค. 66) NAME เปิดเผยว่า วานนี้ได้...``, ``... เปิดเผยว่า เมื่อวานนี้ (2 มิ.ย. 67) จังหวัด...``,
``... กล่าวว่า เมื่อช่วงค่ำวานนี้ ผู้ว่าราชการจังหวัด...``, ``... เปิดเผยว่า ตนได้แจ้งในการประชุมร่วมกับผู้ว่าราชการ
จังหวัด... เมื่อวานนี้ว่า...`` (the meeting told, yesterday; not ``... ต่อเนื่องจากเมื่อวานนี้``):
what is told at once after the statement's verb happened the day before the statement, whose date is the
one written (a meeting, a visit or a ceremony alike; ``วานซืน`` is two days before, not read)."""

OTHER_DATE_CUES: Final = (
    "ภายใน",
    "ภายในวันที่",
    "ก่อนวันที่",
    "ถึงวันที่",
    "ตั้งแต่",
    "ระหว่างวันที่",
    "จนถึง",
    "ครั้งต่อไป",
    "ครั้งหน้า",
    "กำหนด",
    "ประกาศ",
    "ณ วันที่",
    "ข้อมูล ณ",
    "มติ",
    "ที่ผ่านมา",
    "สิ้นสุด",
    "ราชกิจจานุเบกษา",
)
"""Text just before a date that makes it a deadline, a period, a record date or another event."""

MEETING_WORDS: Final = ("ประชุม", "ประธาน", "มอบนโยบาย", "มอบแนวทาง", "หารือ")

# --- Meeting number ---------------------------------------------------------------------------------

OTHER_MEETING_BEFORE: Final = ("มติ", "ครั้งต่อไป", "ครั้งหน้า", "ครั้งก่อน", "ตามที่", "เมื่อคราว")
OTHER_MEETING_AFTER: Final = ("ที่ผ่านมา", "เมื่อวันที่", "เมื่อวัน", "ซึ่งจะ", "ต่อไป")
OTHER_EVENT_ROUND_BEFORE: Final = (
    "แข่งขัน",
    "ประกวด",
    "รางวัล",
    "เกมส์",
    "มหกรรม",
    "เทศกาล",
    "นิทรรศการ",
    "อบรม",
    "หลักสูตร",
)
"""Written shortly before ``ครั้งที่ N`` with no ประชุม there: the edition of a contest, an award, games, a fair,
festival or course (``การแข่งขันทักษะทางวิชาการ ครั้งที่ 29 ระดับภาคตะวันออก ประจำปีงบประมาณ พ.ศ. 2567``), not a
meeting's round."""
OTHER_MEETING_LATER_AFTER: Final = r"[^\n]{0,50}?(?:กำหนดจัด|มีกำหนด|จะจัดขึ้น|จะมีขึ้น)"
"""Within a few words after a meeting's number: it is still to be held (``การประชุมผู้บริหาร... ครั้งที่ 2/2568
ประจำเดือนกุมภาพันธ์ 2568 กำหนดจัดขึ้นในวันพุธที่ 19 ...``), the next meeting, not this one."""
BUSY_ELSEWHERE_BEFORE: Final = "ติดภารกิจ"
"""``... เนื่องจากอธิบดีติดภารกิจเข้าร่วมการประชุมคณะกรรมการ... (ก.ก.ถ.) ครั้งที่ ๑/๒๕๖๘``: the meeting that keeps
someone away (why he delegated), not the one reported: neither its number nor its body."""
PREPARED_MEETING_BEFORE: Final = ("เตรียม", "สำหรับ", "เสนอต่อ", "เสนอใน", "ก่อนการ", "ครั้งต่อไป", "เร่ง", "จะ")
"""Just before the word ประชุม: a meeting being prepared for or still to be held (its number and its body
are not this meeting's)."""

# --- Chair ------------------------------------------------------------------------------------------

_HONORIFICS: Final = (
    "นางสาว",
    "น.ส.",
    "นาง",
    "นาย",
    "พลเอก",
    "พล.อ.",
    "พลตำรวจเอก",
    "พล.ต.อ.",
    "พลตำรวจโท",
    "พล.ต.ท.",
    "พลตำรวจตรี",
    "พล.ต.ต.",
    "พลโท",
    "พล.ท.",
    "พลตรี",
    "พล.ต.",
    "พลเรือเอก",
    "พล.ร.อ.",
    "พลอากาศเอก",
    "พล.อ.อ.",
    "พันตำรวจเอก",
    "พ.ต.อ.",
    "พันเอก",
    "พ.อ.",
    "ร้อยเอก",
    "ร.อ.",
    "ร้อยตำรวจเอก",
    "ร.ต.อ.",
    "เรือเอก",
    "ร.อ.",
    "ว่าที่ร้อยตรี",
    "ว่าที่ ร.ต.",
    "ศาสตราจารย์",
    "รองศาสตราจารย์",
    "ผู้ช่วยศาสตราจารย์",
    "ศาสตราจารย์พิเศษ",
    "ศ.พิเศษ",
    "ศ.",
    "รศ.",
    "ผศ.",
    "นายแพทย์",
    "แพทย์หญิง",
    "นพ.",
    "พญ.",
    "ทันตแพทย์หญิง",
    "ดร.",
    "ม.ร.ว.",
    "ม.ล.",
    "หม่อมราชวงศ์",
    "หม่อมหลวง",
    "คุณหญิง",
    "ท่านผู้หญิง",
)
_RANK_STEMS: Final = (
    "พล",
    "พัน",
    "ร้อย",
    "จ่าสิบ",
    "สิบ",
    "พลเรือ",
    "นาวา",
    "เรือ",
    "พันจ่า",
    "จ่า",
    "พลอากาศ",
    "นาวาอากาศ",
    "เรืออากาศ",
    "พันจ่าอากาศ",
    "จ่าอากาศ",
    "พลตำรวจ",
    "พันตำรวจ",
    "ร้อยตำรวจ",
    "จ่าสิบตำรวจ",
    "สิบตำรวจ",
)
_RANK_ABBREVIATIONS: Final = (
    "พ.ท.",
    "พ.ต.",
    "ร.ท.",
    "ร.ต.",
    "จ.ส.อ.",
    "พ.จ.อ.",
    "น.อ.",
    "น.ท.",
    "น.ต.",
    "พ.ต.ท.",
    "พ.ต.ต.",
    "ร.ต.ท.",
    "ร.ต.ต.",
    "พล.ร.ท.",
    "พล.ร.ต.",
    "พล.อ.ท.",
    "พล.อ.ต.",
    "ด.ต.",
)
MILITARY_AND_POLICE_RANKS: Final = tuple(
    f"{acting}{rank}"
    for acting in ("", "ว่าที่", "ว่าที่ ")
    for rank in (
        *(f"{stem}{grade}" for stem in _RANK_STEMS for grade in ("เอก", "โท", "ตรี")),
        "ดาบตำรวจ",
        *_RANK_ABBREVIATIONS,
    )
)
"""Every rank of the army, navy, air force and police, in full (stem and grade: ``พันจ่าเอก``, ``นาวาอากาศโท``,
``ร้อยตำรวจตรี``) and abbreviated (``พ.จ.อ.``, ``น.ท.``), also acting (``ว่าที่พันตรี``): they open a name as
นาย does (``พันจ่าเอก ประเสริฐ มาลัย หัวหน้าผู้ตรวจราชการ...``)."""

PERSON_TITLES: Final = (*_HONORIFICS, *(r for r in MILITARY_AND_POLICE_RANKS if r not in _HONORIFICS))
"""Honorifics that open a Thai person's name (longest is tried first)."""

ROYAL_TITLES: Final = (
    "พระบาทสมเด็จพระ",
    "สมเด็จพระ",
    "พระเจ้าวรวงศ์เธอ",
    "พระเจ้าหลานเธอ",
    "พระองค์เจ้า",
    "หม่อมเจ้า",
)
"""How a royal's name opens (``สมเด็จพระกนิษฐาธิราชเจ้า กรมสมเด็จพระเทพรัตนราชสุดาฯ สยามบรมราชกุมารี``,
``พระเจ้าวรวงศ์เธอ พระองค์เจ้าโสมสวลี ...``): presiding (``เสด็จเป็นองค์ประธาน``), the royal's name and titles
are the chair, with no position."""
ROYAL_PRESIDES: Final = r"(?:\s*เสด็จ(?:พระราชดำเนิน|ฯ)?(?:ไป|มา)?)?(?:\s*ทรง)?\s*(?:เป็น)?องค์ประธาน"
"""``... เสด็จเป็นองค์ประธานในพิธีเปิดงาน``, ``... ทรงเป็นองค์ประธาน...``: a royal presides (องค์ is the royal
classifier)."""
ROYAL_OPENING_BEFORE: Final = r"วันนี้|วันที่|เวลา|(?:^|\n)\s*$"
"""Before a royal who presides, the opening sentence's day or time, or the paragraph's start: the royal is
the sentence's subject, not one cited in a clause."""

MONK_ADDRESS_WORDS: Final = ("ท่านเจ้าคุณ", "พระเดชพระคุณ")
"""How a senior monk is addressed, written tight before his title of rank (``ท่านเจ้าคุณพระพรหมวัชรเมธี``,
``พระเดชพระคุณพระธรรมวชิรเมธี``): his name starts after it."""

MONASTIC_TITLE_PATTERNS: Final = (
    r"(?:เจ้าประคุณ\s?)?สมเด็จพระ(?!เจ้า|บรม|ราช|นาง|สังฆราช|กนิษฐา|เทพ|ศรี|ปิตุ|ยุพ)",
    r"พระ(?:พรหม|ธรรม|เทพ|ครู)(?!คำ|รัตน|ทูต)",
)
"""A monk's title of rank, which opens his name as an honorific does (``เจ้าประคุณสมเด็จพระมหาวีรวงศ์``,
``พระพรหมวชิรญาณ``, ``พระครูสมุห์...``): monks preside over the ministry's committees with the clergy.
Royal names (``สมเด็จพระเจ้าพี่นางเธอ``, ``สมเด็จพระกนิษฐาธิราชเจ้า``) and words (``พระธรรมคำสอน``) are not
matched."""

TITLE_LOOKALIKE_WORDS: Final = (
    "กรัฐมนตรี",
    "กฯ",
    "กองค์การ",
    "กเทศมนตรี",
    "กสมาคม",
    "กสมาพันธ์",
    "กสหพันธ์",
    "กสันนิบาต",
    "กสภา",
    "กแพทยสภา",
    "กเหล่า",
    "กสโมสร",
    "กชมรม",
    "กอบจ",
    "กอบต",
    "ก อบ",
    "กเมือง",
    "อำเภอ",
    "ทะเบียน",
    "จ้าง",
    "หน้า",
    "ทหาร",
    "ตำรวจ",
    "ช่าง",
    "งาน",
)
"""What follows นาย/นาง in a position, not a name: นายกรัฐมนตรี, นายอำเภอ, นายทะเบียน, นางงาม..., and the
president of an organisation written after a name (``นายกเหล่ากาชาดจังหวัด``, ``นายกสภามหาวิทยาลัย``,
``นายกสโมสรโรตารี``, ``นายกชมรม...``): not a person called ก... (``นายกมล``, ``นายกฤษฎา`` are names)."""

CHAIR_VERBS: Final = (
    r"(?:ได้)?(?:จะ)?(?:ร่วม)?เป็น(?:องค์)?ประธาน",
    r"(?:ปฏิบัติ|ทำ)หน้าที่(?:เป็น)?ประธาน",
    r"นั่งหัวโต๊ะ",
    r"ในฐานะประธาน",
    r"(?<!เป็น)ประธานที่ประชุม",
)
"""``NAME POSITION เป็นประธาน...``, ``NAME POSITION ในฐานะประธานคณะ...``, ``NAME ประธานที่ประชุม``: the
person presiding. Except after ``เป็นประธาน`` the name must come close before (its position only)."""

POSITION_STARTS: Final = (
    "รัฐมนตรี",
    "รมว.",
    "รมช.",
    "ปลัด",
    "อธิบดี",
    "ผู้",
    "นายก",
    "เลขาธิการ",
    "หัวหน้า",
    "โฆษก",
    "ประธาน",
    "รอง",
    "อุปนายก",
    "ที่ปรึกษา",
    "กรรมการ",
    "สมาชิก",
    "อดีต",
    "นายอำเภอ",
    "ศึกษาธิการ",
    "พัฒนาการ",
    "ท้องถิ่น",
)
"""Words a position opens with: a name part before one of them is a third name (a double surname)."""

LEAD_VERBS: Final = (
    r"(?:ได้)?(?:จะ)?(?:ร่วม)?ประชุม",
    r"นำประชุม",
    r"มอบนโยบาย",
    r"มอบแนวทาง",
    r"เปิดเผยว่า",
    r"เดินทาง",
    r"สั่งการ",
    r"มีกำหนดการ",
)
"""Verbs after the first person of the opening sentence when no one is said to preside."""

NOT_PRESENT_BEFORE: Final = r"(?:ให้การต้อนรับ|ของ|ตาม)\s*$"
"""``... ให้การต้อนรับ NAME ... ในฐานะประธานอนุกรรมการ...`` (a guest received), ``ตามข้อสั่งการของ NAME ...
ในฐานะประธานคณะกรรมการ...`` (whose orders are cited): a capacity said of someone the article names as a
guest or as the source of orders is his standing office, not this meeting's chair."""

JOINS_BEFORE: Final = r"เข้า(?:ร่วม(?:การ)?)?$"
"""``NAME เข้าร่วมการประชุม...``: joins a meeting someone else holds (a delegate), does not lead it."""

HOST_VERBS: Final = (r"(?<!ได้รับ)(?:ร่วม)?ให้การต้อนรับ",)
"""``NAME POSITION (พร้อมด้วย ...) ให้การต้อนรับ GUEST ... ในการประชุม/เพื่อหารือ``: a delegation received for
a talk; when no one is said to preside or lead, the host who receives it leads (the guests do not, even
a ``ประธานผู้ตรวจการแผ่นดิน``). Only for a talk or a meeting said after it; not ``ได้รับการต้อนรับ`` (was
received: a guest). Looked for only after no one in the opening sentence leads."""

HOSTED_TALK: Final = r"ประชุม|หารือ|ดูงาน"
"""What the host receives a delegation for, said after ``ให้การต้อนรับ`` (within 400 characters): a meeting, a
talk, a study visit (``ในโอกาสเข้าศึกษาดูงาน...``)."""

POSITION_HEADS: Final = ("รัฐมนตรี", "รองปลัด", "ปลัด", "รองอธิบดี", "อธิบดี", "รองผู้ว่าราชการ", "ผู้ว่าราชการ")
POSITION_HEAD_CONTINUATIONS: Final = ("ช่วยว่าการ", "ว่าการ", "กระทรวง", "กรม", "จังหวัด")
"""A position whose head is written apart from what it heads (``รัฐมนตรี ช่วยว่าการกระทรวงมหาดไทย``,
``อธิบดี กรมการปกครอง``, ``ผู้ว่าราชการ จังหวัดสงขลา``): a stray space inside one position, kept as
written."""

LATE_CHAIR_VERB: Final = r"เป็นประธาน(?:ใน)?(?:การ)?ประชุม"
"""``จากนั้น ... NAME POSITION เป็นประธานการประชุม...``: an article that opens with a visit or a ceremony
and reaches the meeting later; read beyond the opening paragraphs only when they name no one presiding
or leading."""

POSITION_ORDINAL: Final = (
    r"(?:คนที่\s?(?:[0-9๐-๙]{1,2}|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ)(?![\u0e01-\u0e4e])"
    r"|(?:(?<=ภาค\s)|(?<=เขต\s)|ภาค\s?|เขต\s?)[0-9๐-๙]{1,2}(?![0-9๐-๙.,:/\u0e01-\u0e4e]))"
)
"""Which of several holders of one office (``รองประธานวุฒิสภา คนที่สอง``, ``รองนายกรัฐมนตรี คนที่ 1``), or which
region an office covers, by number (``เจ้าคณะภาค 9``, ``ผู้อำนวยการศูนย์ป้องกันและบรรเทาสาธารณภัย เขต 12``): part
of the position, written after it with a space."""
TEMPLE_RANKS: Final = ("ราชวรมหาวิหาร", "ราชวรวิหาร", "วรมหาวิหาร", "วรวิหาร", "ราชวิหาร", "พระอารามหลวง")
"""A royal temple's rank, written after its name with a space (``เจ้าอาวาสวัดพระเชตุพนวิมลมังคลาราม
ราชวรมหาวิหาร``): part of the abbot's position."""

POSITION_MORE_STARTS: Final = (
    "รมว.",
    "รมช.",
    "รัฐมนตรี",
    "รักษาราชการแทน",
    "รักษาการ",
    "ปฏิบัติหน้าที่แทน",
    "ช่วยราชการ",
    "ปฏิบัติราชการ",
    "ที่ปรึกษา",
    "เลขานุการ",
    "กรรมการ",
    "ประธาน",
    "เจ้าอาวาส",
    "เจ้าคณะ",
    "ผู้ช่วย",
    "หัวหน้า",
    "ด้าน",
)
"""A position written in several parts after one name (``ผู้ช่วยเจ้าอาวาสวัด... เลขานุการสมเด็จพระสังฆราช
กรรมการมหาเถรสมาคม``, ``ที่ปรึกษา... รักษาราชการแทนรองเลขาธิการ... (กปร.)``, ``รองนายกรัฐมนตรีและ
รมว.มหาดไทย``, a portfolio ``รองปลัดกระทรวงมหาดไทย ด้านบริหาร``, a secondment ``รองผู้ว่าราชการจังหวัด...
ช่วยราชการสำนักงานปลัดกระทรวงมหาดไทย``): a part after a space that opens with one
of these is more of the same position."""

ORGANISATION_AFTER_POSITION: Final = ("กระทรวง", "กรม", "สำนักงาน", "มหาวิทยาลัย")
HOUSES_OF_PARLIAMENT: Final = ("วุฒิสภา", "สภาผู้แทนราษฎร")
"""``ที่ปรึกษาด้านการปกครอง กระทรวงมหาดไทย``, ``เลขาธิการ สศช.``: a role, then after a space the ministry or
department it is of (or its abbreviation, or the house of parliament of a committee: ``ประธานคณะกรรมาธิการ...
วุฒิสภา``), is one position (only when the role names none:
``อธิบดีกรม... (สถ.) กระทรวงมหาดไทย`` stays ``อธิบดีกรม...``)."""

POSITION_SHORT_FORMS: Final = (
    ("รมว.", "รัฐมนตรีว่าการกระทรวง"),
    ("รมช.", "รัฐมนตรีช่วยว่าการกระทรวง"),
    ("ผวจ.", "ผู้ว่าราชการจังหวัด"),
    ("ผู้ว่าฯ", "ผู้ว่าราชการจังหวัด"),
    ("นายกฯ", "นายกรัฐมนตรี"),
    ("มท.1", "รัฐมนตรีว่าการกระทรวงมหาดไทย"),
)
"""How officials shorten a position (``ปลัด มท.`` is the ปลัดกระทรวงมหาดไทย, ``รมว.มหาดไทย`` the
รัฐมนตรีว่าการกระทรวงมหาดไทย): a speaker so named is the chair whose position is written in full."""

DELEGATED_CHAIR: Final = r"มอบหมาย(?:ให้)?[^\n]{0,200}?เป็นประธาน"
"""``NAME ในฐานะประธานคณะอนุกรรมการ... มอบหมายให้ NAME2 ปลัด... เป็นประธานการประชุม``: the chair of the
committee delegates; the person assigned presides over this meeting."""

GUEST_OF_HONOUR: Final = r"(?:ให้เกียรติ|รับเชิญ)\s?$"
"""``โดยได้รับเกียรติจาก NAME ให้เกียรติเป็นประธานในพิธีเปิดงาน``: a guest of honour opening an event, not the
chair of the meeting reported (who presides ``ในพิธี`` without it, e.g. a monk at the clergy's meeting,
is the chair)."""

CEREMONY_NOT_MEETING: Final = r"\s?(?:ใน|ของ)?พิธี(?:เปิด|ปิด)?(?!\S{0,20}(?:ประชุม|สัมมนา))"
"""``ให้เกียรติเป็นประธานในพิธีเปิดงาน``: presiding over an event's ceremony (often another day's), not
over the meeting; ``เป็นประธานในพิธีเปิดการประชุม`` still presides over the meeting."""

HEADLINE_LEAD_VERBS: Final = (r"ประชุม", r"เป็นประธาน", r"นั่งหัวโต๊ะ")
"""``ปลัดมหาดไทย นำประชุม...``, ``ผู้ว่าฯ สมุทรสงคราม ลงพื้นที่... พร้อมทั้งประชุมติดตาม...``: a headline that
opens with a position and says a meeting was held names who leads it, when the body names no one
presiding or leading (the body then says who holds that position)."""

HEADLINE_EVENT_VERBS: Final = (
    r"ลงพื้นที่",
    r"ลงนาม",
    r"มอบ(?!หมาย)",
    r"เปิด(?!เผย)",
    r"ตรวจเยี่ยม",
    r"ตรวจราชการ",
    r"ติดตาม",
    r"หารือ",
    r"[Kk]ick\s?[Oo]ff",
)
"""``ผู้ว่าฯ เชียงราย มอบโล่...``, ``นายอำเภอเมือง... “Kick Off ...”``, ``ผู้อำนวยการสำนักงาน... ลงนาม MOU``, ``รมช.
มท. ... ลงพื้นที่...``: a headline that opens with a position and says its holder did something at an event
(not a statement: เผย, แถลง) names who leads the event, when the body names no one presiding or leading. Tried
after the meeting verbs of ``HEADLINE_LEAD_VERBS``."""

TELLS_VERBS: Final = r"(?:ได้)?(?:เปิด)?เผยว่า|(?:ได้)?แถลง(?:ข่าว)?ว่า|(?:ได้)?กล่าวว่า|ระบุว่า|รายงานว่า"
"""``NAME โฆษก... เผยว่า วันนี้ ... ก่อนการประชุม...``: the first person named tells of what others did; a verb
of leading after it is in what he tells, not his own act (as ``เปิดเผยว่า`` itself is never a lead)."""

NOT_A_LEADER_POSITIONS: Final = ("โฆษก", "ผู้สื่อข่าว", "ภริยา", "ภรรยา")
"""Who the opening may name first without leading anything: one who reports (a spokesperson, a reporter)
or accompanies (a spouse). Passed over when the first person named is taken as the last resort."""

HEADLINE_STATEMENT_VERBS: Final = r"เผย|แถลง|แจง|ตอบ|ระบุ|ยืนยัน|กล่าว"
"""``ปลัด มท. เผย อนุพงษ์ ลงนาม...``: a headline whose subject speaks before anyone acts tells a statement; the
event verb after it is someone else's."""

NOT_A_SURNAME: Final = (
    "กล่าว",
    "เปิดเผย",
    "แถลง",
    "เน้นย้ำ",
    "สั่งการ",
    "เป็นประธาน",
    "ได้",
    "จะ",
    "และ",
    "พร้อมด้วย",
    "ซึ่ง",
    "โดย",
    "ในฐานะ",
)
"""Words written after a given name that are the next clause, not a surname (``น.ส.ไตรศุลี กล่าวว่า``:
a spokesperson named by her given name alone, then what she said)."""

POSITION_STOP_WORDS: Final = (
    "โดยมี",
    "พร้อมด้วย",
    "ร่วมกับ",
    "ในฐานะ",
    "ได้",
    "จะ",
    "ร่วม",
    "เป็น",
    "กล่าว",
    "และคณะ",
)
"""Where a position written after a name ends: the next clause, a verb, or ``และคณะ...`` (his team)."""

# --- Body (the organisation holding the meeting) ----------------------------------------------------

BODY_KINDS: Final = (
    "คณะกรรมการ",
    "คณะกรมการ",
    "คณะอนุกรรมการ",
    "คณะทำงาน",
    "กองบัญชาการ",
    "กองอำนวยการ",
    "ศูนย์อำนวยการ",
    "ศูนย์ปฏิบัติการ",
    "สมาคม",
    "สภา",
)
"""What can follow ประชุม as the name of the body meeting (a committee, board, centre, association)."""

BODY_NAME_STOPS: Final = (
    "โดย",
    "ณ",
    "ประจำปี",
    "ประจำเดือน",
    "เพื่อ",
    "ร่วม",
    "เมื่อ",
    "ที่ห้อง",
    "ผ่าน",
    "เวลา",
    "และ",
    "ซึ่ง",
    "ใน",
    "ชั้น",
    "อาคาร",
    "ไปแล้ว",
    "มุ่ง",
    "เน้น",
)
"""Words that end a body's name after ประชุม: what comes next is the meeting's purpose, place (``ชั้น 6``,
``อาคาร...``), time, or the headline's comment (``... มุ่งพัฒนา``, ``... เน้นย้ำ``)."""

MEETING_PLACE_BEFORE: Final = ("ห้อง", "หอ")
"""``ห้องประชุมคณะกรรมการพิจารณาร่างกฎหมาย``, ``ห้องประชุมสภามหาวิทยาลัย``, ``หอประชุม...``: a room named
after a body, where a meeting is held, not the meeting of that body."""

CITY_ORGANISATIONS: Final = ("กรุงเทพมหานคร",)
"""A city that is also an organisation (กทม.): named where a venue is, it is the place, not the body."""
VENUE_BEFORE_CITY: Final = r"(?:ณ|ที่|โรงแรม|ห้อง|อาคาร|ศูนย์|ถนน|ถ\.|เขต|แขวง|อำเภอ|จังหวัด)[^\n]{0,80}$"
"""Before a city's name, within its clause: the venue it locates (``ณ ห้องแกรนด์บอลรูม โรงแรม... แจ้งวัฒนะ
กรุงเทพมหานคร``)."""

QUANTITY_UNITS: Final = (
    "ล้าน",
    "แสน",
    "หมื่น",
    "พัน",
    "เท่า",
    "บาท",
    "ตัน",
    "ไร่",
    "กิโล",
    "กม",
    "เมตร",
    "องศา",
    "เปอร์เซ็นต์",
    "คน",
    "ราย",
    "ครั้ง",
    "ปี",
    "เดือน",
    "วัน",
    "ชั่วโมง",
    "ชม",
    "นาที",
    "ลิตร",
    "ลูกบาศก์",
    "ล.",
    "ลบ.",
    "หน่วย",
)
"""Words after a number that make it a quantity (``1.2 ล้านตัน``, ``2.5 เท่า``): a decimal, not item 2 of
point 1."""

WORDED_ITEM_NOUNS: Final = ("มาตรการ", "ข้อ", "ประการ", "แนวทาง", "ประเด็น", "เรื่อง", "ด้าน", "ภารกิจ", "นโยบาย")
"""What an item numbered in words is called (``มาตรการที่ 3 คือ ...``, ``ประเด็นที่ 4 ...``) among items numbered
``1.`` ``2.`` ``4.``: the writer names the item he comes back to after a paragraph break."""

WORDED_ITEM_CONNECTIVES: Final = ("และ", "ส่วน", "สำหรับ")
"""Written tight before an item numbered in words (``และข้อที่ 3 ได้แก่``, ``ส่วนมาตรการที่ 3 คือ``)."""

ATTENDEE_LIST_STARTS: Final = ("โดยมี", "พร้อมด้วย")
"""``การประชุม... โดยมี NAME อธิบดีกรมโยธาธิการและผังเมือง ...``: the people who attend, whose departments
are not the one holding the meeting."""

ATTENDEE_LIST_SHORT: Final = "พร้อม"
"""``NAME POSITION พร้อม NAME2 POSITION2 NAME3 ... ได้เดินทางไปมอบแนวทาง...``: พร้อมด้วย written short, a name
following at once: those who come with the one who leads."""

ORGANISATIONS: Final = (
    ("กรมส่งเสริมการปกครองท้องถิ่น", "สถ."),
    ("กระทรวงมหาดไทย", "มท."),
    ("คณะรัฐมนตรี", "ครม."),
    ("สำนักงานคณะกรรมการป้องกันและปราบปรามยาเสพติด", "ป.ป.ส."),
    ("กระทรวงเกษตรและสหกรณ์", "กษ."),
    ("กระทรวงอุตสาหกรรม", "อก."),
    ("กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม", "ทส."),
    ("กระทรวงสาธารณสุข", "สธ."),
    ("กระทรวงการคลัง", "กค."),
    ("กระทรวงกลาโหม", "กห."),
    ("กระทรวงพลังงาน", "พน."),
    ("กระทรวงศึกษาธิการ", "ศธ."),
    ("กระทรวงแรงงาน", "รง."),
    ("กระทรวงคมนาคม", "คค."),
    ("กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", "พม."),
    ("กรมการปกครอง", "ปค."),
    ("กรมป้องกันและบรรเทาสาธารณภัย", "ปภ."),
    ("กรมการพัฒนาชุมชน", "พช."),
    ("กรมโยธาธิการและผังเมือง", "ยผ."),
    ("กรมที่ดิน", "ทด."),
    ("การยาสูบแห่งประเทศไทย", "ยสท."),
    ("กรุงเทพมหานคร", "กทม."),
)
"""Organisations and the short names officials use for them: the first one named in a text wins."""

ORGANISATION_ALIASES: Final = (("มหาดไทย", "มท."), ("มท.", "มท."), ("สถ.", "สถ."))
"""Short forms used in positions (``รมว.มหาดไทย``, ``ปลัด มท.``); too loose for running text
(``แม่บ้านมหาดไทย`` is an association)."""

# --- Directives -------------------------------------------------------------------------------------

SPEECH_VERBS: Final = r"(?:ได้)?(?:กล่าว|เปิดเผย|แถลง|เน้นย้ำ|มอบ|สั่งการ|ย้ำ)"
PARAGRAPH_CONNECTIVES: Final = ("จากนั้น", "สุดท้าย", "ด้าน", "ทั้งนี้", "นอกจากนี้", "โอกาสนี้", "ในการนี้", "ต่อมา")

SPEAKER_ROLE_WORDS: Final = (
    "รัฐมนตรี",
    "ปลัด",
    "อธิบดี",
    "ผู้ว่าราชการ",
    "ผู้ว่าฯ",
    "นายก",
    "เลขาธิการ",
    "ผู้อำนวยการ",
    "หัวหน้า",
    "โฆษก",
    "ประธาน",
    "ผู้แทน",
    "นายอำเภอ",
    "ผู้บัญชาการ",
    "ผู้บังคับการ",
)
"""A paragraph's speaker naming one of these is a person: their words are not the chair's, unless
they are the chair."""

STRONG_DIRECTIVE_CUES: Final = (
    r"(?<!ตาม)ข้อสั่งการ",
    r"(?<!ได้รับ)(?<!ตามที่)(?<!ตามข้อ)สั่งการ",
    r"กำชับ",
    r"มอบนโยบาย",
    r"มอบแนวทาง",
    r"(?<!ได้รับ)(?<!ตามที่ได้รับ)มอบหมาย(?!จาก)",
    r"เน้นย้ำ",
    r"ย้ำเตือน",
    r"แจ้งให้",
    r"ขอความร่วมมือ",
    r"ขอให้",
    r"(?:ดำเนินการ|ปฏิบัติ)ตาม(?:แนวทาง|มาตรการ)\S{0,40}\s*ดังนี้",
)
"""In the lead-in of a numbered list: the speaker hands the items down. Worth 3 points. Orders of
someone else referred to (``ตามข้อสั่งการของ...``, ``ตามที่ได้รับมอบหมาย``) do not count."""

COUNTED_DIRECTIVE_CUE: Final = (
    r"\d+\s*(?:แนวทาง|มาตรการ|ข้อสั่งการ|ประการ|นโยบาย|ข้อ|ภารกิจ)\s*(?:(?:หลัก|สำคัญ)\s*)?"
    r"(?:ได้แก่|ดังนี้|คือ|ประกอบด้วย|:)"
)
"""``มอบ 4 แนวทาง ได้แก่``, ``4 มาตรการ ได้แก่``, ``นโยบาย 7 ข้อสำคัญ ดังนี้``. Worth 2 points."""

WEAK_DIRECTIVE_CUES: Final = (r"แนวทาง", r"มาตรการ", r"ภารกิจ", r"นโยบาย", r"ดังนี้", r"ด้วยการ(?:ดำเนินการ)?\s*$")
"""Worth 1 point each kind, in the last words before the list. ``ด้วยการ`` / ``ด้วยการดำเนินการ`` right
before the items (``...ให้ยั่งยืน ด้วยการ 1) ดูแลรักษา... 2) คำนึงถึง...``) says they are the ways to do
what was just asked: courses of action."""

REPORT_CUES: Final = (
    r"ได้รับทราบ",
    r"รับฟัง",
    r"ความก้าวหน้า",
    r"รายงานผล",
    r"ผลการดำเนินงาน",
    r"สรุป(?:ได้|ผล)",
    r"อำนาจหน้าที่",
    r"เข้าที่ประชุม",
    r"เสนอต่อที่ประชุม",
    r"วาระ",
    r"(?:เพื่อ|มีการ|ที่ประชุม(?:ได้)?)พิจารณา",
    r"(?:นำ)?เสนอ(?:ข้อเสนอ|ต่อ)|ข้อเสนอ",
    r"ได้ดำเนินงาน",
    r"เหตุผล|สาเหตุ",
    r"(?:พิจารณา|มีมติ)?เห็นชอบ",
    r"\d+\s*(?:ช่วง|ระยะ|สถานี|รูปแบบ|แหล่ง|โครงการ|กิจกรรม|มิติ|ขั้นตอน|จังหวัด|อำเภอ|ผลงาน|รางวัล|ประเภท"
    r"|คณะ|ท่าน|ราย|คน|กลุ่ม|กระบวนการ|องค์กร|ชนิด|ลักษณะ|ฉบับ|ระดับ)",
    r"(?:แบ่ง|จำแนก)(?:ออก)?(?:ได้)?(?:เป็น)\s*\d+",
    r"(?:เป้าหมาย|วัตถุประสงค์)(?:หลัก|สำคัญ)?\s*(?:ทั้ง)?\s*\d+",
    r"กำหนดการ|กิจกรรมใน(?:งาน|การประชุม)|ช่วง(?:เช้า|บ่าย|ค่ำ)\s*(?:จะ|เป็น)",
    r"(?<!ให้)รายงาน(?:ต่อที่ประชุม|ให้ที่ประชุมทราบ)?\s*ดังนี้",
    r"สำเร็จลุล่วง",
    r"ผู้เข้าร่วม(?:ประชุม|สัมมนา|งาน)?[^\n]{0,30}(?:ประกอบด้วย|ได้แก่)",
)
"""In the lead-in: the list reports, schedules, describes, gives reasons or causes, proposes to the
meeting, records what it approved, or counts things that are not orders (periods, projects, people,
groups, documents: ``MOU 3 ฉบับ ได้แก่``, ``กฎหมาย 2 ฉบับ คือ``...), states a body's goals or objectives
(``เป้าหมายหลัก 2 ประการ``), says how a plan is divided (``แบ่งออกเป็น 3 ด้าน``) or gives an event's
programme (``กิจกรรมในงาน ช่วงเช้า จะเป็นการ...``, ``กำหนดการ``). Minus 3. A count of aspects
(``4 ด้าน``, ``3 เรื่อง``, ``5 ประเด็น``) says how many items follow, not what they are: neutral."""

STANDING_POLICY_CUES: Final = (
    r"ได้กำหนด\s*\d+\s*(?:นโยบาย|ยุทธศาสตร์)",
    r"ได้กำหนด\S{0,30}ไว้\s*\d+\s*(?:มาตรการ|นโยบาย|ยุทธศาสตร์|ด้าน)",
    r"ตาม\s*\d+\s*(?:นโยบาย|ยุทธศาสตร์)",
    r"ยุทธศาสตร์(?:สำคัญ|หลัก)?\s*(?:ทั้ง)?\s*\d+",
    r"(?:วัตถุประสงค์|นโยบาย)(?:และนโยบาย)?ของ(?:สมาคม|มูลนิธิ|องค์กร|ชมรม)",
    r"ตาม(?:พระราชบัญญัติ|พ\.ร\.บ\.|ระเบียบ|กฎหมาย|ประกาศ)[^\n]{0,80}(?:ได้)?กำหนด",
    r"วัตถุประสงค์[^\n]{0,40}\d+\s*(?:ประการ|ข้อ)",
)
"""In the lead-in: an organisation's standing policies described (``ได้กำหนด 5 นโยบายหลัก คือ``,
``ตาม 5 นโยบายหลัก``, ``ตามวัตถุประสงค์และนโยบายของสมาคม...``) or a plan's strategies (``ยุทธศาสตร์สำคัญ
ทั้ง 5 ข้อ คือ``), what a law or a regulation already requires (``ตามพระราชบัญญัติมาตรฐานทางจริยธรรม พ.ศ.
2562 ได้กำหนดให้... 7 ประการ คือ``), a project's objectives (``กำหนดวัตถุประสงค์ของโครงการฯ ไว้ 3 ประการ``): not
handed down at this meeting. Minus 2."""

NOT_THE_HOLDER: Final = ("ที่ปรึกษา", "ผู้ช่วย", "รอง", "เลขานุการ", "ผู้แทน", "ผู้ตรวจราชการ")
"""Before a position, what makes the speaker someone else than its holder: the ที่ปรึกษาปลัดกระทรวงมหาดไทย
(an adviser to the permanent secretary) is not the ปลัดกระทรวงมหาดไทย who chairs."""

HABITUAL_CUES: Final = (r"อยู่\s?เสมอ", r"เสมอมา", r"เป็นประจำ", r"มาโดยตลอด", r"ตลอดมา")
"""In the lead-in: what someone always stresses or does (``สิ่งที่คณะทำงานเน้นย้ำกับทุกพื้นที่อยู่เสมอ มี 4
ประการ``), a standing practice, not orders handed down at this meeting: the hand-down verb beside it does
not make the speaker speak for the meeting. Minus 3."""

CONDITION_CUES: Final = (r"เงื่อนไข", r"หลักเกณฑ์", r"คุณสมบัติ")
"""In the lead-in: conditions, criteria or qualifications to be met (rules described). Minus 3."""

DEPUTY_ROLE_WORDS: Final = ("โฆษก", "รอง", "ประธานร่วม")
ACADEMIC_TITLES: Final = ("รองศาสตราจารย์", "ผู้ช่วยศาสตราจารย์", "รศ.", "ผศ.")
"""Academic ranks that contain รอง but name no deputy: a รองศาสตราจารย์ does not speak for the meeting."""

UPWARD_REQUEST: Final = (
    r"(?:ขอให้|ขอความร่วมมือ(?:จาก|ให้)?)\s?(?:ท่าน|กระทรวง|รัฐบาล|ประธาน|ที่ประชุม|ส่วนกลาง|ฝ่ายบริหาร)"
)
"""Someone other than the chair asking the ministry, the government or the chair (``ขอให้กระทรวงมหาดไทย
ช่วยเร่งรัด...``): a request made *to* the meeting, not an order it hands down."""

ITEM_SESSION_STARTS: Final = ("การประชุม", "การหารือ", "วาระที่", "ช่วงที่", "Session", "การสัมมนา")
"""Items that each name a session of a meeting or event (``1. การประชุม Business Session ...``): a report of
what happened, or a programme, not orders. Minus 3 when at least half the items do."""
"""A speaker other than the chair with one of these speaks for the meeting (a deputy, a spokesperson):
their list is not someone else's speech."""

ITEM_APPOINTMENT_CUE: Final = r"ดำรงตำแหน่ง|พ้นจากตำแหน่ง|(?:รักษา|ปฏิบัติ)ราชการแทน|ย้ายไป|โอนไป"
"""In an item: a personnel decision (``ให้นาย... พ้นจากตำแหน่งผู้ว่าราชการจังหวัด...``, ``ให้นาย... ตำแหน่ง
รองอธิบดี ดำรงตำแหน่งผู้ว่าราชการจังหวัด...``): appointments and transfers the cabinet approved, worded with
ให้ but not orders to act. Minus 5 when at least half the items are."""

ITEM_CASE_START: Final = "กรณี"
"""Items that each open with กรณี (``กรณีที่พักอาศัยอยู่ในพื้นที่น้ำท่วมขังเกินกว่า 30 วัน ให้ความช่วยเหลือ...``):
a rule by case (rates of relief, what applies when), worded with ให้ but set by a resolution, or orders by
case (``กรณีพบผู้ติดเชื้อ ให้ปิด...``): minus 1, and a list kept is always warned so the editor looks."""

ITEM_REQUEST_STARTS: Final = ("การขอ",)
"""Items that each open with a request made (``1) การขอให้ผู้ว่าราชการจังหวัดชายแดนอำนวยความสะดวก... 2) การขอรับ
การสนับสนุน...``): what a delegation asked of the meeting, not orders handed down (their ``ขอให้`` is the
visitors' asking). Minus 3 when at least half the items do."""

ITEM_KIND_STARTS: Final = ("ประเภท", "รางวัล")
"""Items that each name a kind (``1. ประเภทกลุ่มอาชีพ...ดีเด่น``, ``รางวัลชนะเลิศ ...``): the categories of an award
or a contest, not orders. Minus 3 when at least half the items do."""

ITEM_PURPOSE_START: Final = "เพื่อ"
"""Items that each open with เพื่อ (``เพื่อสนับสนุนให้...``, ``เพื่อสร้างความ...``): a project's or a body's
purposes, not orders. Minus 3 when at least half the items do."""

PLACE_WORDS: Final = ("จังหวัด", "อำเภอ", "ตำบล", "ภาค", "จ.", "อ.")
"""Items that open with a place name list places (areas hit, winners by region), not orders."""

FRAMEWORK_CUES: Final = (
    r"10\s?Es",
    r"10\s*ภารกิจ",
    r"เป้าหมายที่",
    r"SDGs",
    r"เป้าหมายการพัฒนาที่ยั่งยืน",
    r"ยึด(?:หลัก|แนวทาง)",
    r"หลักธรรม",
    r"ศีลข้อ",
    r"ไตรสิกขา",
    r"พระราชทาน(?:แนวทาง|หลัก)",
    r"องค์ประกอบ",
    r"ที่เรียกว่า",
    r"แนวคิด\S{0,30}\s?มีหลัก",
    r"ปรัชญา(?:ของ)?\s?เศรษฐกิจพอเพียง",
    r"3\s?ห่วง\s?2\s?เงื่อนไข",
)
"""In the lead-in: the list restates a framework (the 10Es, the SDGs, a doctrine, a named model of work:
``ตามหลักการทำงาน 3 องค์ประกอบที่เรียกว่า RER ได้แก่``; the sufficiency economy philosophy's 3 principles and 2
conditions: ``ดำรงตนตามหลักปรัชญาของเศรษฐกิจพอเพียง กล่าวคือ (1) มีความพอประมาณ...``). Minus 4."""

ITEM_IMPERATIVE_CUES: Final = (
    r"^\s*(?:ให้(?!แก่|กับ)|ขอให้|ต้อง(?!การ)|ห้าม|เร่ง|กำชับ|มอบ)",
    r"(?:ขอให้|สั่งการให้|มอบหมายให้|กำชับให้|ต้อง(?!การ)|ห้าม|เร่งรัด|เร่งดำเนินการ)",
    r"(?:^|\s)ให้(?!แก่|กับ)",
)
"""In an item: it orders something. Two points when at least half the items do. Not the look-alikes:
``ต้องการ`` (to want: ``คนพิการที่ต้องการฝึกอาชีพ``) and ``ให้แก่``/``ให้กับ`` (to someone: ``สนับสนุนสวัสดิการ
ให้แก่ผู้สูงอายุ``) say what was done or wanted, not what must be."""

ITEM_REPORT_CUES: Final = (r"ที่ประชุม(?:ได้)?(?:รับทราบ|ยินดี|รับรอง)",)
"""In an item: it says what the meeting took note of. Minus 3 when at least half the items do."""

ITEM_AGREED_CUE: Final = r"(?:ทั้ง)?(?:สอง|2|ทั้งสอง)\s?ฝ่าย(?:ได้)?(?:เห็นพ้อง|ตกลง|เห็นชอบ|ยืนยัน|รับทราบ)"
"""In an item: what both sides of a bilateral meeting agreed (``การข้ามแดน : ทั้งสองฝ่ายเห็นพ้องให้...``):
joint commitments of two countries or parties, not orders handed down, whoever reads them out. Minus 5
when at least half the items do."""

ITEM_DEFINITION_CUE: Final = r"^.{1,40}?\s(?:คือ|หมายถึง)\s|^\s*เป็น(?:การ|ส่วนหนึ่ง|ประโยชน์|เครื่องมือ)|^\s*ทำให้"
"""``อธิศีลสิกขา คือ ศีลอันยิ่ง``: a list of concepts being defined; ``สิ่งสำคัญ... คือ 1) เป็นการถวายพระกำลังใจ...
2) เป็นการ...``: what something amounts to (its significance, reasons); ``1) ทำให้เกิดการรวมกลุ่มของประชาชน
2) ทำให้ทางราชการมีฐานข้อมูล...``: what it brings about (its results). Minus 2, and a list kept is always
warned."""

ITEM_NAMED_TERM_CUE: Final = (
    r"^\s*(?:[“\"][^”\"\n]{1,30}[”\"]"  # a quoted term
    r"|[^\s(]{1,30}\s?\([A-Za-z][A-Za-z .&/-]{1,30}\))"  # a term glossed in English
)
"""An item that opens by naming a concept, then explains it: a quoted term (``“ร่วมคิด” ต้องมีเวที...``) or a
term glossed in English (``งานประจำ (Routine) ต้องทำให้ดี...``): the parts of a model or principle (``4 ร่วม``,
``RER``) being taught, whose "ต้อง" is what the concept asks, not an order of this meeting. Minus 3 when at
least half the items do."""

LAST_ITEM_BREAKS: Final = (
    "โอกาสนี้",
    "ในโอกาสนี้",
    "จากนั้น",
    "ในการนี้",
    "ต่อมา",
    "ภายหลัง",
    "อย่างไรก็ตาม",
    "(ขอเน้นย้ำ",
    "และยังได้กล่าว",
    "นอกจากนี้",
)
"""Words that end the last item of a list when the paragraph goes on to something else."""

NESTED_LIST_INTRODUCERS: Final = ("ดังนี้", "ได้แก่", "ประกอบด้วย", ":")
"""An item ending with one of these opens a sub-list: the next list that restarts at 1 belongs to it."""

DANGLING_TITLE_ENDINGS: Final = ("ของ", "ใน", "และ", "ที่", "เพื่อ", "กับ", "แก่", "ให้", "โดย", "จาก", "ต่อ", "ตาม")
"""A directive title is not cut right after one of these words: the phrase goes on."""

CONTINUING_TITLE_WORDS: Final = (
    "ไปยัง",
    "ไปสู่",
    "สู่",
    "ให้แก่",
    "ให้กับ",
    "แก่",
    "ของ",
    "กับ",
    "จาก",
    "ใน",
    "ตาม",
    "ถึง",
)
"""A word after a space that carries the phrase on (its object follows): a title is not cut before it
(``ขยายผลการดำเนินงาน ไปยังทุกจังหวัด``, ``โครงการพัฒนาพื้นที่ต้นแบบ ตามหลักทฤษฎีใหม่``)."""

COORDINATING_TITLE_WORDS: Final = ("และ", "หรือ", "รวมถึง", "รวมทั้ง")
"""A word after a space that adds a second half (``จัดพิธีทำบุญตักบาตร และพิธีวางพวงมาลา``): the title keeps
both halves when they fit, else ends, whole, before the second. So does a space after an English word
(``การ Change for Good ด้วย Passion``)."""

ADDRESSEE_STARTS: Final = (
    "กระทรวง",
    "กรม",
    "สำนักงาน",
    "สำนัก",
    "กองบัญชาการ",
    "กองทัพ",
    "องค์การ",
    "องค์กร",
    "การไฟฟ้า",
    "การประปา",
    "หน่วยงาน",
    "ศูนย์",
    "สถาบัน",
    "ธนาคาร",
)
"""Words an agency's name opens with: a directive opening with several of them lists who is told
(``กระทรวงมหาดไทย กระทรวงกลาโหม สำนักงานตำรวจแห่งชาติ ให้...``); its title runs through them."""

TEN_ES_MIN_CODES: Final = 5
"""A list naming at least this many of the 10E codes is the 10Es framework restated, not directives."""

DIRECTIVE_MIN_SCORE: Final = 2
"""A numbered list is taken as directives when its cue score (see the parser) reaches this."""
DIRECTIVE_SURE_SCORE: Final = 4
"""Below this the list is kept but the evidence is thin: a warning names the cues."""
DIRECTIVE_NEAR_SCORE: Final = 0
"""A list dropped with a score from here up to the minimum is a near miss: a warning says so."""
