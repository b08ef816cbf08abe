"""The key-value store: the same behaviour from Redis and from the in-process fallback."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from bot.kv import MemoryStore, RedisStore, build_store, renewed_lock
from bot.settings import RedisSettings


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> Iterator[MemoryStore | RedisStore]:
    if request.param == "memory":
        yield MemoryStore()
        return
    url = request.getfixturevalue("redis_url")
    redis_store = RedisStore(url, prefix=f"test:{uuid.uuid4().hex}:")
    yield redis_store
    for key in redis_store.client.scan_iter(f"{redis_store.prefix}*"):
        redis_store.client.delete(key)
    redis_store.close()


def test_set_and_get(store: MemoryStore | RedisStore) -> None:
    assert store.get("a") is None
    store.set("a", "1")
    assert store.get("a") == "1"
    store.set("a", "2")
    assert store.get("a") == "2"


def test_values_expire(store: MemoryStore | RedisStore) -> None:
    # Half a second to read it back: 50 ms was less than a loaded machine may take to run the next line.
    store.set("short", "x", ttl_seconds=0.5)
    assert store.get("short") == "x"
    time.sleep(0.7)
    assert store.get("short") is None


def test_set_if_absent_is_a_lock(store: MemoryStore | RedisStore) -> None:
    assert store.set_if_absent("lock", "owner-1", ttl_seconds=5)
    assert not store.set_if_absent("lock", "owner-2", ttl_seconds=5)
    assert store.get("lock") == "owner-1"


def test_only_the_owner_releases(store: MemoryStore | RedisStore) -> None:
    store.set_if_absent("lock", "owner-1", ttl_seconds=5)
    assert not store.delete_if_equals("lock", "owner-2")
    assert store.get("lock") == "owner-1"
    assert store.delete_if_equals("lock", "owner-1")
    assert store.get("lock") is None
    assert store.set_if_absent("lock", "owner-2", ttl_seconds=5)


def test_an_expired_lock_can_be_taken(store: MemoryStore | RedisStore) -> None:
    assert store.set_if_absent("lock", "dead-owner", ttl_seconds=0.05)
    time.sleep(0.12)
    assert store.set_if_absent("lock", "next-owner", ttl_seconds=5)


def test_keys_are_prefixed(redis_url: str) -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    store = RedisStore(redis_url, prefix=prefix)
    try:
        store.set("k", "v", ttl_seconds=5)
        assert store.client.get(f"{prefix}k") == "v"
    finally:
        store.client.delete(f"{prefix}k")
        store.close()


def test_build_store_picks_the_backend(redis_url: str) -> None:
    assert isinstance(build_store(RedisSettings()), MemoryStore)
    redis_store = build_store(RedisSettings(url=redis_url))
    assert isinstance(redis_store, RedisStore)
    redis_store.close()


def test_only_the_owner_extends_a_lock(store: MemoryStore | RedisStore) -> None:
    # A second for the two calls below, which must find the lock still there even on a loaded machine.
    assert store.set_if_absent("lock", "owner-1", ttl_seconds=1)
    assert not store.expire_if_equals("lock", "owner-2", ttl_seconds=5)
    assert store.expire_if_equals("lock", "owner-1", ttl_seconds=5)
    time.sleep(1.2)
    assert store.get("lock") == "owner-1"


def test_a_renewed_lock_is_kept_while_its_work_runs_and_freed_after(store: MemoryStore | RedisStore) -> None:
    with renewed_lock(store, "job", ttl_seconds=0.5) as held:
        assert held
        time.sleep(1.2)  # more than twice its time to live
        with renewed_lock(store, "job", ttl_seconds=0.5) as second:
            assert not second
    assert store.get("job") is None
    with renewed_lock(store, "job", ttl_seconds=0.5) as again:
        assert again


def test_a_dead_holders_renewed_lock_runs_out(store: MemoryStore | RedisStore) -> None:
    assert store.set_if_absent("job", "killed-process", ttl_seconds=0.3)  # taken, never renewed
    time.sleep(0.5)
    with renewed_lock(store, "job", ttl_seconds=0.3) as held:
        assert held
