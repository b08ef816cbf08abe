"""What a handler gets: the event, who it came from, and the services — one object, no globals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.services import Services


@dataclass(frozen=True)
class Context:
    services: Services
    event: dict[str, Any]
    webhook_event_id: str
    now: dt.datetime

    @property
    def source(self) -> dict[str, Any]:
        source: dict[str, Any] = self.event.get("source") or {}
        return source

    @property
    def source_type(self) -> str:
        return str(self.source.get("type", "user"))

    @property
    def in_group(self) -> bool:
        return self.source_type in ("group", "room")

    @property
    def chat_id(self) -> str | None:
        """Where an answer goes: the group, the room, or the user."""
        value = self.source.get("groupId") or self.source.get("roomId") or self.source.get("userId")
        return None if value is None else str(value)

    @property
    def group_id(self) -> str | None:
        value = self.source.get("groupId") or self.source.get("roomId")
        return None if value is None else str(value)

    @property
    def user_id(self) -> str | None:
        value = self.source.get("userId")
        return None if value is None else str(value)

    @property
    def reply_token(self) -> str | None:
        value = self.event.get("replyToken")
        return None if value is None else str(value)

    @property
    def actor(self) -> str:
        """Who did it, for the audit log."""
        return f"line:{self.user_id or self.chat_id or '?'}"

    @property
    def age_seconds(self) -> float:
        try:
            sent = dt.datetime.fromtimestamp(int(self.event.get("timestamp", 0)) / 1000, tz=dt.UTC)
        except (TypeError, ValueError, OverflowError, OSError):
            return 0.0
        return (self.now - sent).total_seconds()


def build_context(services: Services, event: dict[str, Any], webhook_event_id: str) -> Context:
    return Context(services=services, event=event, webhook_event_id=webhook_event_id, now=services.clock())
