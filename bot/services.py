"""The bot's dependencies in one object: settings, database, key-value store.

Built once per process by `create_app` (web) or by the scheduler; passed explicitly to the code that
needs it, so nothing reads globals and nothing here needs Flask.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.db import Database
from bot.kv import MemoryStore, RedisStore, build_store
from bot.settings import Settings


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    kv: RedisStore | MemoryStore

    def close(self) -> None:
        self.db.dispose()
        if isinstance(self.kv, RedisStore):
            self.kv.close()


def build_services(settings: Settings) -> Services:
    return Services(settings=settings, db=Database(settings.database), kv=build_store(settings.redis))
