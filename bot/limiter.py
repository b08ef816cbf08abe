"""Rate limits that survive Redis going away: `limits` in Redis, falling back to this process's memory.

Used for login attempts (console) and chat messages (the conversation). With Redis configured every
process counts in one shared window; when Redis cannot be reached the limiter counts in memory —
per process, so a limit is at worst multiplied by the number of processes, never lifted — and tries
Redis again after `RETRY_SECONDS`. Without Redis it is memory only (one process: `make run`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Final

from limits import RateLimitItem
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from bot.settings import RedisSettings

log = logging.getLogger(__name__)

RETRY_SECONDS: Final = 30.0


class SweptMemoryStorage(MemoryStorage):
    """`limits`' in-process storage, sweeping expired windows once a second instead of every 10 ms.

    The library's sweep walks every key, and re-arms a new timer thread every 10 ms while any key
    lives: with a few thousand officials chatting, each with a window of their own, that walk becomes
    a large share of a web worker's CPU (docs/performance.md). Every hit checks its window against the clock
    itself; the sweep only frees memory, and a second is soon enough for that.
    """

    SWEEP_SECONDS: Final = 1.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # the library's private hook, name-mangled
        if not self.timer.is_alive():
            sweep = getattr(self, "_MemoryStorage__expire_events")  # noqa: B009 (name-mangled)
            self.timer = threading.Timer(self.SWEEP_SECONDS, sweep)
            self.timer.daemon = True
            self.timer.start()


class Limiter:
    def __init__(self, redis: RedisSettings) -> None:
        self._memory = MovingWindowRateLimiter(SweptMemoryStorage())
        self._shared: MovingWindowRateLimiter | None = None
        if redis.url:
            url = redis.url.replace("unix://", "redis+unix://", 1)
            storage: Storage = RedisStorage(
                url,
                key_prefix=f"{redis.key_prefix}ratelimit",
                wrap_exceptions=True,
                socket_connect_timeout=1.0,
                socket_timeout=1.0,
            )
            self._shared = MovingWindowRateLimiter(storage)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _limiter(self) -> tuple[MovingWindowRateLimiter, bool]:
        if self._shared is not None and time.monotonic() >= self._down_until:
            return self._shared, True
        return self._memory, False

    def _failed(self, error: StorageError) -> None:
        with self._lock:
            self._down_until = time.monotonic() + RETRY_SECONDS
        log.warning(
            "rate limits: Redis unreachable (%s); counting in memory for %.0f s", error, RETRY_SECONDS
        )

    def hit(self, item: RateLimitItem, *keys: str) -> bool:
        """Count one; False when the limit was already reached (the hit is then not counted)."""
        limiter, shared = self._limiter()
        try:
            return limiter.hit(item, *keys)
        except StorageError as error:
            if not shared:
                raise
            self._failed(error)
            return self._memory.hit(item, *keys)

    def test(self, item: RateLimitItem, *keys: str) -> bool:
        """Would one more be allowed? (counts nothing)"""
        limiter, shared = self._limiter()
        try:
            return limiter.test(item, *keys)
        except StorageError as error:
            if not shared:
                raise
            self._failed(error)
            return self._memory.test(item, *keys)

    def clear(self, item: RateLimitItem, *keys: str) -> None:
        self._memory.clear(item, *keys)
        if self._shared is not None:
            try:
                self._shared.clear(item, *keys)
            except StorageError as error:
                self._failed(error)
