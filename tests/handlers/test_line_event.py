"""An event is parsed once into a `LineEvent`: its source, its text without mentions, its postback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from handlers.line_event import EventType, LineEvent, MalformedEvent, SourceKind, parse_event


def _event(kind: str = "message", source: Any = None, **fields: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "timestamp": 1_700_000_000_000,
        "replyToken": "r1",
        "source": {"type": "user", "userId": "U1"} if source is None else source,
        **fields,
    }


@pytest.mark.parametrize(
    ("source", "kind", "user", "group", "chat"),
    [
        ({"type": "user", "userId": "U1"}, SourceKind.USER, "U1", None, "U1"),
        ({"type": "group", "groupId": "C1", "userId": "U2"}, SourceKind.GROUP, "U2", "C1", "C1"),
        ({"type": "room", "roomId": "R1", "userId": "U3"}, SourceKind.ROOM, "U3", "R1", "R1"),
        ({"type": "group", "groupId": "C2"}, SourceKind.GROUP, None, "C2", "C2"),  # user not shared
    ],
)
def test_the_source_says_who_and_where(
    source: dict[str, Any], kind: SourceKind, user: str | None, group: str | None, chat: str
) -> None:
    event = parse_event(_event(source=source))
    assert (event.source, event.user_id, event.group_id, event.chat_id) == (kind, user, group, chat)
    assert event.in_group is (kind is not SourceKind.USER)


@pytest.mark.parametrize(
    "source",
    [
        {"type": "channel", "userId": "U1"},
        "U1",
        {"type": "user", "userId": 7},
        {"type": "group", "groupId": "C" * 65},
    ],
)
def test_a_source_line_never_sends_is_malformed(source: Any) -> None:
    with pytest.raises(MalformedEvent):
        parse_event(_event(source=source))


@pytest.mark.parametrize("kind", ["messageEdited", "somethingNew", None, 3])
def test_a_type_the_bot_does_not_answer_is_refused(kind: Any) -> None:
    with pytest.raises(MalformedEvent):
        parse_event({**_event(), "type": kind})


def test_every_answered_type_parses() -> None:
    assert {parse_event(_event(kind.value)).type for kind in EventType} == set(EventType)


@pytest.mark.parametrize(
    ("text", "mentionees", "wanted", "mentioned"),
    [
        ("@บอท ข้อสั่งการล่าสุด", [{"index": 0, "length": 4, "isSelf": True}], " ข้อสั่งการล่าสุด", True),
        ("ขอ @บอท เมนู", [{"index": 3, "length": 4, "isSelf": True}], "ขอ  เมนู", True),
        ("@สมชาย ดูหน่อย", [{"index": 0, "length": 6}], "@สมชาย ดูหน่อย", False),  # someone else
        (
            "@บอท @สมชาย @บอท ประชุม",
            [
                {"index": 0, "length": 4, "isSelf": True},
                {"index": 5, "length": 6},
                {"index": 12, "length": 4, "isSelf": True},
            ],
            " @สมชาย  ประชุม",
            True,
        ),
        ("เมนู", [{"index": "x", "length": 2, "isSelf": True}], "เมนู", False),  # a broken mention is skipped
    ],
)
def test_the_text_loses_the_mentions_of_the_bot(
    text: str, mentionees: list[dict[str, Any]], wanted: str, mentioned: bool
) -> None:
    message = {"type": "text", "text": text, "mention": {"mentionees": mentionees}}
    event = parse_event(_event(message=message, source={"type": "group", "groupId": "C1", "userId": "U1"}))
    assert (event.text, event.mentioned, event.message_type) == (wanted, mentioned, "text")


def test_a_sticker_has_no_text() -> None:
    event = parse_event(_event(message={"type": "sticker", "packageId": "1", "stickerId": "2"}))
    assert (event.message_type, event.text) == ("sticker", "")


def test_postback_data_members_and_redelivery() -> None:
    pressed = parse_event(_event("postback", postback={"data": "action=help"}))
    assert pressed.postback_data == "action=help" and pressed.text == ""
    joined = parse_event(
        _event("memberJoined", joined={"members": [{"type": "user", "userId": f"U{n}"} for n in range(3)]})
    )
    assert joined.members_joined == 3
    again = parse_event(_event(deliveryContext={"isRedelivery": True}))
    assert again.redelivery and not parse_event(_event()).redelivery
    with pytest.raises(MalformedEvent):
        parse_event(_event(deliveryContext="yes"))


@pytest.mark.parametrize(
    ("timestamp", "wanted"),
    [
        (1_700_000_000_000, dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)),
        ("1700000000000", dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)),
        ("soon", None),
        (10**30, None),
    ],
)
def test_the_timestamp(timestamp: Any, wanted: dt.datetime | None) -> None:
    event: LineEvent = parse_event({**_event(), "timestamp": timestamp})
    assert event.timestamp == wanted and event.reply_token == "r1"
