"""Every message the bot builds is one LINE accepts: checked against messaging-api.yml (discriminators
followed) and LINE's limits by the stand-in's validator, including for oversized and hostile content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import cards, flex, postback
from bot.models import Directive, Meeting, TenE
from broadcasts.content import acknowledge_action, summary_messages
from linesim import validate_messages
from meetings.parsing.classify import ten_e_codes

TEN_ES = [
    TenE(number=n, code=code, name_th="x", description="") for n, code in enumerate(ten_e_codes(), start=1)
]


def meeting_with(directives: list[tuple[str, str]], number: str | None = "3/2565") -> Meeting:
    meeting = Meeting(
        id=1,
        title="การประชุม",
        meeting_date=dt.date(2022, 1, 21),
        number=number,
        chair="นายก",
        raw_text="",
        content_hash="x",
    )
    for seq, (title, text) in enumerate(directives, start=1):
        meeting.directives.append(
            Directive(id=seq, seq=seq, title=title, text=text, categories=TEN_ES[seq % 10 : seq % 10 + 2])
        )
    return meeting


def assert_valid(messages: list[dict[str, Any]]) -> None:
    assert validate_messages(messages) == []


def test_text_is_cut_to_5000_utf16_units() -> None:
    assert_valid([flex.text("ก" * 6000)])
    emoji = flex.text("😀" * 3000)  # 6,000 UTF-16 units
    assert flex.utf16_units(emoji["text"]) <= 5000
    assert_valid([emoji])


def test_long_text_is_split_into_at_most_five_messages() -> None:
    body = "\n".join(f"บรรทัดที่ {n} " + "ข" * 90 for n in range(400))
    messages = flex.texts(body)
    assert 1 < len(messages) <= 5
    assert_valid(messages)
    assert messages[0]["text"].startswith("บรรทัดที่ 0")


def test_quick_replies_are_capped_at_13_with_short_labels() -> None:
    actions = [flex.message_action(f"ตัวเลือกที่ยาวมากเกินยี่สิบตัวอักษร {n}", f"{n}") for n in range(20)]
    message = flex.text("เลือก", actions)
    assert len(message["quickReply"]["items"]) == 13
    assert_valid([message])


def test_a_meeting_with_many_long_directives_is_a_valid_carousel() -> None:
    meeting = meeting_with([("หัวข้อ " * 60, "เนื้อหา " * 3000) for _ in range(20)])
    message = cards.meeting_carousel(meeting)
    assert len(message["contents"]["contents"]) <= 12
    assert len(message["altText"]) <= 1500
    assert_valid([message])


def test_a_meeting_without_number_or_date() -> None:
    meeting = meeting_with([("เรื่อง", "ข้อความ")], number=None)
    meeting.meeting_date = None
    assert_valid([cards.meeting_carousel(meeting)])


@pytest.mark.parametrize(
    ("body", "heading"),
    [
        (None, "การประชุม สถ. ครั้งที่ 3/2565"),  # no body named: the department's own meeting
        ("มท.", "การประชุม มท. ครั้งที่ 3/2565"),
        ("  คณะกรรมการ\nสิ่งแวดล้อมแห่งชาติ ", "การประชุม คณะกรรมการ สิ่งแวดล้อมแห่งชาติ ครั้งที่"),
    ],
)
def test_a_meeting_is_named_by_the_body_that_held_it(body: str | None, heading: str) -> None:
    meeting = meeting_with([("เรื่อง", "ข้อความ")])
    meeting.body = body
    assert cards.meeting_heading(meeting).startswith(heading)
    assert_valid([cards.meeting_carousel(meeting)])


def test_a_committees_long_name_is_cut_in_the_heading() -> None:
    meeting = meeting_with([("เรื่อง", "ข้อความ")])
    meeting.body = "คณะกรรมการคัดเลือกผู้แทนประเทศไทยเพื่อรับรางวัลผู้นำอาเซียนด้านการพัฒนาชนบทและขจัดความยากจน"
    heading = cards.meeting_heading(meeting)
    assert "…" in heading and "ขจัดความยากจน" not in heading and "3/2565" in heading


def test_the_validator_catches_what_we_guard_against() -> None:
    """The check is real: a message beyond LINE's limits is refused."""
    assert validate_messages([{"type": "text", "text": "ก" * 5001}]) != []
    too_many = {
        "type": "carousel",
        "contents": [
            cards.directive_bubble(d, meeting_with([("a", "b")] * 13))
            for d in meeting_with([("a", "b")] * 13).directives
        ],
    }
    assert validate_messages([{"type": "flex", "altText": "x", "contents": too_many}]) != []


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=400), st.text(max_size=4000)), min_size=1, max_size=15),
    st.one_of(st.none(), st.from_regex(r"[0-9]{1,3}/[0-9]{4}", fullmatch=True)),
)
def test_any_content_makes_valid_cards(directives: list[tuple[str, str]], number: str | None) -> None:
    assert_valid([cards.meeting_carousel(meeting_with(directives, number))])


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=8000))
def test_any_text_makes_valid_messages(body: str) -> None:
    assert_valid(flex.texts(body))


def report_buttons(messages: Sequence[Mapping[str, Any]]) -> list[int]:
    """The directive ids of the "รายงานผล" buttons, in the order a reader swipes through them."""
    return [
        decoded.directive_id
        for message in messages
        for bubble in message["contents"]["contents"]
        for button in bubble.get("footer", {}).get("contents", [])
        if isinstance(decoded := postback.decode(button["action"].get("data", "")), postback.AskReport)
    ]


@pytest.mark.parametrize("count", [1, 11, 12, 23, 24, 59])
def test_every_directive_of_a_summary_has_its_report_button(count: int) -> None:
    """One carousel holds the summary card and 11 directives; the rest go on in further carousels of the
    same request, up to LINE's five messages (11 + 4 × 12 = 59 directives)."""
    meeting = meeting_with([(f"เรื่องที่ {n}", "ให้ดำเนินการ") for n in range(count)])
    messages = summary_messages(meeting, acknowledge_action(7))
    assert_valid(messages)
    assert len(messages) == -(-(count + 1) // 12)  # the summary card and the directives, 12 a carousel
    assert report_buttons(messages) == list(range(1, count + 1))
    assert [m["altText"].startswith("สรุปการประชุม สถ. (ต่อ)") for m in messages] == [False] + [True] * (
        len(messages) - 1
    )


def test_a_summary_too_long_for_one_request_keeps_its_first_directives_in_order() -> None:
    meeting = meeting_with([("หัวข้อ " * 60, "เนื้อหา " * 3000) for _ in range(80)])
    messages = summary_messages(meeting, acknowledge_action(7))
    assert_valid(messages)
    assert len(messages) == flex.MAX_MESSAGES
    shown = report_buttons(messages)
    assert shown == list(range(1, len(shown) + 1)) and 40 < len(shown) < 80


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=400), st.text(max_size=4000)), min_size=1, max_size=40))
def test_any_summary_is_valid_and_shows_its_directives_in_order(directives: list[tuple[str, str]]) -> None:
    messages = summary_messages(meeting_with(directives), acknowledge_action(7))
    assert_valid(messages)
    assert report_buttons(messages) == list(range(1, len(directives) + 1))
