"""Small key-value operations the bot needs from Redis, with an in-process fallback.

With `REDIS_URL` set, every process shares one Redis; without it (`make run`, one process) a
thread-safe dictionary with expiry does the same job. Both have the same methods (`Store`), so
callers never care which one they have. Keys are prefixed with `redis.key_prefix`.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from bot.settings import RedisSettings

# Compare-and-delete in one step: release a lock only if we still own it.
_DELETE_IF_EQUALS = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""
# Extend the expiry in the same step, only if we still own it.
_EXPIRE_IF_EQUALS = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end
"""

log = logging.getLogger(__name__)

# What a store's operation raises when Redis cannot be reached: callers for whom a key is a nicety (a
# chat's last list) catch it and go on; those for whom it is a guarantee (locks) let it stop them.
StoreError = redis.RedisError


class RedisStore:
    backend = "redis"

    def __init__(self, url: str, prefix: str) -> None:
        # Short timeouts: a Redis that is down must not hold a webhook past LINE's 2 seconds.
        self.client: redis.Redis = redis.Redis.from_url(
            url, socket_timeout=1.0, socket_connect_timeout=1.0, decode_responses=True
        )
        self.prefix = prefix

    def ping(self) -> None:
        self.client.ping()

    def get(self, key: str) -> str | None:
        value = self.client.get(self.prefix + key)
        return None if value is None else str(value)

    def set(self, key: str, value: str, ttl_seconds: float | None = None) -> None:
        px = None if ttl_seconds is None else max(1, int(ttl_seconds * 1000))
        self.client.set(self.prefix + key, value, px=px)

    def set_if_absent(self, key: str, value: str, ttl_seconds: float) -> bool:
        return bool(self.client.set(self.prefix + key, value, px=max(1, int(ttl_seconds * 1000)), nx=True))

    def delete_if_equals(self, key: str, value: str) -> bool:
        return bool(self.client.eval(_DELETE_IF_EQUALS, 1, self.prefix + key, value))

    def expire_if_equals(self, key: str, value: str, ttl_seconds: float) -> bool:
        px = max(1, int(ttl_seconds * 1000))
        return bool(self.client.eval(_EXPIRE_IF_EQUALS, 1, self.prefix + key, value, px))

    def close(self) -> None:
        self.client.close()


class MemoryStore:
    backend = "memory"

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, float | None]] = {}
        self._lock = threading.Lock()
        self._now = time.monotonic

    def ping(self) -> None:
        return None

    def _live(self, key: str) -> str | None:
        item = self._items.get(key)
        if item is None:
            return None
        value, expires = item
        if expires is not None and expires <= self._now():
            del self._items[key]
            return None
        return value

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key)

    def set(self, key: str, value: str, ttl_seconds: float | None = None) -> None:
        with self._lock:
            self._items[key] = (value, None if ttl_seconds is None else self._now() + ttl_seconds)

    def set_if_absent(self, key: str, value: str, ttl_seconds: float) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._items[key] = (value, self._now() + ttl_seconds)
            return True

    def delete_if_equals(self, key: str, value: str) -> bool:
        with self._lock:
            if self._live(key) != value:
                return False
            del self._items[key]
            return True

    def expire_if_equals(self, key: str, value: str, ttl_seconds: float) -> bool:
        with self._lock:
            if self._live(key) != value:
                return False
            self._items[key] = (value, self._now() + ttl_seconds)
            return True


Store = RedisStore | MemoryStore


@contextmanager
def renewed_lock(store: Store, key: str, ttl_seconds: float) -> Iterator[bool]:
    """Take the lock `key` if nobody holds it (yields whether we did) and keep it while the block runs:
    its expiry is pushed back every fifth of `ttl_seconds`, so a holder that dies (SIGKILL) frees it
    within `ttl_seconds` however long the work would have taken. Released only by its owner."""
    token = uuid.uuid4().hex
    if not store.set_if_absent(key, token, ttl_seconds=ttl_seconds):
        yield False
        return
    done = threading.Event()

    def renew() -> None:
        while not done.wait(ttl_seconds / 5):
            try:
                if not store.expire_if_equals(key, token, ttl_seconds):
                    log.warning("lock %s lost (it expired): another process may take the work", key)
                    return
            except redis.RedisError as error:  # Redis away for a moment: the next beat tries again
                log.warning("lock %s not renewed: %s", key, type(error).__name__)

    renewing = threading.Thread(target=renew, name=f"lock-{key}", daemon=True)
    renewing.start()
    try:
        yield True
    finally:
        done.set()
        renewing.join()
        store.delete_if_equals(key, token)


def build_store(settings: RedisSettings) -> Store:
    """Redis when configured (connecting lazily, on first use), else the in-process store."""
    if settings.url:
        return RedisStore(settings.url, settings.key_prefix)
    return MemoryStore()
