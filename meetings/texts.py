"""What publishing, unpublishing and correcting a meeting say: one Thai line each, field by field."""

NO_TITLE = "ใส่ชื่อเรื่องก่อนเผยแพร่"
NO_DATE = "ใส่วันที่ประชุมก่อนเผยแพร่"
NO_DIRECTIVES = "ยังไม่มีข้อสั่งการ: เพิ่มอย่างน้อยหนึ่งข้อ หรือเลือก “เผยแพร่โดยไม่มีข้อสั่งการ”"
DIRECTIVE_NO_TITLE = "ข้อสั่งการข้อ {seq} ยังไม่มีหัวข้อ"
REFUSED = "ยังเผยแพร่ไม่ได้: {problems}"
MEETING_GONE = "ไม่พบการประชุม #{id}"
NOT_PUBLISHED = "การประชุมนี้ยังไม่ได้เผยแพร่"

# What changed in an edit, named in a correction notice and in the audit log.
CHANGE_NAMES = {
    "title": "ชื่อเรื่อง",
    "date": "วันที่ประชุม",
    "number": "ครั้งที่",
    "chair": "ประธาน",
    "added": "เพิ่มข้อสั่งการข้อ {seq}",
    "removed": "ลบข้อสั่งการข้อ {seq}",
    "directive": "ข้อสั่งการข้อ {seq}",
}
