"""The bot's dependencies in one object: settings, database, key-value store, LINE client, search.

Built once per process by `create_app` (web) or by the scheduler; passed explicitly to the code that
needs it, so nothing reads globals and nothing here needs Flask.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.content_cache import ContentCache
from bot.db import Database
from bot.kv import RedisStore, Store, build_store
from bot.line import LineClient
from bot.models import utcnow
from bot.search import Search
from bot.settings import Settings

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
"""What "now" is: timezone-aware UTC. The conversation reads "this month" or "yesterday" from it."""


class Hooks:
    """Named events the core announces and features act on, so the core never imports a feature.
    From `meetings.publishing`, after the commit: `meeting_published(meeting_id, urgent, actor)` — the
    broadcasts feature schedules the summary; `meeting_unpublished(meeting_id, actor)` — it cancels what
    was scheduled of the meeting; `meeting_corrected(meeting_id, changes, actor)` — it sends the groups
    that received the meeting a notice naming the changes."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Callable[..., None]]] = {}

    def on(self, name: str, handler: Callable[..., None]) -> None:
        self._handlers.setdefault(name, []).append(handler)

    def emit(self, name: str, **values: Any) -> None:
        for handler in self._handlers.get(name, []):
            try:
                handler(**values)
            except Exception:  # the publication stands whatever a follower does with it
                log.exception("hook %s failed", name)


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    kv: Store
    line: LineClient
    search: Search
    content: ContentCache
    hooks: Hooks = field(default_factory=Hooks)
    clock: Clock = utcnow
    # Set on SIGTERM: long work (a broadcast being sent) finishes what is in hand and takes no more.
    stopping: threading.Event = field(default_factory=threading.Event)

    def close(self) -> None:
        self.line.close()
        self.db.dispose()
        if isinstance(self.kv, RedisStore):
            self.kv.close()


def build_services(settings: Settings, clock: Clock = utcnow) -> Services:
    db = Database(settings.database)
    check = settings.content.check_seconds
    return Services(
        settings=settings,
        db=db,
        kv=build_store(settings.redis),
        line=LineClient(settings.line),
        search=Search(db, check_seconds=check),
        content=ContentCache(db, check_seconds=check),
        clock=clock,
    )
