"""Understanding officials' questions (handlers/query.py): periods, small talk, ordinals, typos. Pure,
table-driven: each table is one Thai usage, tried with several sentences of it."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.intents import normalize_text
from handlers.query import (
    LAST,
    Period,
    QuestionKind,
    chair_question,
    corrected,
    corrections,
    is_phrase,
    ordinal,
    passage,
    period_question,
    question_kind,
)

TODAY = dt.date(2025, 7, 20)  # 20 กรกฎาคม 2568


def span(typed: str, today: dt.date = TODAY) -> tuple[dt.date, dt.date] | None:
    period = period_question(normalize_text(typed))
    return None if period is None else period.span(today)


def month(year: int, number: int) -> tuple[dt.date, dt.date]:
    end = dt.date(year + number // 12, number % 12 + 1, 1)
    return dt.date(year, number, 1), end


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # this month, last month: said many ways, with the thing asked about and filler around
        ("ข้อสั่งการเดือนนี้", month(2025, 7)),
        ("เดือนนี้มีประชุมอะไรบ้าง", month(2025, 7)),
        ("ขอข้อสั่งการของเดือนนี้หน่อยครับ", month(2025, 7)),
        ("ประชุมเดือนที่แล้ว", month(2025, 6)),
        ("เดือนก่อนสั่งอะไรไว้บ้าง", month(2025, 6)),
        ("ข้อสั่งการเดือนที่ผ่านมาว่าไงบ้าง", month(2025, 6)),
        # this year, last year
        ("ข้อสั่งการปีนี้", (dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
        ("ปีนี้ประชุมอะไรไปบ้างคะ", (dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
        ("ปีที่แล้วสั่งอะไรไว้บ้าง", (dt.date(2024, 1, 1), dt.date(2025, 1, 1))),
        ("ข้อสั่งการปีก่อน", (dt.date(2024, 1, 1), dt.date(2025, 1, 1))),
        # weeks, Monday to Sunday (20 July 2568 is a Sunday)
        ("สัปดาห์นี้มีข้อสั่งการอะไรไหม", (dt.date(2025, 7, 14), dt.date(2025, 7, 21))),
        ("อาทิตย์ที่แล้วประชุมอะไร", (dt.date(2025, 7, 7), dt.date(2025, 7, 14))),
        # days
        ("เมื่อวานประชุมอะไร", (dt.date(2025, 7, 19), dt.date(2025, 7, 20))),
        ("วันนี้มีประชุมไหม", (dt.date(2025, 7, 20), dt.date(2025, 7, 21))),
        ("เมื่อวานซืนสั่งการว่าไง", (dt.date(2025, 7, 18), dt.date(2025, 7, 19))),
        ("ประชุมวันที่ 18 ก.ค. 66", (dt.date(2023, 7, 18), dt.date(2023, 7, 19))),
        # a month by name: full, short with or without dots, spoken short; 2- or 4-digit BE year, Thai digits
        ("ข้อสั่งการเดือนกุมภา 65", month(2022, 2)),
        ("ประชุม มี.ค.๖๖ มีอะไรบ้าง", month(2023, 3)),
        ("ข้อสั่งการเดือนธันวาคม 2563", month(2020, 12)),
        ("ประชุม ธค 63 มีไรบ้าง", month(2020, 12)),
        ("สั่งการเดือน ต.ค. ๒๕๖๗ ว่าไงบ้าง", month(2024, 10)),
        ("ข้อสั่งการ พ.ย.2567", month(2024, 11)),
        ("ประชุมเดือนเมษายน พ.ศ. 2566", month(2023, 4)),
        # a month without a year: the last one of that name, this month included
        ("ข้อสั่งการเดือนตุลาคม", month(2024, 10)),
        ("ประชุมกรกฎาคม", month(2025, 7)),
        ("ข้อสั่งการเดือน ม.ค.", month(2025, 1)),
        # a month by its number after เดือน
        ("ประชุมเดือน 7/66", month(2023, 7)),
        ("ข้อสั่งการเดือน 07/2566", month(2023, 7)),
        # the government's fiscal year, October to September
        ("ข้อสั่งการ ปีงบ 68", (dt.date(2024, 10, 1), dt.date(2025, 10, 1))),
        ("ประชุมปีงบประมาณ พ.ศ. 2567", (dt.date(2023, 10, 1), dt.date(2024, 10, 1))),
        ("ข้อสั่งการปีงบนี้", (dt.date(2024, 10, 1), dt.date(2025, 10, 1))),
        # English, as some type it
        ("last month", month(2025, 6)),
        ("directives this year", (dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
        # filler after it
        ("ปีนี้สั่งการอะไรไปแล้วบ้าง", (dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
        # a year alone
        ("ข้อสั่งการปี 2566", (dt.date(2023, 1, 1), dt.date(2024, 1, 1))),
        ("ประชุมปี 67 มีอะไรบ้าง", (dt.date(2024, 1, 1), dt.date(2025, 1, 1))),
    ],
)
def test_a_period_question(typed: str, expected: tuple[dt.date, dt.date]) -> None:
    assert span(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "ข้อสั่งการปีใหม่",  # ปีใหม่ is the New Year festival, a topic
        "มูลฝอยติดเชื้อหลังปีใหม่",
        "น้ำท่วมเดือนนี้",  # a topic in a period: not a question about the period alone
        "ตุลาการ",  # a word starting like a month
        "ขยะติดเชื้อ",
        "ประชุมเดือนหน้า",
        "ข้อ 3",
        "ครั้งที่ 3/66",  # a meeting's number, not July
    ],
)
def test_not_a_period_question(typed: str) -> None:
    assert span(typed) is None


def test_a_period_is_labelled_in_thai_with_the_buddhist_era() -> None:
    assert Period("month", back=1).label(TODAY) == "เดือนมิถุนายน 2568"
    assert Period("year", back=0).label(TODAY) == "ปี 2568"
    assert Period("day", back=1).label(TODAY) == "วันที่ 19 กรกฎาคม 2568"
    assert Period("month", back=1).span(dt.date(2025, 1, 5)) == month(2024, 12)  # across the new year


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("สวัสดีครับ", "greeting"),
        ("หวัดดีค่ะ", "greeting"),
        ("สวัสดีตอนเช้าครับ", "greeting"),
        ("hello", "greeting"),
        ("สวัสดีค่ะ 😊", "greeting"),
        ("ดีจ้า", "greeting"),
        ("ขอบคุณค่ะ", "thanks"),
        ("ขอบคุณมากๆครับ", "thanks"),
        ("ขอบใจนะ", "thanks"),
        ("Thank you", "thanks"),
        ("ขอบคุณสำหรับข้อมูลครับ", "thanks"),
        ("ok ขอบคุณครับ 🙏", "thanks"),
        ("ขอบคุณมากๆนะคะ", "thanks"),
        ("มีอะไรใหม่ไหม", "whats_new"),
        ("อัปเดตหน่อย", "whats_new"),
        ("ช่วงนี้มีข่าวอะไรใหม่บ้างคะ", "whats_new"),
        ("มีอัพเดทอะไรไหม", "whats_new"),
        ("วันนี้มีอะไรใหม่ๆบ้าง", "whats_new"),
        ("ขอเบอร์ติดต่อ สถ.", "contact"),
        ("ล่าสุดมีข้อสั่งการอะไร", "latest"),
        ("ดูเพิ่ม", "more"),
        ("มีอีกไหมครับ", "more"),
        ("ขอดูเพิ่มเติมหน่อย", "more"),
        ("ตอนนี้มีข้อสั่งการอะไรบ้าง", "latest"),
        ("อัปเดตข้อสั่งการล่าสุดหน่อยครับ", "latest"),
        ("เบอร์โทรกรมส่งเสริมการปกครองท้องถิ่น", "contact"),
        ("ติดต่อเจ้าหน้าที่ได้ทางไหนครับ", "contact"),
        ("อีเมลของ สถ. คืออะไร", "contact"),
    ],
)
def test_small_talk(typed: str, kind: str) -> None:
    assert is_phrase(normalize_text(typed), kind)
    others = {"greeting", "thanks", "whats_new", "contact", "latest", "more"} - {kind}
    assert not any(is_phrase(normalize_text(typed), other) for other in others)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("ข้อสั่งการปีใหม่", "whats_new"),
        ("ข้อสั่งการปีใหม่", "latest"),
        ("แนวทางปฏิบัติช่วงปีใหม่", "whats_new"),
        ("จัดทำแผนใหม่", "whats_new"),
        ("สวัสดิการผู้สูงอายุ", "greeting"),
        ("ขอบคุณประชาชนที่ให้ความร่วมมือ", "thanks"),
        ("ติดต่อประสานงานกับจังหวัด", "contact"),
        ("การจัดทำเว็บไซต์ของ อปท.", "contact"),
    ],
)
def test_a_topic_that_contains_a_small_talk_word_is_not_small_talk(typed: str, kind: str) -> None:
    assert not is_phrase(normalize_text(typed), kind)


@pytest.mark.parametrize(
    ("typed", "position"),
    [
        ("ข้อ 3", 3),
        ("ข้อ๓", 3),
        ("ข้อที่ 2", 2),
        ("ข้อสาม", 3),
        ("ข้อที่สิบ", 10),
        ("อันที่สอง", 2),
        ("อันแรก", 1),
        ("อ่านต่อข้อแรก", 1),
        ("ดูข้อ 4", 4),
        ("ข้อสุดท้าย", LAST),
        ("รายการที่ 5", 5),
        ("ขอรายละเอียดข้อ 2", 2),
        ("อ่านข้อ 3 ต่อ", 3),
    ],
)
def test_an_ordinal_refers_to_a_list(typed: str, position: int) -> None:
    assert ordinal(normalize_text(typed)) == position


@pytest.mark.parametrize("typed", ["ข้อสั่งการ", "ข้อ", "ข้อ 0", "อันตราย", "ข้อมูล", "ข้อ 3/2565"])
def test_not_an_ordinal(typed: str) -> None:
    assert ordinal(normalize_text(typed)) is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ข้อสังการ", "ข้อสั่งการ"),  # a tone mark left out
        ("ขอ้สั่งการ", "ข้อสั่งการ"),  # a tone mark typed before its consonant
        ("ขัอสั่งการล่าสุด", "ข้อสั่งการล่าสุด"),  # the wrong mark
        ("ข้อสั่งกานล่าสุด", "ข้อสั่งการล่าสุด"),  # the wrong final consonant
        ("ปะชุมล่าสุด", "ประชุมล่าสุด"),  # a letter left out
        ("ประชุมล่าสดุ", "ประชุมล่าสุด"),  # two swapped
        ("ข้อสั่งการล่าสุดด", "ข้อสั่งการล่าสุด"),  # a key held too long
        ("ลงทะเบยีน เชียงใหม่", "ลงทะเบียน เชียงใหม่"),
    ],
)
def test_typos_in_command_words(typed: str, meant: str) -> None:
    assert corrected(normalize_text(typed)) == meant


def test_a_typo_is_read_each_way_it_can_be() -> None:
    # ร left out, or the เ after it typed for it: both readings; the caller keeps the one that means something
    assert set(corrections("ข้อสั่งกาเดือนนี้")) == {"ข้อสั่งการเดือนนี้", "ข้อสั่งการดือนนี้"}


@pytest.mark.parametrize("typed", ["ประชาชน", "ขยะติดเชื้อ", "ข้อสั่งการ", "ค่าครองชีพ", "ประชุมล่าสุด"])
def test_words_that_are_no_typo_stay(typed: str) -> None:
    assert corrected(typed) == typed


def test_normalisation_fixes_a_doubled_vowel_before_any_matcher() -> None:
    assert normalize_text("ประชุมล่าสุุด") == "ประชุมล่าสุด"


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("นายกสั่งอะไรบ้าง", "นายกรัฐมนตรี"),
        ("นายกฯ ว่ายังไง", "นายกรัฐมนตรี"),
        ("มท.1 ว่าไง", "รัฐมนตรีว่าการกระทรวงมหาดไทย"),
        ("รองนายกสั่งอะไร", "รองนายกรัฐมนตรี"),
        ("รมว.มหาดไทยเน้นย้ำอะไรบ้าง", "รัฐมนตรีว่าการกระทรวงมหาดไทย"),
        ("มท.2 สั่งการอะไร", "รัฐมนตรีช่วยว่าการกระทรวงมหาดไทย"),
        ("อธิบดีสั่งเรื่องอะไร", "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"),
        ("ปลัด มท. มีข้อสั่งการอะไรบ้าง", "ปลัดกระทรวงมหาดไทย"),
        ("ปลัดมหาดไทยสั่งอะไรไว้บ้างครับ", "ปลัดกระทรวงมหาดไทย"),
    ],
)
def test_a_question_about_a_chair(typed: str, title: str) -> None:
    chair = chair_question(normalize_text(typed))
    assert chair is not None and chair.title == title


@pytest.mark.parametrize("typed", ["นายกเทศมนตรี", "นายก อบต.สั่งอะไร", "ปลัดอำเภอ", "อธิบดีกรมชลประทาน"])
def test_another_office_is_not_a_chair_question(typed: str) -> None:
    assert chair_question(normalize_text(typed)) is None


@pytest.mark.parametrize(
    ("title", "chair", "held"),
    [
        ("นายกรัฐมนตรี", "นางสาวแพทองธาร ชินวัตร นายกรัฐมนตรี", True),
        ("นายกรัฐมนตรี", "นายภูมิธรรม เวชยชัย รองนายกรัฐมนตรีและรัฐมนตรีว่าการกระทรวงมหาดไทย", False),
        ("รัฐมนตรีว่าการกระทรวงมหาดไทย", "นายภูมิธรรม เวชยชัย รองนายกรัฐมนตรีและรัฐมนตรีว่าการกระทรวงมหาดไทย", True),
        ("รัฐมนตรีว่าการกระทรวงมหาดไทย", "นายนิพนธ์ บุญญามณี รัฐมนตรีช่วยว่าการกระทรวงมหาดไทย", False),
        ("ปลัดกระทรวงมหาดไทย", "นายเชษฐา โมสิกรัตน์ รองปลัดกระทรวงมหาดไทย", False),
        ("ปลัดกระทรวงมหาดไทย", None, False),
    ],
)
def test_a_chair_text_holds_an_office_or_not(title: str, chair: str | None, held: bool) -> None:
    office = next(c for c in (chair_question(t) for t in ("นายก", "มท.1", "ปลัด")) if c and c.title == title)
    assert office.chaired(chair) is held


@pytest.mark.parametrize(
    ("typed", "kind", "topic"),
    [
        ("ITA ต้องส่งเมื่อไหร่", "when", "ita"),
        ("รายงานผลภายในวันไหนคะ", "when", "รายงานผล คะ"),
        ("กำหนดส่งแผนพัฒนาท้องถิ่น", "when", "แผนพัฒนาท้องถิ่น"),
        ("ขยะติดเชื้อต้องทำยังไง", "how", "ขยะติดเชื้อ"),
        ("เรื่องค่าครองชีพต้องดำเนินการอย่างไร", "how", "เรื่องค่าครองชีพ"),
        ("ศพด. ต้องทำอะไรบ้าง", "how", "ศพด. บ้าง"),
        ("ค่าครองชีพ", None, "ค่าครองชีพ"),
    ],
)
def test_question_words_say_what_is_asked(typed: str, kind: str | None, topic: str) -> None:
    assert question_kind(normalize_text(typed)) == (kind, topic)


@pytest.mark.parametrize(
    ("text", "kind", "answer"),
    [
        # a dated clause answers "when", even after a period cue
        (
            "ให้ อปท. จัดทำแผน ในช่วงฤดูฝน และรายงานผลภายในวันที่ 31 มีนาคม 2566 ทางระบบ",
            "when",
            "รายงานผลภายในวันที่ 31",
        ),
        ("ให้ อปท. รายงานผลภายใน 7 วัน นับแต่ได้รับหนังสือ", "when", "ให้ อปท. รายงานผลภายใน 7 วัน"),
        ("การประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2566 ขอให้จังหวัดกำกับดูแล", "when", "ประจำปีงบประมาณ พ.ศ. 2566"),
        ("ให้ อปท. ตรวจสอบเครื่องสูบน้ำทุกเดือน", "when", "ตรวจสอบเครื่องสูบน้ำทุกเดือน"),
        # the action: what local bodies are told to do comes first
        (
            "รัฐบาลสั่งการให้กระทรวงกำชับหน่วยงาน ขอให้จังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่นคัดแยกขยะ",
            "how",
            "ขอให้จังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่นคัดแยกขยะ",
        ),
        ("สถานการณ์ฝุ่นรุนแรงขึ้น ขอให้จังหวัดเฝ้าระวัง", "how", "ขอให้จังหวัดเฝ้าระวัง"),
        ("ผู้ว่าราชการจังหวัด นายอำเภอ ต้องสร้างภูมิคุ้มกันในหมู่บ้าน", "how", "ต้องสร้างภูมิคุ้มกัน"),
    ],
)
def test_the_passage_that_answers(text: str, kind: QuestionKind, answer: str) -> None:
    found = passage(text, kind)
    assert found is not None and answer in found


@pytest.mark.parametrize(
    "text",
    [
        "การบริหารจัดการภายในองค์กรปกครองส่วนท้องถิ่นอย่างใกล้ชิด",  # ภายใน is "inside" here
        "การดำเนินการแก้ไขปัญหาค่าครองชีพ ส่งเสริมการปลูกผักสวนครัว",
    ],
)
def test_a_directive_without_a_date_gives_no_when_passage(text: str) -> None:
    assert passage(text, "when") is None
