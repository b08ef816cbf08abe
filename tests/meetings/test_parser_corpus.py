"""parse_article on the 29 real articles of tests/fixtures/corpus/, against a human reading.

The table below is what a careful official reads in each article (read by hand before the parser was
run on them): the meeting date (not the page's), the meeting number when the article gives one with
its year, how many numbered directives there are (sub-items counted in their parent; schedules,
progress reports, frameworks and agenda items are not directives) and who chairs, when that is clear.
``CHAIR_UNCLEAR`` means the article does not say who presides, and the chair is not checked.

When the parser disagrees with a reading, the case is marked ``xfail(strict=True)`` with the reason,
never changed to match the parser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest

from meetings.parsing import MeetingDraft, parse_article

CORPUS: Final = Path(__file__).parents[1] / "fixtures" / "corpus"
CHAIR_UNCLEAR: Final = ("", "")
SUTHIPONG: Final = ("นายสุทธิพงษ์ จุลเจริญ", "ปลัดกระทรวงมหาดไทย")
ANUPHONG: Final = ("พลเอก อนุพงษ์ เผ่าจินดา", "รัฐมนตรีว่าการกระทรวงมหาดไทย")


@dataclass(frozen=True)
class Reading:
    article: str
    date: dt.date
    number: str | None
    directives: int
    chair: tuple[str, str]
    """(name, position) as they should appear in the chair string."""
    note: str


READINGS: Final = (
    Reading(
        "35622",
        dt.date(2020, 10, 1),
        None,
        0,
        ANUPHONG,
        "วันนี้ (1 ต.ค. 63); talks with the election commission, no numbered list.",
    ),
    Reading(
        "37251",
        dt.date(2020, 12, 2),
        "4/2563",
        8,
        ("นายนิพนธ์ บุญญามณี", "รัฐมนตรีช่วยว่าการกระทรวงมหาดไทย"),
        "ศปถ. 4/2563; the minister hands down '8 แนวทาง ได้แก่ 1) ... 8)'.",
    ),
    Reading(
        "39440",
        dt.date(2021, 2, 25),
        "1/2564",
        0,
        ANUPHONG,
        "ศปถ. 1/2564; the only list is the campaign's two periods (ช่วง), a schedule.",
    ),
    Reading(
        "39917",
        dt.date(2021, 3, 11),
        "2/2564",
        0,
        ANUPHONG,
        "เมื่อวันที่ 11 มี.ค. 64 (page: 12th); the governor names this meeting 2/2564; the 1)-5) list "
        "is a university director's progress report.",
    ),
    Reading(
        "41442",
        dt.date(2021, 5, 3),
        None,
        0,
        CHAIR_UNCLEAR,
        "ASEAN+3 finance meeting 'ครั้งที่ 24' (no year); 1.-4. summarise what the meeting noted; "
        "co-chaired by Korea and Brunei, the Thai minister attended.",
    ),
    Reading(
        "45750",
        dt.date(2021, 9, 12),
        None,
        0,
        ("พลเอก ประยุทธ์ จันทร์โอชา", "นายกรัฐมนตรี"),
        "the Prime Minister meets Samut Prakan officials on floods; orders in prose only.",
    ),
    Reading(
        "48568",
        dt.date(2021, 11, 22),
        None,
        0,
        ("นายไมตรี อินทุสุต", "ประธานอนุกรรมการพัฒนาระบบราชการ"),
        "HPP meeting; '5 ด้าน ได้แก่ 1) การบริหารสถานการณ์ ...' names process areas, not orders.",
    ),
    Reading(
        "53768",
        dt.date(2022, 4, 20),
        "1/2565",
        0,
        SUTHIPONG,
        "เมื่อวันที่ 20 เม.ย. 65 (page: 21st); numbered lists are pollution sources and phases "
        "reported by Bangkok and Chachoengsao; the permanent secretary's orders are prose.",
    ),
    Reading(
        "56434",
        dt.date(2022, 7, 1),
        None,
        0,
        SUTHIPONG,
        "SDG committee; the 1)-17) list is the 17 UN goals (a framework).",
    ),
    Reading(
        "63053",
        dt.date(2022, 12, 23),
        "11/2565",
        0,
        CHAIR_UNCLEAR,
        "an assistant minister attends meeting 11/2565 hosted by another ministry and raises "
        "3 issues (agenda items, not directives).",
    ),
    Reading(
        "70020",
        dt.date(2023, 7, 5),
        None,
        2,
        SUTHIPONG,
        "the 1)-3) list is the Buddhist ไตรสิกขา (doctrine); the two items after 'มอบหมายให้ สถ. "
        "... อาทิ 1) 2)' are assignments.",
    ),
    Reading(
        "70492",
        dt.date(2023, 7, 18),
        "3/2566",
        6,
        SUTHIPONG,
        "เมื่อวันที่ 18 ก.ค. 66 (page: 19th); the chair's six lines of action 1)-6).",
    ),
    Reading(
        "71128", dt.date(2023, 8, 9), None, 0, SUTHIPONG, "water situation in Chai Nat; no numbered list."
    ),
    Reading(
        "73214",
        dt.date(2023, 10, 10),
        None,
        2,
        SUTHIPONG,
        "'ครั้งที่ 1' in the headline is the first Navamindra Day, not a meeting number; 1)-2) are "
        "activities the ministry told provinces to hold; 1)-7) are exhibition stations in Buriram.",
    ),
    Reading(
        "73866",
        dt.date(2023, 10, 26),
        None,
        0,
        ("นายอนุทิน ชาญวีรกูล", "รองนายกรัฐมนตรีและรัฐมนตรีว่าการกระทรวงมหาดไทย"),
        "Andaman provinces meeting in Phuket; no numbered list.",
    ),
    Reading(
        "74210",
        dt.date(2023, 11, 4),
        None,
        0,
        ("ร้อยเอก ธรรมนัส พรหมเผ่า", "รัฐมนตรีว่าการกระทรวงเกษตรและสหกรณ์"),
        "the body gives no date: the page date (4 Nov 2566) stands in, with a warning.",
    ),
    Reading(
        "77710",
        dt.date(2024, 1, 19),
        "1/2567",
        0,
        CHAIR_UNCLEAR,
        "Interior housewives' association meeting 'ครั้งที่ 1 ประจำปีงบประมาณ พ.ศ. 2567' = 1/2567; "
        "the permanent secretary gives guidance but the association runs the meeting.",
    ),
    Reading(
        "78029",
        dt.date(2024, 1, 26),
        "1/2567",
        0,
        SUTHIPONG,
        "both numbered lists are the NHSO secretary-general describing powers and fund types.",
    ),
    Reading("81346", dt.date(2024, 4, 4), "1/2567", 0, SUTHIPONG, "SDG committee 1/2567; no numbered list."),
    Reading(
        "81663",
        dt.date(2024, 4, 11),
        None,
        0,
        CHAIR_UNCLEAR,
        "the governor reports a provincial meeting; who presided is not said.",
    ),
    Reading(
        "82506",
        dt.date(2024, 5, 2),
        "2/2567",
        0,
        SUTHIPONG,
        "informal-debt subcommittee 'ครั้งที่ 2/2567' (no space); no numbered list.",
    ),
    Reading(
        "84499",
        dt.date(2024, 6, 14),
        None,
        0,
        ("นายเชษฐา โมสิกรัตน์", "รองปลัดกระทรวงมหาดไทยด้านบริหาร"),
        "วันนี้ (14 มิ.ย. 67) though the page says 15; '4 โครงการ ... ได้แก่ 1. 2. 3. 4.' lists projects.",
    ),
    Reading(
        "88378",
        dt.date(2024, 9, 24),
        None,
        0,
        SUTHIPONG,
        "'ฉบับที่ 3 พ.ศ. 2565' is a charter edition, not a meeting number; no numbered list.",
    ),
    Reading(
        "88499",
        dt.date(2024, 9, 27),
        None,
        2,
        ("นางสาวแพทองธาร ชินวัตร", "นายกรัฐมนตรี"),
        "'สั่งการต่อที่ประชุม ดังนี้ 1. ... 2. ... ดังนี้' with 1)-6) under item 2: two directives.",
    ),
    Reading(
        "88664",
        dt.date(2024, 10, 3),
        None,
        6,
        CHAIR_UNCLEAR,
        "six orders of the Prime Minister, not a meeting; no date in the body, page date used.",
    ),
    Reading(
        "95003",
        dt.date(2025, 4, 3),
        None,
        0,
        ("นางสาวแพทองธาร ชินวัตร", "นายกรัฐมนตรี"),
        "a preview published 2 Apr: the meeting is 'วันพรุ่งนี้ (วันพฤหัสบดี ที่ 3 เมษายน 2568)'.",
    ),
    Reading(
        "95049",
        dt.date(2025, 4, 3),
        None,
        4,
        ("น.ส.แพทองธาร ชินวัตร", "นายกรัฐมนตรี"),
        "'ได้มอบ 4 แนวทาง ได้แก่ 1) ... 4)'.",
    ),
    Reading(
        "96606",
        dt.date(2025, 5, 21),
        None,
        0,
        ("นายอนุทิน ชาญวีรกูล", "รองนายกรัฐมนตรีและรมว.มหาดไทย"),
        "disaster-warning workshop; orders in prose only.",
    ),
    Reading(
        "98490",
        dt.date(2025, 7, 16),
        None,
        4,
        ("นายภูมิธรรม เวชยชัย", "รองนายกรัฐมนตรีและรัฐมนตรีว่าการกระทรวงมหาดไทย"),
        "เมื่อวานนี้ (16 ก.ค. 68); '4 มาตรการ ได้แก่ 1.มาตรการป้องกัน : ... 4.'; the later "
        "'วันพรุ่งนี้ (17 กรกฎาคม 68)' is another event.",
    ),
)

# Where the parser disagrees with the reading: (article, field) -> reason. Empty when all agree.
KNOWN_DISAGREEMENTS: Final[dict[tuple[str, str], str]] = {}


def _cases(field: str) -> list[Any]:
    cases = []
    for reading in READINGS:
        if field == "chair" and reading.chair == CHAIR_UNCLEAR:
            continue
        reason = KNOWN_DISAGREEMENTS.get((reading.article, field))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(reading, id=reading.article, marks=marks))
    return cases


_drafts: dict[str, MeetingDraft] = {}


def draft_of(article: str) -> MeetingDraft:
    if article not in _drafts:
        text = (CORPUS / f"thaigov-{article}.txt").read_text(encoding="utf-8")
        _drafts[article] = parse_article(text)
    return _drafts[article]


def test_the_table_covers_every_corpus_article() -> None:
    on_disk = sorted(path.stem.removeprefix("thaigov-") for path in CORPUS.glob("thaigov-*.txt"))
    assert sorted(reading.article for reading in READINGS) == on_disk
    assert len(on_disk) == 29


@pytest.mark.parametrize("reading", _cases("date"))
def test_meeting_date(reading: Reading) -> None:
    assert draft_of(reading.article).date == reading.date


@pytest.mark.parametrize("reading", _cases("number"))
def test_meeting_number(reading: Reading) -> None:
    assert draft_of(reading.article).number == reading.number


@pytest.mark.parametrize("reading", _cases("directives"))
def test_directive_count(reading: Reading) -> None:
    draft = draft_of(reading.article)
    assert len(draft.directives) == reading.directives
    assert ("ไม่พบข้อสั่งการ" in draft.warnings) == (reading.directives == 0)


@pytest.mark.parametrize("reading", _cases("chair"))
def test_chair(reading: Reading) -> None:
    name, position = reading.chair
    chair = draft_of(reading.article).chair
    assert chair is not None
    assert chair.startswith(name)
    assert position in chair


@pytest.mark.parametrize("reading", _cases("title"))
def test_title_without_site_furniture(reading: Reading) -> None:
    draft = draft_of(reading.article)
    assert draft.title
    assert not draft.title.startswith("รัฐบาลไทย")
    assert draft.source_url == f"https://www.thaigov.go.th/news/contents/details/{reading.article}" or (
        reading.article == "88664"  # this page names another page as its source
    )


def test_page_date_fallback_is_flagged() -> None:
    for article in ("74210", "88664"):
        assert any("วันที่เผยแพร่" in warning for warning in draft_of(article).warnings)
    assert not any("วันที่เผยแพร่" in warning for warning in draft_of("37251").warnings)


def test_directive_texts_of_a_nested_list() -> None:
    first, second = draft_of("88499").directives
    assert first.text.startswith("ให้จัดตั้ง ศปช.")
    assert "6) เพื่อแก้ไขปัญหาในระยะยาว" in second.text
    assert "การจ่ายเงินเยียวยา" not in second.text


@pytest.mark.parametrize("reading", READINGS, ids=[r.article for r in READINGS])
def test_a_stray_line_above_the_headline_changes_nothing(reading: Reading) -> None:
    """An HTML page's <title> (the site's name) often comes first; the page's repeated headline wins."""
    text = (CORPUS / f"thaigov-{reading.article}.txt").read_text(encoding="utf-8")
    plain = parse_article(text)
    with_site_name = parse_article("กรมส่งเสริมการปกครองท้องถิ่น\n" + text)
    fields = ("title", "date", "number", "chair", "directives")
    assert [getattr(with_site_name, f) for f in fields] == [getattr(plain, f) for f in fields]
