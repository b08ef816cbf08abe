"""bot.thai: normalisation, digits, segmentation, Buddhist-Era years and Thai dates.

Expected values are written out here by hand (not derived from the module's own tables), so a wrong
entry in ``THAI_MONTHS`` or a wrong year rule fails a test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot import thai

# (spelling, month number): every full name and every common abbreviation, dotted and not.
MONTH_SPELLINGS = [
    ("มกราคม", 1),
    ("ม.ค.", 1),
    ("มค.", 1),
    ("มค", 1),
    ("กุมภาพันธ์", 2),
    ("ก.พ.", 2),
    ("กพ.", 2),
    ("มีนาคม", 3),
    ("มี.ค.", 3),
    ("มีค.", 3),
    ("เมษายน", 4),
    ("เม.ย.", 4),
    ("เมย.", 4),
    ("พฤษภาคม", 5),
    ("พ.ค.", 5),
    ("พค.", 5),
    ("มิถุนายน", 6),
    ("มิ.ย.", 6),
    ("มิย.", 6),
    ("กรกฎาคม", 7),
    ("ก.ค.", 7),
    ("กค.", 7),
    ("สิงหาคม", 8),
    ("ส.ค.", 8),
    ("สค.", 8),
    ("กันยายน", 9),
    ("ก.ย.", 9),
    ("กย.", 9),
    ("ตุลาคม", 10),
    ("ต.ค.", 10),
    ("ตค.", 10),
    ("พฤศจิกายน", 11),
    ("พ.ย.", 11),
    ("พย.", 11),
    ("ธันวาคม", 12),
    ("ธ.ค.", 12),
    ("ธค.", 12),
]


@pytest.mark.parametrize(("spelling", "number"), MONTH_SPELLINGS)
def test_month_number_knows_every_spelling(spelling: str, number: int) -> None:
    assert thai.month_number(spelling) == number


@pytest.mark.parametrize(("spelling", "number"), MONTH_SPELLINGS)
def test_every_month_spelling_parses_in_a_date(spelling: str, number: int) -> None:
    assert thai.parse_thai_date(f"วันที่ 15 {spelling} 2565") == dt.date(2022, number, 15)


@pytest.mark.parametrize(("spelling", "number"), MONTH_SPELLINGS)
def test_every_month_spelling_parses_with_a_two_digit_year(spelling: str, number: int) -> None:
    assert thai.parse_thai_date(f"(9 {spelling} 66)") == dt.date(2023, number, 9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # BE, four digits
        ("21 มกราคม 2565", dt.date(2022, 1, 21)),
        ("วันนี้ ( 21 มกราคม 2565)", dt.date(2022, 1, 21)),
        ("13 ตุลาคม พุทธศักราช 2559", dt.date(2016, 10, 13)),
        ("1 ตุลาคม พ.ศ. 2567", dt.date(2024, 10, 1)),
        ("3 พ.ค.2564", dt.date(2021, 5, 3)),
        # BE, two digits
        ("เมื่อวันที่ 2 ธ.ค. 64", dt.date(2021, 12, 2)),
        ("(2 ธ.ค.63)", dt.date(2020, 12, 2)),
        ("(26 ส.ค. 68)", dt.date(2025, 8, 26)),
        ("เมื่อวานนี้ (23 พ.ค. 68)", dt.date(2025, 5, 23)),
        ("(7 ก.ค. 66)", dt.date(2023, 7, 7)),
        # CE, four digits (below 2400) and with an explicit era
        ("3 May is not Thai but 3 พฤษภาคม 2021 is", dt.date(2021, 5, 3)),
        ("1 ก.พ. ค.ศ. 2022", dt.date(2022, 2, 1)),
        ("1 ก.พ. ค.ศ. 22", dt.date(2022, 2, 1)),
        # Thai digits
        ("ในวันพุธที่ ๑๗ กรกฎาคม ๒๕๖๗", dt.date(2024, 7, 17)),
        ("(๕ ก.ค. ๖๖)", dt.date(2023, 7, 5)),
        # numeric and ISO
        ("17/07/2567", dt.date(2024, 7, 17)),
        ("๑๗/๐๗/๒๕๖๗", dt.date(2024, 7, 17)),
        ("3/10/2024", dt.date(2024, 10, 3)),
        ("2022-01-21", dt.date(2022, 1, 21)),
        # ranges give their last day
        ("ระหว่างวันที่ 10 – 13 ธันวาคม 2563", dt.date(2020, 12, 13)),
    ],
)
def test_parse_thai_date(text: str, expected: dt.date) -> None:
    assert thai.parse_thai_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "ไม่มีวันที่", "ปี 2030", "31 กุมภาพันธ์ 2565", "32 มกราคม 2565", "13.30 น.", "โควิด-19", "ครั้งที่ 3/2565"],
)
def test_parse_thai_date_none(text: str) -> None:
    assert thai.parse_thai_date(text) is None


def test_find_dates_gives_positions_in_the_original_text() -> None:
    text = "ประชุม (๒๑ ม.ค. ๖๕) และอีกครั้ง 4 ก.พ. 2565"
    found = thai.find_dates(text)
    assert [f.date for f in found] == [dt.date(2022, 1, 21), dt.date(2022, 2, 4)]
    assert [text[f.start : f.end] for f in found] == ["๒๑ ม.ค. ๖๕", "4 ก.พ. 2565"]
    assert found[0].text == "๒๑ ม.ค. ๖๕"


def test_find_dates_without_year_needs_a_default_year() -> None:
    assert thai.find_dates("ภายใน 30 พ.ย. นี้") == []
    (found,) = thai.find_dates("ภายใน 30 พ.ย. นี้", default_year=2024)
    assert found.date == dt.date(2024, 11, 30)
    assert not found.has_year


@pytest.mark.parametrize("text", ["ภายในวันที่ 20 กรกฎาคมนี้", "ก่อนวันที่ 20 ก.ค.นี้ ให้", "ในวันที่ ๒๐ กรกฎาคมนี้"])
def test_a_month_written_tight_before_nee_this_is_still_a_month(text: str) -> None:
    (found,) = thai.find_dates(text, default_year=2024)
    assert found.date == dt.date(2024, 7, 20)


def test_a_month_name_inside_a_longer_word_is_no_month() -> None:
    assert thai.find_dates("เมื่อ 20 มีนาคมนิยม", default_year=2024) == []


@pytest.mark.parametrize(
    ("year_text", "era", "expected"),
    [
        ("2565", None, 2022),
        ("2400", None, 1857),
        ("2399", None, 2399),
        ("2022", None, 2022),
        ("64", None, 2021),
        ("00", None, 1957),
        ("๒๕๖๗", None, 2024),
        ("๖๗", None, 2024),
        ("2022", "BE", 1479),
        ("2565", "CE", 2565),
        ("22", "CE", 2022),
        ("22", "BE", 1979),
        ("123", None, None),
        ("abcd", None, None),
    ],
)
def test_year_to_ce(year_text: str, era: thai.Era | None, expected: int | None) -> None:
    assert thai.year_to_ce(year_text, era) == expected


@pytest.mark.parametrize(("be", "ce"), [(2565, 2022), (2543, 2000), (2600, 2057)])
def test_be_ce_round_trip(be: int, ce: int) -> None:
    assert thai.be_to_ce(be) == ce
    assert thai.ce_to_be(ce) == be


@pytest.mark.parametrize(("short", "full"), [(64, 2564), (0, 2500), (99, 2599), (2566, 2566)])
def test_two_digit_be_year(short: int, full: int) -> None:
    assert thai.two_digit_be_year(short) == full


@pytest.mark.parametrize(
    ("date", "full", "short"),
    [
        (dt.date(2022, 1, 21), "21 มกราคม 2565", "21 ม.ค. 65"),
        (dt.date(2024, 7, 17), "17 กรกฎาคม 2567", "17 ก.ค. 67"),
        (dt.date(2043, 12, 1), "1 ธันวาคม 2586", "1 ธ.ค. 86"),
        (dt.date(1957, 2, 3), "3 กุมภาพันธ์ 2500", "3 ก.พ. 00"),
    ],
)
def test_format_thai_date(date: dt.date, full: str, short: str) -> None:
    assert thai.format_thai_date(date) == full
    assert thai.format_thai_date(date, "full") == full
    assert thai.format_thai_date(date, "short") == short
    assert thai.parse_thai_date(thai.format_thai_date(date, "short")) == date


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ก\u00a0\u00a0ข", "ก ข"),  # no-break spaces
        ("ก\u2003\u202fข\u3000ค", "ก ข ค"),  # em, narrow no-break, ideographic spaces
        ("ก\tข", "ก ข"),
        ("มหา\u200bดไทย", "มหาดไทย"),  # zero-width space
        ("มหา\u200c\u200d\ufeff\u2060ดไทย", "มหาดไทย"),
        ("ที่่", "ที่"),  # doubled mai ek
        ("น้้ำ", "น้ำ"),  # doubled mai tho
        ("ดีี", "ดี"),  # doubled sara ii
        ("ก\u0e48\u0e34", "ก\u0e34\u0e48"),  # tone typed before its vowel
        ("ท\u0e4d\u0e32", "ทำ"),  # Sara Am as nikhahit + sara aa
        ("น\u0e49\u0e4d\u0e32", "น้ำ"),  # ... with the tone in between
        ("น\u0e4d\u0e49\u0e32", "น้ำ"),
        ("a  b   c", "a b c"),
        ("บรรทัด  \r\nใหม่ ", "บรรทัด\nใหม่"),
        ("x\x00y\x07z", "x y z"),
    ],
)
def test_normalize(raw: str, clean: str) -> None:
    assert thai.normalize(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ข่าว\u202eลบ\u202c", "ข่าวลบ"),  # right-to-left override, and its pop
        ("\u202aเชียงใหม่\u202b\u202d", "เชียงใหม่"),  # embeddings and the left-to-right override
        ("\u2066ภูเก็ต\u2069 \u2067E7\u2068", "ภูเก็ต E7"),  # isolates, and the isolate's pop
        ("\u200eลงทะเบียน\u200f", "ลงทะเบียน"),  # left-to-right and right-to-left marks
        ("ข้อสั่ง\u061cการ", "ข้อสั่งการ"),  # Arabic letter mark
    ],
)
def test_normalize_removes_bidi_controls(raw: str, clean: str) -> None:
    """They are invisible, and an override shows a text in another order than it is read in."""
    assert thai.normalize(raw) == clean


def test_normalize_is_idempotent_on_the_seed() -> None:
    from pathlib import Path

    seed = (Path(__file__).parents[2] / "bot/data/seed/meeting-3-2565.txt").read_text(encoding="utf-8")
    once = thai.normalize(seed)
    assert thai.normalize(once) == once
    assert "\u00a0" not in once


@pytest.mark.parametrize(("raw", "arabic"), [("๐๑๒๓๔๕๖๗๘๙", "0123456789"), ("ครั้งที่ ๖/๒๕๖๗", "ครั้งที่ 6/2567")])
def test_thai_digits_to_arabic(raw: str, arabic: str) -> None:
    assert thai.thai_digits_to_arabic(raw) == arabic
    assert len(thai.thai_digits_to_arabic(raw)) == len(raw)


def test_segment_words_without_whitespace() -> None:
    assert thai.segment("การประเมิน ITA") == ["การประเมิน", "ITA"]
    assert thai.segment("   ") == []
    assert "ค่าครองชีพ" in "".join(thai.segment("บรรเทาปัญหาค่าครองชีพ"))


def test_segment_is_fast_after_warm_up() -> None:
    import time

    thai.segment("อุ่นเครื่อง")
    text = "กรมส่งเสริมการปกครองท้องถิ่นขอความร่วมมือองค์กรปกครองส่วนท้องถิ่น " * 200
    started = time.perf_counter()
    tokens = thai.segment(text)
    assert time.perf_counter() - started < 2.0
    assert len(tokens) > 1000


def test_thai_share() -> None:
    assert thai.thai_share("ภาษาไทย") == 1.0
    assert thai.thai_share("English") == 0.0
    assert thai.thai_share("1234 !!") == 0.0
    assert 0.4 < thai.thai_share("ไทย abc") < 0.6
