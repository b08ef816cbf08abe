"""meetings.parsing.parse_article on the seed article, on small made-up articles and on bad input.

The made-up articles are short on purpose: each one isolates one rule (a marker style, a date form, a
sub-list, a list that is not directives), so that a broken rule fails its own test.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.parsing import MeetingDraft, parse_article
from meetings.parsing.cleanup import MAX_TEXT_CHARS, clean_article, html_to_text
from meetings.parsing.directives import directive_title

SEED = Path(__file__).parents[2] / "bot/data/seed/meeting-3-2565.txt"
OPENING = (
    "วันนี้ (21 มกราคม 2565) เวลา 13.30 น. นายประยูร รัตนเสนีย์ อธิบดีกรมส่งเสริมการปกครองท้องถิ่น "
    "เป็นประธานการประชุมกรมส่งเสริมการปกครองท้องถิ่น ครั้งที่ 3/2565"
)


def article(*paragraphs: str, title: str = "อธิบดี สถ. ประชุมผู้บริหาร") -> str:
    return "\n".join((title, *paragraphs))


# --- The seed article -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> MeetingDraft:
    return parse_article(SEED.read_text(encoding="utf-8"))


def test_seed_meeting_fields(seed: MeetingDraft) -> None:
    assert seed.date == dt.date(2022, 1, 21)
    assert seed.number == "3/2565"
    assert seed.chair == "นายประยูร รัตนเสนีย์ อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"
    assert seed.chair_name == "นายประยูร รัตนเสนีย์"
    assert seed.chair_position == "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"
    assert seed.ten_es is True


def test_seed_title_has_no_site_furniture(seed: MeetingDraft) -> None:
    assert seed.title.startswith("อธิบดี สถ. ขอความร่วมมือ อปท.")
    assert "ข่าวผู้บริหาร" not in seed.title
    assert "จำนวนผู้เข้าชม" not in json.dumps(seed.to_json(), ensure_ascii=False)


def test_seed_has_exactly_the_four_directives(seed: MeetingDraft) -> None:
    assert [d.seq for d in seed.directives] == [1, 2, 3, 4]
    titles = [d.title for d in seed.directives]
    assert "มูลฝอยติดเชื้อ" in titles[0] and "ปีใหม่" in titles[0]
    assert "ค่าครองชีพ" in titles[1]
    assert "ศูนย์พัฒนาเด็กเล็ก" in titles[2]
    assert "ภาคเรียนที่ 2" in seed.directives[2].text
    assert "การประเมินคุณธรรมและความโปร่งใส" in titles[3]
    assert "ITA" in seed.directives[3].text
    assert all(len(title) <= 81 for title in titles)


def test_seed_directives_stop_before_the_awards_and_the_10es(seed: MeetingDraft) -> None:
    last = seed.directives[-1].text
    assert last.endswith("อย่างใกล้ชิด")
    assert "ท้องถิ่นอำเภอดีเด่น" not in last
    assert not any("Economy" in d.text for d in seed.directives)


def test_seed_directive_categories(seed: MeetingDraft) -> None:
    firsts = [d.categories[0] for d in seed.directives]
    assert firsts == ["Environment", "Economy", "Education", "Evaluation"]


def test_seed_json_shape(seed: MeetingDraft) -> None:
    data = seed.to_json()
    assert list(data) == [
        "title",
        "date",
        "number",
        "chair",
        "body",
        "directives",
        "ten_es",
        "source_url",
        "warnings",
    ]
    assert data["date"] == "2022-01-21"
    assert data["body"] == "สถ."
    assert data["number"] == "3/2565"
    assert data["source_url"] is None
    assert isinstance(data["warnings"], list)
    directive = data["directives"][0]
    assert list(directive) == ["seq", "title", "text", "categories", "deadline"]
    assert isinstance(directive["categories"], list)
    assert all(d["deadline"] is None or dt.date.fromisoformat(d["deadline"]) for d in data["directives"])
    assert json.loads(json.dumps(data)) == data


def test_given_source_url_wins_over_the_page(seed: MeetingDraft) -> None:
    text = SEED.read_text(encoding="utf-8") + "\nที่มา : https://example.go.th/a/1"
    assert parse_article(text).source_url == "https://example.go.th/a/1"
    assert parse_article(text, source_url="https://dla.go.th/x").source_url == "https://dla.go.th/x"


@pytest.mark.parametrize(
    "article",
    ["ข่าวประชาสัมพันธ์", "<html><head><title>ประกาศ เรื่อง ก</title></head><body></body></html>", "<p>\u200b</p>"],
)
def test_an_article_without_a_body_has_no_fingerprint(article: str) -> None:
    """Nothing in an empty body tells one article from another: it must not make them "the same"."""
    assert parse_article(article).fingerprint is None


def test_the_same_body_has_the_same_fingerprint() -> None:
    text = SEED.read_text(encoding="utf-8")
    spaced = text.replace(" ", "  ")
    assert parse_article(text).fingerprint == parse_article(spaced).fingerprint is not None


# --- Dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("วันนี้ (21 มกราคม 2565) เวลา 13.30 น. อธิบดีเป็นประธานการประชุม", dt.date(2022, 1, 21)),
        ("เมื่อวันที่ 2 ธ.ค. 64 อธิบดีเป็นประธานการประชุม", dt.date(2021, 12, 2)),
        ("ในวันพุธที่ ๑๗ กรกฎาคม ๒๕๖๗ อธิบดีเป็นประธานการประชุม", dt.date(2024, 7, 17)),
        ("(26 ส.ค. 68) อธิบดีเป็นประธานการประชุม", dt.date(2025, 8, 26)),
        ("เมื่อวานนี้ (23 พ.ค. 68) อธิบดีเป็นประธานการประชุม", dt.date(2025, 5, 23)),
        ("17/07/2567 อธิบดีเป็นประธานการประชุม", dt.date(2024, 7, 17)),
        ("เมื่อวันที่ 3 May 2021 ... 3 พฤษภาคม 2021 ที่ประชุม", dt.date(2021, 5, 3)),
    ],
)
def test_meeting_date_forms(opening: str, expected: dt.date) -> None:
    assert parse_article(article(opening)).date == expected


def test_meeting_date_is_not_the_page_date() -> None:
    text = article(
        "วันศุกร์ที่ 22 มกราคม 2565",
        "พิมพ์",
        "เมื่อวันที่ 21 ม.ค. 65 อธิบดีเป็นประธานการประชุม",
    )
    assert parse_article(text).date == dt.date(2022, 1, 21)


def test_meeting_date_prefers_the_opening_over_deadlines_and_the_next_meeting() -> None:
    text = article(
        "ให้จังหวัดรายงานผลภายในวันที่ 15 กุมภาพันธ์ 2565",
        "วันนี้ (21 มกราคม 2565) อธิบดีเป็นประธานการประชุม",
        "ทั้งนี้ จะมีการประชุมครั้งต่อไปในวันที่ 18 กุมภาพันธ์ 2565",
    )
    assert parse_article(text).date == dt.date(2022, 1, 21)


def test_preview_article_gives_tomorrows_meeting() -> None:
    text = article(
        "วันนี้ (2 เมษายน 2568) โฆษกเปิดเผยว่า วันพรุ่งนี้ (วันพฤหัสบดีที่ 3 เมษายน 2568) นายกรัฐมนตรีจะเป็นประธานการประชุม"
    )
    assert parse_article(text).date == dt.date(2025, 4, 3)


def test_tomorrow_later_in_the_article_is_not_the_meeting() -> None:
    text = article(
        "เมื่อวานนี้ (16 ก.ค. 68) รองนายกรัฐมนตรีเป็นประธานการประชุม",
        "นายภูมิธรรมกล่าวว่า วันพรุ่งนี้ (17 กรกฎาคม 68) ตนจะมอบนโยบาย",
    )
    assert parse_article(text).date == dt.date(2025, 7, 16)


def test_page_date_is_used_with_a_warning_when_the_body_has_none() -> None:
    draft = parse_article(article("วันพฤหัสบดีที่ 3 ตุลาคม 2567", "03/10/2567", "นายกรัฐมนตรีสั่งการ"))
    assert draft.date == dt.date(2024, 10, 3)
    assert any("วันที่เผยแพร่" in warning for warning in draft.warnings)


def test_no_date_warns() -> None:
    draft = parse_article(article("อธิบดีเป็นประธานการประชุม"))
    assert draft.date is None
    assert "ไม่พบวันที่ประชุม" in draft.warnings


# --- Meeting number ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("เป็นประธานการประชุม ครั้งที่ 3/2565", "3/2565"),
        ("เป็นประธานการประชุม ครั้งที่ ๖/๒๕๖๗", "6/2567"),
        ("เป็นประธานการประชุมคณะอนุกรรมการครั้งที่2/2567", "2/2567"),
        ("เป็นประธานการประชุม ครั้งที่ 4 / 63", "4/2563"),
        ("เป็นประธานการประชุม ครั้งที่ 1 ประจำปีงบประมาณ พ.ศ. 2567", "1/2567"),
        ("เป็นประธานการประชุม ครั้งที่ ๒", None),
        ("ร่วมการประชุมรัฐมนตรีอาเซียน ครั้งที่ 24", None),
        ("ติดตามตามมติที่ประชุม ครั้งที่ 2/2566 เมื่อวันที่ 9 มิถุนายน 2566", None),
        ("จะนำเสนอในการประชุมครั้งต่อไป ครั้งที่ 4/2566", None),
    ],
)
def test_meeting_number(sentence: str, expected: str | None) -> None:
    assert parse_article(article(f"วันนี้ (5 ก.ค. 66) อธิบดี{sentence}")).number == expected


def test_meeting_number_skips_other_meetings_and_finds_this_one() -> None:
    text = article(
        "วันนี้ (18 ก.ค. 66) ปลัดกระทรวงมหาดไทย เป็นประธานการประชุม ตามมติที่ประชุม ครั้งที่ 2/2566 "
        "ที่ผ่านมา และในการประชุม ครั้งที่ 3/2566 นี้"
    )
    assert parse_article(text).number == "3/2566"


# --- Chair ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "chair"),
    [
        (OPENING, "นายประยูร รัตนเสนีย์ อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"),
        (
            "วันนี้ (21 พ.ค. 68) นายอนุทิน ชาญวีรกูล รองนายกรัฐมนตรีและรมว.มหาดไทย เป็นประธานเปิดการประชุม",
            "นายอนุทิน ชาญวีรกูล รองนายกรัฐมนตรีและรมว.มหาดไทย",
        ),
        (
            "วันนี้ (3 เม.ย. 68) น.ส.แพทองธาร ชินวัตร นายกรัฐมนตรี เป็นประธานเปิดโครงการ",
            "น.ส.แพทองธาร ชินวัตร นายกรัฐมนตรี",
        ),
        (
            "วันนี้ (12 กันยายน 2564) พลเอก ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี และรัฐมนตรีว่าการกระทรวงกลาโหม "
            "ประชุมส่วนราชการ",
            "พลเอก ประยุทธ์ จันทร์โอชา นายกรัฐมนตรี และรัฐมนตรีว่าการกระทรวงกลาโหม",
        ),
        (
            "วันนี้ (27 กันยายน 2567) โฆษกเผยว่า นางสาวแพทองธาร ชินวัตร นายกรัฐมนตรีเป็นประธานการประชุม",
            "นางสาวแพทองธาร ชินวัตร นายกรัฐมนตรี",
        ),
    ],
)
def test_chair(opening: str, chair: str) -> None:
    assert parse_article(article(opening)).chair == chair


def test_no_chair_warns() -> None:
    draft = parse_article(article("วันนี้ (5 ก.ค. 66) มีการประชุม"))
    assert draft.chair is None
    assert "ไม่พบผู้เป็นประธานการประชุม" in draft.warnings


# --- Directives: marker styles ----------------------------------------------------------------------

ORDERS = (
    "ให้ทุกจังหวัดเร่งจัดเก็บขยะมูลฝอยติดเชื้อให้ถูกวิธี",
    "ขอให้องค์กรปกครองส่วนท้องถิ่นบรรเทาปัญหาค่าครองชีพของประชาชน",
    "ให้ศูนย์พัฒนาเด็กเล็กดำเนินการตามแนวทางที่กำหนดอย่างเคร่งครัด",
)


@pytest.mark.parametrize(
    "markers",
    [
        ("1)", "2)", "3)"),
        ("1.", "2.", "3."),
        ("(1)", "(2)", "(3)"),
        ("๑)", "๒)", "๓)"),
        ("1 )", "2 )", "3 )"),
        ("ข้อ 1", "ข้อ 2", "ข้อ 3"),
    ],
)
@pytest.mark.parametrize("layout", ["inline", "lines"])
def test_directive_marker_styles(markers: tuple[str, str, str], layout: str) -> None:
    items = [f"{marker} {order}" for marker, order in zip(markers, ORDERS, strict=True)]
    lead = "อธิบดีได้เน้นย้ำข้อสั่งการ ดังนี้"
    body = (lead + " " + " ".join(items),) if layout == "inline" else (lead, *items)
    draft = parse_article(article(OPENING, *body))
    assert [d.text for d in draft.directives] == list(ORDERS)
    assert [d.seq for d in draft.directives] == [1, 2, 3]


def test_dates_and_counts_in_brackets_are_not_markers() -> None:
    text = article(
        OPENING,
        "อธิบดีเน้นย้ำ ดังนี้ 1) ให้จังหวัดรายงานผล (7 ก.ค. 66) และเฝ้าระวังโควิด-19) อย่างต่อเนื่อง "
        "2) ให้ประชาสัมพันธ์ (อายุ 19) ให้ทั่วถึง เวลา 13.30 น.",
    )
    draft = parse_article(text)
    assert len(draft.directives) == 2
    assert "(7 ก.ค. 66)" in draft.directives[0].text
    assert "โควิด-19)" in draft.directives[0].text


def test_sub_items_belong_to_their_parent() -> None:
    text = article(
        OPENING,
        "อธิบดีได้สั่งการต่อที่ประชุม ดังนี้",
        "1. ให้จัดตั้งศูนย์ปฏิบัติการส่วนหน้า",
        "2. การแก้ไขปัญหาในพื้นที่ ให้ดำเนินการดังนี้",
        "1) ให้แบ่งพื้นที่รับผิดชอบ",
        "2) ให้ทุกส่วนราชการสนับสนุนเครื่องจักร",
        "3. ให้เร่งจ่ายเงินเยียวยา 2.1 กรณีบ้านเสียหาย 2.2 กรณีเสียชีวิต",
    )
    draft = parse_article(text)
    assert [d.seq for d in draft.directives] == [1, 2, 3]
    assert "ให้แบ่งพื้นที่รับผิดชอบ" in draft.directives[1].text
    assert "ให้ทุกส่วนราชการสนับสนุนเครื่องจักร" in draft.directives[1].text
    assert "2.2 กรณีเสียชีวิต" in draft.directives[2].text


def test_a_sub_list_at_the_end_of_the_last_item() -> None:
    text = article(
        OPENING,
        "อธิบดีสั่งการ ดังนี้ 1. ให้จังหวัดเร่งรัดการเบิกจ่าย 2. ให้ดำเนินการดังนี้ 1) ให้สำรวจความเสียหาย 2) ให้รายงานผลทุกสัปดาห์",
    )
    draft = parse_article(text)
    assert len(draft.directives) == 2
    assert draft.directives[1].text.endswith("2) ให้รายงานผลทุกสัปดาห์")


def test_lists_across_paragraphs_number_on() -> None:
    text = article(
        OPENING,
        "อธิบดีได้กำชับ ดังนี้ 1) ให้จังหวัดจัดเก็บขยะ 2) ให้ท้องถิ่นบรรเทาค่าครองชีพ",
        "นอกจากนี้ อธิบดีได้มอบนโยบายเพิ่มเติม ดังนี้ 1) ให้ศูนย์พัฒนาเด็กเล็กเปิดเรียน 2) ขอให้จังหวัดประเมิน ITA",
    )
    draft = parse_article(text)
    assert [d.seq for d in draft.directives] == [1, 2, 3, 4]
    assert draft.directives[2].text == "ให้ศูนย์พัฒนาเด็กเล็กเปิดเรียน"


@pytest.mark.parametrize(
    "not_directives",
    [
        # a schedule
        "ที่ประชุมได้รับทราบแผน โดยแบ่งการดำเนินงานเป็น 2 ช่วง ได้แก่ 1) ช่วงรณรงค์ 15 มี.ค. – 2 เม.ย. 64 "
        "และ 2) ช่วงดำเนินการ 3 – 9 เม.ย. 64",
        # a progress report by someone else
        "นายสมชาย ใจดี ผู้ว่าราชการจังหวัดเชียงใหม่ กล่าวว่า ความก้าวหน้าการดำเนินงาน ได้แก่ "
        "1) โครงการพืชสวนโลก 2) โครงการคลองแม่ข่า 3) การจัดการปัญหา PM 2.5",
        # award counts
        "อธิบดีแสดงความยินดีกับผลงาน จำนวน 3 ประเภท ได้แก่ 1) ระดับดีเด่น 37 ผลงาน 2) ระดับมาตรฐาน 13 ผลงาน",
        # a framework: the SDGs
        "ซึ่งสอดคล้องกับ SDGs ได้แก่ เป้าหมายที่ 1) ขจัดความยากจน 2) ยุติความหิวโหย 3) สุขภาพดี",
        # concepts being defined
        "โดยยึดหลัก ไตรสิกขา ได้แก่ 1) อธิศีลสิกขา คือ ศีลอันยิ่ง 2) อธิจิตตสิกขา คือ จิตอันยิ่ง",
    ],
)
def test_lists_that_are_not_directives(not_directives: str) -> None:
    draft = parse_article(article(OPENING, not_directives))
    assert draft.directives == ()
    assert "ไม่พบข้อสั่งการ" in draft.warnings


def test_the_10es_restated_is_flagged_not_listed() -> None:
    ten_es = (
        "(ขอเน้นย้ำแนวทางการขับเคลื่อนภารกิจของ สถ.คือ 10Es ประกอบด้วย 1) Economy ส่งเสริมเศรษฐกิจ "
        "2) Education ส่งเสริมการศึกษา 3) Equality 4) Election 5) Environment 6) Effective Healthcare "
        "7) Emergency Management 8)Evaluation 9) Essential Infrastructure และ 10) e-Service)"
    )
    draft = parse_article(article(OPENING, "อธิบดีเน้นย้ำ ดังนี้ 1) ให้จังหวัดเก็บขยะ 2) ขอให้ท้องถิ่นช่วยเหลือ", ten_es))
    assert draft.ten_es is True
    assert len(draft.directives) == 2
    plain = parse_article(article(OPENING, "อธิบดีเน้นย้ำ ดังนี้ 1) ให้จังหวัดเก็บขยะ 2) ขอให้ท้องถิ่นช่วยเหลือ"))
    assert plain.ten_es is False


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("แนวทางปฏิบัติในการบริหารจัดการมูลฝอยติดเชื้อภายหลังเทศกาลปีใหม่ โดย พลเอก ประยุทธ์", None),
        ("มาตรการป้องกัน : ผู้ว่าราชการจังหวัด นายอำเภอ ต้องสร้างภูมิคุ้มกัน", "มาตรการป้องกัน"),
        ("บริหารจัดการน้ำในเขื่อนเจ้าพระยา : กรมชลประทาน", "บริหารจัดการน้ำในเขื่อนเจ้าพระยา"),
        ("ศึกษาการดำเนินงานของ อบจ.เชียงใหม่ ต้นแบบความสำเร็จ", "ศึกษาการดำเนินงานของ อบจ.เชียงใหม่"),
        (
            "การประเมินคุณธรรมและความโปร่งใส (Integrity and Transparency Assessment : ITA) ประจำปี",
            "การประเมินคุณธรรมและความโปร่งใส",
        ),
        ("ข้อมูล (ตัวอย่าง : ไม่ใช่หัวข้อ) ที่ยาวพอสมควรแล้วนะ ต่อ", "ข้อมูล (ตัวอย่าง : ไม่ใช่หัวข้อ)"),
        ("สั้น", "สั้น"),
    ],
)
def test_directive_title(text: str, title: str | None) -> None:
    expected = title or "แนวทางปฏิบัติในการบริหารจัดการมูลฝอยติดเชื้อภายหลังเทศกาลปีใหม่"
    assert directive_title(text) == expected


def test_directive_title_of_one_long_clause_is_cut_at_a_word() -> None:
    text = "ให้" + "องค์กรปกครองส่วนท้องถิ่นทุกแห่ง" * 6
    title = directive_title(text)
    assert len(title) <= 81
    assert title.endswith("…")
    assert text.startswith(title[:-1])


# --- Clean-up and HTML ------------------------------------------------------------------------------


def test_furniture_and_repeated_headlines_are_removed() -> None:
    raw = "\n".join(
        [
            "รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-อธิบดี สถ. ประชุมผู้บริหาร",
            "วันศุกร์ที่ 21 มกราคม 2565",
            "21/01/2565",
            "พิมพ์",
            "อธิบดี สถ. ประชุมผู้บริหาร",
            "อธิบดี สถ. ประชุมผู้บริหาร เน้นย้ำภารกิจสำคัญ",
            OPENING,
            "#กระทรวงมหาดไทย #บำบัดทุกข์บำรุงสุข",
            "อัลบั้มภาพ",
            "ข่าวที่เกี่ยวข้อง",
            "8 นโยบาย ของ รมว.กห.",
            "ที่มา : https://www.thaigov.go.th/news/contents/details/1",
            "จำนวนผู้เข้าชม 361",
        ]
    )
    clean = clean_article(raw)
    assert clean.title == "อธิบดี สถ. ประชุมผู้บริหาร"
    assert clean.paragraphs == (OPENING,)
    assert clean.page_date == dt.date(2022, 1, 21)
    assert clean.source_url == "https://www.thaigov.go.th/news/contents/details/1"


def test_no_break_and_zero_width_spaces_do_not_break_parsing() -> None:
    raw = article(OPENING.replace(" ", "\u00a0").replace("ครั้งที่", "ครั้ง\u200bที่"))
    draft = parse_article(raw)
    assert draft.number == "3/2565"
    assert draft.chair == "นายประยูร รัตนเสนีย์ อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"


def test_html_input() -> None:
    html = (
        "<html><head><title>x</title><style>p {color: red}</style></head><body>"
        "<h1>อธิบดี สถ. ประชุมผู้บริหาร</h1>"
        f"<p>{OPENING}</p>"
        "<p>อธิบดีได้เน้นย้ำ ดังนี้</p>"
        "<ol><li>ให้จังหวัดเร่งจัดเก็บขยะมูลฝอยติดเชื้อ</li><li>ขอให้ท้องถิ่นบรรเทาค่าครองชีพ&nbsp;ของประชาชน</li></ol>"
        "<script>var a = '1) ไม่ใช่';</script>"
        "<p>ที่มา : https://www.dla.go.th/news/1</p></body></html>"
    )
    draft = parse_article(html)
    assert draft.date == dt.date(2022, 1, 21)
    assert draft.number == "3/2565"
    assert [d.text for d in draft.directives] == [
        "ให้จังหวัดเร่งจัดเก็บขยะมูลฝอยติดเชื้อ",
        "ขอให้ท้องถิ่นบรรเทาค่าครองชีพ ของประชาชน",
    ]
    assert draft.source_url == "https://www.dla.go.th/news/1"
    assert "color" not in json.dumps(draft.to_json(), ensure_ascii=False)


def test_html_to_text_keeps_breaks() -> None:
    assert html_to_text("<p>ก</p><p>ข<br>ค</p>").split() == ["ก", "ข", "ค"]
    assert "1. หนึ่ง" in html_to_text("<ol><li>หนึ่ง</li><li>สอง</li></ol>")


# --- Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["", "   \n\n ", "\x00\x01\x02", "<html></html>", "\ufeff"],
)
def test_empty_input_gives_warnings(raw: str) -> None:
    draft = parse_article(raw)
    assert draft.title == ""
    assert draft.directives == ()
    assert "ไม่พบเนื้อหาข่าว" in draft.warnings
    assert "ไม่พบข้อสั่งการ" in draft.warnings


def test_non_thai_text_warns() -> None:
    draft = parse_article("The meeting of 3 May 2021 discussed 1) budgets 2) roads.\nNothing else.")
    assert any("ไม่ใช่ภาษาไทย" in warning for warning in draft.warnings)


def test_binary_garbage() -> None:
    garbage = bytes(range(256)).decode("latin-1") * 50
    draft = parse_article(garbage)
    assert isinstance(draft, MeetingDraft)
    assert all(isinstance(warning, str) and "\n" not in warning for warning in draft.warnings)


def test_article_without_date_or_list() -> None:
    draft = parse_article("ข่าวทั่วไป\nกรมส่งเสริมการปกครองท้องถิ่นขอเชิญชวนประชาชนร่วมกิจกรรม")
    assert draft.date is None
    assert draft.directives == ()
    assert {"ไม่พบวันที่ประชุม", "ไม่พบข้อสั่งการ"} <= set(draft.warnings)


@pytest.mark.slow
def test_ten_megabytes_is_fast_and_warns() -> None:
    seed = SEED.read_text(encoding="utf-8")
    huge = (seed + "\n") * (10_000_000 // len(seed) + 1)
    assert len(huge) >= 10_000_000
    started = time.perf_counter()
    draft = parse_article(huge)
    assert time.perf_counter() - started < 10
    assert any(f"{MAX_TEXT_CHARS:,}" in warning for warning in draft.warnings)
    assert draft.date == dt.date(2022, 1, 21)


def test_ten_megabytes_of_one_line_is_fast() -> None:
    started = time.perf_counter()
    draft = parse_article("ก1) " * 2_500_000)
    assert time.perf_counter() - started < 10
    assert isinstance(draft, MeetingDraft)


# --- Never raises -----------------------------------------------------------------------------------

THAI_PIECES = [
    *'กขคงจชซญดตถทนบปผพฟมยรลวศสหอฮะัาำิีึืุู่้๊๋์เแโใไๆฯ๐๑๒๓๔๕๖๗๘๙0123456789 ()./:-\n"“”',
    *["ม.ค.", "ครั้งที่", "1)", "2.", "(3)", "๔)", "วันนี้ (", "นาย", "เป็นประธาน", "ดังนี้", "\u00a0", "\u200b", "่่"],
]
THAI_HEAVY = st.lists(st.sampled_from(THAI_PIECES), max_size=300).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600))
def test_parse_article_never_raises_on_any_text(raw: str) -> None:
    draft = parse_article(raw)
    assert isinstance(draft.to_json(), dict)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(THAI_HEAVY, max_size=6).map("\n".join))
def test_parse_article_never_raises_on_thai_heavy_text(raw: str) -> None:
    draft = parse_article(raw)
    data = draft.to_json()
    assert [d["seq"] for d in data["directives"]] == list(range(1, len(data["directives"]) + 1))
    assert data["date"] is None or len(data["date"]) == 10
