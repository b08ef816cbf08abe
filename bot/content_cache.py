"""Answers built from published content, kept per process until the content changes.

The latest directives change once a month and are asked for all day: building their carousel each
time costs three queries and some milliseconds of CPU per answer. The cache is cleared when the content
fingerprint changes (one small query, at most every `check_seconds`), so an edit or a publication shows
within seconds in every process, with or without Redis.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from bot.db import Database
from bot.search import content_fingerprint

T = TypeVar("T")


class ContentCache:
    def __init__(
        self, db: Database, *, check_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._db = db
        self._check_seconds = check_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._items: dict[Hashable, Any] = {}
        self._fingerprint: tuple[Any, ...] | None = None
        self._checked_at = -math.inf

    def _check(self) -> None:
        now = self._clock()
        if now - self._checked_at < self._check_seconds:
            return
        with self._db.session() as session:
            fingerprint = content_fingerprint(session)
        with self._lock:
            self._checked_at = now
            if fingerprint != self._fingerprint:
                self._items.clear()
                self._fingerprint = fingerprint

    def expire(self) -> None:
        """Check the content on the next `get` (this process just changed it)."""
        with self._lock:
            self._checked_at = -math.inf

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The cached value for `key`, built (outside the lock) when missing or the content changed."""
        self._check()
        with self._lock:
            if key in self._items:
                value: T = self._items[key]
                return value
        value = build()
        with self._lock:
            self._items[key] = value
        return value
