"""A LINE webhook event as the handlers see it: parsed once, into a small typed value.

`parse_event` reads a webhook event (LINE's JSON object) when the inbox stores it, and again — the
same function, on the stored payload — when an event is claimed from the table by another process.
Nothing downstream reads the raw dict: the handlers, the chat limits and the delivery get a
`LineEvent` (through `handlers.context.Context`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final


class EventType(StrEnum):
    """The event types the bot answers; any other type is logged and left out when stored."""

    MESSAGE = "message"
    POSTBACK = "postback"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    JOIN = "join"
    LEAVE = "leave"
    MEMBER_JOINED = "memberJoined"


HANDLED_TYPES: Final = frozenset(kind.value for kind in EventType)
CHAT_TYPES: Final = frozenset({EventType.MESSAGE, EventType.POSTBACK})  # what a person says or taps


class SourceKind(StrEnum):
    USER = "user"
    GROUP = "group"
    ROOM = "room"


class MalformedEvent(ValueError):
    """An event whose fields have types LINE never sends: left out of its batch, never retried."""


@dataclass(frozen=True, slots=True)
class LineEvent:
    type: EventType
    source: SourceKind | None  # None: LINE sent no source
    user_id: str | None
    group_id: str | None  # the group, or the room
    reply_token: str | None
    timestamp: dt.datetime | None  # None: no usable timestamp
    redelivery: bool = False
    message_type: str | None = None  # "text", "sticker", "image", ... (message events)
    text: str = ""  # a text message's text, without the @-mentions of the bot
    mentioned: bool = False  # the bot was @-mentioned
    postback_data: str = ""
    members_joined: int = 0  # memberJoined: how many

    @property
    def in_group(self) -> bool:
        return self.source in (SourceKind.GROUP, SourceKind.ROOM)

    @property
    def chat_id(self) -> str | None:
        """Where an answer goes, and whose events are worked in order: the group, the room, or the user."""
        return self.group_id or self.user_id


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _source(event: dict[str, Any]) -> tuple[SourceKind | None, str | None, str | None]:
    source = event.get("source")
    if source is None:
        return None, None, None
    if not isinstance(source, dict) or source.get("type") not in SourceKind.__members__.values():
        raise MalformedEvent("source is not a user, group or room")
    group = source.get("groupId") or source.get("roomId")
    user = source.get("userId")
    for value in (group, user):
        if value is not None and not (isinstance(value, str) and len(value) <= 64):
            raise MalformedEvent("source id is not a LINE id")
    return SourceKind(source["type"]), user, group


def _redelivery(event: dict[str, Any]) -> bool:
    context = event.get("deliveryContext") or {}
    if not isinstance(context, dict):
        raise MalformedEvent("deliveryContext is not an object")
    return bool(context.get("isRedelivery"))


def _timestamp(event: dict[str, Any]) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(event.get("timestamp", 0)) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _mention_free_text(message: dict[str, Any]) -> tuple[str, bool]:
    """The text without @-mentions of the bot, and whether the bot was mentioned."""
    body = str(message.get("text", ""))
    mention = message.get("mention")
    mentionees = (mention.get("mentionees") if isinstance(mention, dict) else None) or []
    spans: list[tuple[int, int]] = []
    for mentionee in mentionees:
        if isinstance(mentionee, dict) and mentionee.get("isSelf"):
            try:
                spans.append((int(mentionee.get("index", 0)), int(mentionee.get("length", 0))))
            except (TypeError, ValueError):
                continue
    for start, length in sorted(spans, reverse=True):  # from the end: earlier indexes stay right
        body = body[:start] + body[start + length :]
    return body, bool(spans)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_event(event: dict[str, Any]) -> LineEvent:
    """The event's fields the bot uses; `MalformedEvent` when its type or source is not LINE's.

    Total on every event it accepted once: the inbox parses a stored payload again when it is claimed
    from the table, and that parse cannot fail where the first one passed.
    """
    try:
        kind = EventType(str(event.get("type")))
    except ValueError:
        raise MalformedEvent("not an event type the bot answers") from None
    source, user_id, group_id = _source(event)
    message = _dict(event.get("message"))
    text, mentioned = _mention_free_text(message) if message.get("type") == "text" else ("", False)
    members = _dict(event.get("joined")).get("members")
    return LineEvent(
        type=kind,
        source=source,
        user_id=user_id,
        group_id=group_id,
        reply_token=_optional_str(event.get("replyToken")),
        timestamp=_timestamp(event),
        redelivery=_redelivery(event),
        message_type=_optional_str(message.get("type")) if message else None,
        text=text,
        mentioned=mentioned,
        postback_data=str(_dict(event.get("postback")).get("data", "")),
        members_joined=len(members) if isinstance(members, list) else 0,
    )
