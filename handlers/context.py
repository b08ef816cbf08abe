"""What a handler gets: the event, who it came from, and the services — one object, no globals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.services import Services
from handlers.line_event import LineEvent, SourceKind


@dataclass(frozen=True)
class Context:
    services: Services
    event: LineEvent
    webhook_event_id: str
    now: dt.datetime

    @property
    def source_type(self) -> SourceKind:
        return self.event.source or SourceKind.USER

    @property
    def in_group(self) -> bool:
        return self.event.in_group

    @property
    def chat_id(self) -> str | None:
        """Where an answer goes: the group, the room, or the user."""
        return self.event.chat_id

    @property
    def group_id(self) -> str | None:
        return self.event.group_id

    @property
    def user_id(self) -> str | None:
        return self.event.user_id

    @property
    def reply_token(self) -> str | None:
        return self.event.reply_token

    @property
    def actor(self) -> str:
        """Who did it, for the audit log."""
        return f"line:{self.user_id or self.chat_id or '?'}"

    @property
    def age_seconds(self) -> float:
        if self.event.timestamp is None:
            return 0.0
        return (self.now - self.event.timestamp).total_seconds()


def build_context(services: Services, event: LineEvent, webhook_event_id: str) -> Context:
    return Context(services=services, event=event, webhook_event_id=webhook_event_id, now=services.clock())
