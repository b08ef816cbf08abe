"""Text intents: what officials type, and which intent (with what values) it means. Pure matchers."""

from __future__ import annotations

import pytest

from handlers.conversation import INTENTS
from handlers.intents import match_intent, normalize_text, without_politeness
from handlers.query import Chair, Period


@pytest.mark.parametrize(
    ("typed", "intent", "captured"),
    [
        ("เมนู", "help", {}),
        ("ช่วยเหลือ", "help", {}),
        ("HELP", "help", {}),
        ("  help  ", "help", {}),
        ("ข้อสั่งการล่าสุด", "latest", {}),
        ("ข้อสั่งการ", "latest", {}),
        ("ข้อสั่งการ ล่าสุด", "latest", {}),
        ("ขอข้อสั่งการล่าสุดหน่อยครับ", "latest", {}),
        ("ข้อสั่งการล่าสุด\u200b", "latest", {}),
        ("Latest directives", "latest", {}),
        ("10Es", "ten_es", {}),
        ("10 es", "ten_es", {}),
        ("๑๐Es", "ten_es", {}),
        ("10 ภารกิจ", "ten_es", {}),
        ("10Es คืออะไร", "ten_es", {}),
        ("E7", "ten_e", {"number": 7}),
        ("e 7", "ten_e", {"number": 7}),
        ("อี7", "ten_e", {"number": 7}),
        ("E๗", "ten_e", {"number": 7}),
        ("e10", "ten_e", {"number": 10}),
        ("Emergency Management", "ten_e", {"number": 7}),
        ("emergency management", "ten_e", {"number": 7}),
        ("สาธารณภัย", "ten_e", {"number": 7}),
        ("ด้านสาธารณภัย", "ten_e", {"number": 7}),
        ("e-Service", "ten_e", {"number": 10}),
        ("Effective Healthcare", "ten_e", {"number": 6}),
        ("E5 คืออะไร", "ten_e", {"number": 5}),
        ("ประชุมล่าสุด", "meeting", {"latest": True}),
        ("ประชุมเดือนมกราคม 2565", "period", {"period": Period("month", month=1, year=2022)}),
        ("ประชุม ม.ค. 65", "period", {"period": Period("month", month=1, year=2022)}),
        ("ประชุมเดือนกุมภาพันธ์", "period", {"period": Period("month", month=2)}),
        ("ข้อสั่งการเดือนนี้", "period", {"period": Period("month", back=0)}),
        ("เมื่อวานประชุมอะไร", "period", {"period": Period("day", back=1)}),
        ("เดือนนี้มีอะไรบ้าง", "period_unnamed", {"period": Period("month", back=0)}),
        ("สวัสดีครับ", "greeting", {}),
        ("ขอบคุณค่ะ", "thanks", {}),
        ("มีอะไรใหม่ไหม", "whats_new", {}),
        ("งานที่ใกล้ครบกำหนด", "due", {}),
        ("มีงานอะไรใกล้ครบกำหนดบ้างครับ", "due", {}),
        ("ขอดูงานค้างหน่อย", "due", {}),
        ("deadline ช่วงนี้มีอะไรบ้าง", "due", {}),
        ("ข้อ 3", "follow_up", {"position": 3}),
        ("ข้อสังการ", "latest", {}),
        ("ข้อสั่งกาเดือนนี้", "period", {"period": Period("month", back=0)}),  # not "ข้อสั่งการ" + "ดือนนี้"
        ("ปะชุมล่าสุด", "meeting", {"latest": True}),
        ("ขอเบอร์ติดต่อ สถ.", "contact", {}),
        ("ลงทะเบยีน เชียงใหม่", "register", {"province": "เชียงใหม่"}),
        ("ครั้งที่ 3/2565", "meeting", {"number": "3/2565"}),
        ("ครั้งที่ ๓/๒๕๖๕", "meeting", {"number": "3/2565"}),
        ("ประชุมครั้งที่ 3 / 65", "meeting", {"number": "3/2565"}),
        ("ประชุม ก.ท.จ. ครั้งที่ 2/2567", "meeting", {"number": "2/2567"}),
        ("ครั้งที่ 4/63 สั่งอะไรบ้าง", "meeting", {"number": "4/2563"}),
        ("ประชุมครั้งที่ 2/2567 ว่าไง", "meeting", {"number": "2/2567"}),
        ("ประชุมคณะกรรมการครั้งที่ 4/66", "meeting", {"number": "4/2566"}),
        ("ศปถ. ครั้งที่ ๑/๒๕๖๔", "meeting", {"number": "1/2564"}),
        ("นายกสั่งอะไรบ้าง", "chair", {"chair": Chair("นายกรัฐมนตรี", ("รอง",))}),
        ("มท.1 ว่าไง", "chair", {"chair": Chair("รัฐมนตรีว่าการกระทรวงมหาดไทย")}),
        ("ลงทะเบียน เชียงใหม่", "register", {"province": "เชียงใหม่"}),
        ("ลงทะเบียน จ.ชลบุรี", "register", {"province": "ชลบุรี"}),
        ("ลงทะเบียนจังหวัดน่าน", "register", {"province": "น่าน"}),
        ("ลงทะเบียน Chiang Rai", "register", {"province": "chiang rai"}),
        ("ลงทะเบียน", "register", {"province": ""}),
        ("สถานะ", "status", {}),
        ("ยกเลิกการรับข่าว", "unsubscribe", {}),
        ("ค้นหา ขยะติดเชื้อ", "search", {"query": "ขยะติดเชื้อ"}),
    ],
)
def test_typed_text_means_an_intent(typed: str, intent: str, captured: dict[str, object]) -> None:
    found = match_intent(normalize_text(typed), INTENTS)
    assert found is not None, typed
    assert (found[0].name, found[1]) == (intent, captured)


@pytest.mark.parametrize(
    "typed",
    ["ขยะติดเชื้อ", "ค่าครองชีพ", "ITA", "น้ำท่วม", "E11", "E0", "555", "", "ประชุมเดือนหน้า", "e"],
)
def test_other_text_matches_no_intent(typed: str) -> None:
    assert match_intent(normalize_text(typed), INTENTS) is None


@pytest.mark.parametrize(
    "typed", ["ITA กำหนดส่งเมื่อไหร่", "ไฟป่าต้องส่งรายงานภายในวันไหน", "ครบกำหนดส่งรายงานไฟป่าเมื่อไหร่"]
)
def test_a_deadline_of_a_topic_is_a_topic_question_not_the_list_due(typed: str) -> None:
    found = match_intent(normalize_text(typed), INTENTS)
    assert found is None or found[0].name != "due"


def test_normalisation() -> None:
    assert normalize_text("  ข้อสั่งการ   ล่าสุด  ครับ ") == "ข้อสั่งการ ล่าสุด ครับ"
    assert without_politeness("ขอข้อสั่งการล่าสุดหน่อยครับ") == "ข้อสั่งการล่าสุด"
    assert normalize_text("E๗") == "e7"
