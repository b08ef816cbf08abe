"""The push rate, shared by every process that sends: LINE allows 2,000 pushes/s per channel.

`PushRateLimiter.acquire()` is awaited before every push (retries included: LINE counts them too).

- **Shared budget**: a `limits` moving window of `rate` pushes per second, in Redis when
  `redis.url` is set (every sending process draws from one window, key
  `<redis.key_prefix>ratelimit:LIMITER/line-push/...`), in memory otherwise (one process). A moving window
  never admits more than `rate` pushes in any one-second span, so it never overruns a token bucket
  of `rate`/s that holds a second's worth, as LINE's and the stand-in's do.
- **Chunks**: permits are taken from the shared window `chunk` at a time (`rate / 100`, at most 50:
  20 at 2,000/s, i.e. 10 ms worth), so Redis sees ~100 calls/s rather than 2,000: a `limits` hit
  through async Redis per push would cost the sender a sizeable share of a core, per chunk it is
  negligible (docs/performance.md). So `limits` is fast enough; no Lua token bucket needed.
- **Smooth, not bursty**: each process spaces its chunks evenly at the current rate, so a
  broadcast starts at 2,000/s rather than spending a whole second's window in the first instant.
- **Slowing down**: on a 429 (`slow_down()`), the process halves its own rate (at most every
  0.25 s, down to 5 %), holds it for a second, then doubles it back each second; and it spends a fifth
  of a second of the *shared* budget (at most once a second), so every other sender pauses too.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any, Final, cast

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from bot.settings import Settings

MIN_FACTOR: Final = 0.05  # never slower than 5 % of the configured rate
CUT_EVERY: Final = 0.25  # seconds between two halvings: one burst of 429s is one signal
HOLD: Final = 1.0  # seconds at the lowered rate before recovering
PENALTY_SECONDS: Final = 0.2  # shared budget given up on a 429
PENALTY_EVERY: Final = 1.0
CATCH_UP: Final = 0.05  # seconds of lateness made up for by sending sooner


def window_for(rate: float) -> RateLimitItemPerSecond:
    """`rate` per second as a `limits` item: whole pushes over a whole number of seconds."""
    seconds = max(1, math.ceil(1 / rate))
    return RateLimitItemPerSecond(max(1, int(rate * seconds)), seconds, namespace="LIMITER")


class PushRateLimiter:
    """Permits for pushes; one per sender, used from that sender's event loop only."""

    def __init__(self, rate: float, *, redis_url: str | None = None, key_prefix: str = "dlabot:") -> None:
        self.rate = rate
        self.item = window_for(rate)
        self.chunk = max(1, min(50, int(rate / 100), self.item.amount))
        if redis_url:
            self.storage: RedisStorage | MemoryStorage = RedisStorage(
                "async+" + redis_url.replace("unix://", "redis+unix://", 1),
                implementation="redispy",
                key_prefix=f"{key_prefix}ratelimit",
                socket_timeout=2.0,
                socket_connect_timeout=2.0,
            )
        else:
            self.storage = MemoryStorage()
        self.shared = isinstance(self.storage, RedisStorage)
        self.window = MovingWindowRateLimiter(self.storage)
        self._lock = asyncio.Lock()
        self._available = 0
        self._next_chunk_at = 0.0
        self._cut_at = -math.inf
        self._cut_factor = 1.0
        self._penalised_at = -math.inf
        self.waits = 0  # times the shared window was full

    @classmethod
    def from_settings(cls, settings: Settings) -> PushRateLimiter:
        return cls(
            settings.broadcasts.rate_per_second,
            redis_url=settings.redis.url,
            key_prefix=settings.redis.key_prefix,
        )

    @property
    def factor(self) -> float:
        """The share of `rate` this process sends at now (1.0 unless LINE said 429 lately)."""
        quiet = time.monotonic() - self._cut_at
        if quiet <= HOLD:
            return self._cut_factor
        return min(1.0, self._cut_factor * 2 ** (quiet - HOLD))

    async def acquire(self) -> None:
        """Wait for a permit to push once."""
        async with self._lock:
            if self._available == 0:
                await self._take_chunk()
            self._available -= 1

    async def _take_chunk(self) -> None:
        loop = asyncio.get_running_loop()
        delay = self._next_chunk_at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        while not await self.window.hit(self.item, "line-push", cost=self.chunk):
            self.waits += 1
            stats = await self.window.get_window_stats(self.item, "line-push")
            await asyncio.sleep(min(1.0, max(0.002, stats.reset_time - time.time())))
        # Keep to the schedule, not to when we woke: a late wake-up (a busy loop, the Redis round trip)
        # is caught up, up to CATCH_UP seconds' worth, rather than lost.
        earliest = loop.time() - CATCH_UP
        self._next_chunk_at = max(earliest, self._next_chunk_at) + self.chunk / (self.rate * self.factor)
        self._available = self.chunk

    async def slow_down(self) -> None:
        """LINE answered 429: lower this process's rate for a moment, and the shared budget."""
        now = time.monotonic()
        if now - self._cut_at >= CUT_EVERY:
            self._cut_factor = max(MIN_FACTOR, self.factor / 2)
            self._cut_at = now
        if now - self._penalised_at >= PENALTY_EVERY:
            self._penalised_at = now
            stats = await self.window.get_window_stats(self.item, "line-push")
            cost = min(stats.remaining, max(1, int(self.item.amount * PENALTY_SECONDS / self.item.multiples)))
            if cost > 0:
                await self.window.hit(self.item, "line-push", cost=cost)

    async def aclose(self) -> None:
        """Release the Redis connections (or the memory store's expiry task)."""
        if isinstance(self.storage, RedisStorage):
            client: Any = cast(Any, self.storage.bridge).storage  # redis.asyncio.Redis (redispy)
            await client.aclose()
        elif self.storage.timer is not None:
            self.storage.timer.cancel()
            await asyncio.gather(self.storage.timer, return_exceptions=True)
