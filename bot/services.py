"""The bot's dependencies in one object: settings, database, key-value store, LINE client, search.

Built once per process by `create_app` (web) or by the scheduler; passed explicitly to the code that
needs it, so nothing reads globals and nothing here needs Flask.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content_cache import ContentCache
from bot.db import Database
from bot.kv import MemoryStore, RedisStore, build_store
from bot.line import LineClient
from bot.search import Search
from bot.settings import Settings


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    kv: RedisStore | MemoryStore
    line: LineClient
    search: Search
    content: ContentCache

    def close(self) -> None:
        self.line.close()
        self.db.dispose()
        if isinstance(self.kv, RedisStore):
            self.kv.close()


def build_services(settings: Settings) -> Services:
    db = Database(settings.database)
    check = settings.content.check_seconds
    return Services(
        settings=settings,
        db=db,
        kv=build_store(settings.redis),
        line=LineClient(settings.line),
        search=Search(db, check_seconds=check),
        content=ContentCache(db, check_seconds=check),
    )
