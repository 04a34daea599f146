"""A small cache of JSON values: in process memory for the embedded mode, Redis when `REDIS_URL` is set.

Values are stored as orjson bytes in both backends, so a value reads back the same whichever backend holds it,
and a caller mutating what it got cannot change what the cache holds.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol

import orjson
import redis.asyncio as aioredis
import structlog
from cachetools import TLRUCache
from redis.exceptions import RedisError

KEY_PREFIX = "vf:cache:"
DEFAULT_MAX_ENTRIES = 10_000

log = structlog.get_logger(__name__)


class Cache(Protocol):
    async def get(self, key: str) -> Any | None: ...

    async def set(self, key: str, value: Any, ttl: float) -> None: ...

    async def get_many(self, keys: Sequence[str]) -> list[Any | None]: ...

    async def set_many(self, values: Mapping[str, Any], ttl: float) -> None: ...

    async def delete(self, *keys: str) -> None: ...

    async def get_or_set(self, key: str, ttl: float, factory: Callable[[], Awaitable[Any]]) -> Any: ...

    async def aclose(self) -> None: ...


def _dumps(value: Any) -> bytes:
    # Fails here, at the caller, rather than later on read, when a value is not JSON-able.
    return orjson.dumps(value)


class _SingleFlight:
    """One factory call per key at a time in this process, so a cold key is not computed by every waiter."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    async def run(self, key: str, call: Callable[[], Awaitable[Any]]) -> Any:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                return await call()
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]  # the table only holds keys being computed right now
            else:
                self._locks[key] = (lock, users - 1)


class _BaseCache:
    def __init__(self) -> None:
        self._flight = _SingleFlight()

    async def _get_raw(self, key: str) -> bytes | None:
        raise NotImplementedError

    async def _set_raw(self, key: str, raw: bytes, ttl: float) -> None:
        raise NotImplementedError

    async def _get_many_raw(self, keys: Sequence[str]) -> list[bytes | None]:
        raise NotImplementedError

    async def _set_many_raw(self, values: Mapping[str, bytes], ttl: float) -> None:
        raise NotImplementedError

    async def get(self, key: str) -> Any | None:
        raw = await self._get_raw(key)
        return None if raw is None else orjson.loads(raw)

    async def set(self, key: str, value: Any, ttl: float) -> None:
        await self._set_raw(key, _dumps(value), ttl)

    async def get_many(self, keys: Sequence[str]) -> list[Any | None]:
        """The values of `keys`, in their order, None for a miss: one round trip whatever their number."""
        if not keys:
            return []
        return [None if raw is None else orjson.loads(raw) for raw in await self._get_many_raw(keys)]

    async def set_many(self, values: Mapping[str, Any], ttl: float) -> None:
        if values and ttl > 0:
            await self._set_many_raw({key: _dumps(value) for key, value in values.items()}, ttl)

    async def get_or_set(self, key: str, ttl: float, factory: Callable[[], Awaitable[Any]]) -> Any:
        # The raw lookup tells a cached `None` from a miss, so a factory that returns None is not re-run.
        raw = await self._get_raw(key)
        if raw is not None:
            return orjson.loads(raw)

        async def compute() -> Any:
            again = await self._get_raw(key)  # another waiter may have filled it while we queued
            if again is not None:
                return orjson.loads(again)
            fresh = _dumps(await factory())
            await self._set_raw(key, fresh, ttl)
            return orjson.loads(fresh)  # the same shape a later hit returns (tuples become lists …)

        return await self._flight.run(key, compute)


class MemoryCache(_BaseCache):
    """A bounded LRU whose entries each expire after their own TTL."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        super().__init__()
        self._entries: TLRUCache[str, tuple[bytes, float]] = TLRUCache(
            maxsize=max_entries, ttu=lambda _key, entry, now: now + entry[1], timer=time.monotonic
        )
        # Coroutines never interleave inside a cachetools call (there is no await in it), but a worker's async
        # bridge may touch the cache from another thread, and TLRUCache is not thread-safe.
        self._lock = threading.Lock()

    async def _get_raw(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
        return None if entry is None else entry[0]

    async def _set_raw(self, key: str, raw: bytes, ttl: float) -> None:
        with self._lock:
            if ttl <= 0:
                self._entries.pop(key, None)
            else:
                self._entries[key] = (raw, ttl)

    async def _get_many_raw(self, keys: Sequence[str]) -> list[bytes | None]:
        with self._lock:
            entries = [self._entries.get(key) for key in keys]
        return [None if entry is None else entry[0] for entry in entries]

    async def _set_many_raw(self, values: Mapping[str, bytes], ttl: float) -> None:
        with self._lock:
            for key, raw in values.items():
                self._entries[key] = (raw, ttl)

    async def delete(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._entries.pop(key, None)

    async def aclose(self) -> None:
        with self._lock:
            self._entries.clear()


class RedisCache(_BaseCache):
    """Redis under the `vf:cache:` namespace.

    An unreachable Redis degrades reads and writes to misses (logged), since a cache is an optimisation; a failed
    delete raises, because silently keeping a value that should be gone is a correctness problem.
    """

    def __init__(self, redis_url: str, *, prefix: str = KEY_PREFIX) -> None:
        super().__init__()
        self._prefix = prefix  # another prefix isolates what shares one Redis database (tests under xdist)
        self._redis = aioredis.Redis.from_url(
            redis_url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=30
        )

    async def _get_raw(self, key: str) -> bytes | None:
        try:
            raw = await self._redis.get(self._prefix + key)
        except RedisError as error:
            log.warning("cache_unavailable", operation="get", error_type=type(error).__name__)
            return None
        return raw.encode() if isinstance(raw, str) else raw  # str only if someone set decode_responses

    async def _set_raw(self, key: str, raw: bytes, ttl: float) -> None:
        try:
            if ttl <= 0:
                await self._redis.delete(self._prefix + key)
            else:
                # Milliseconds, so sub-second TTLs are honoured; PX must be at least 1.
                await self._redis.set(self._prefix + key, raw, px=max(1, round(ttl * 1000)))
        except RedisError as error:
            log.warning("cache_unavailable", operation="set", error_type=type(error).__name__)

    async def _get_many_raw(self, keys: Sequence[str]) -> list[bytes | None]:
        try:
            raws = await self._redis.mget([self._prefix + key for key in keys])
        except RedisError as error:
            log.warning("cache_unavailable", operation="get_many", error_type=type(error).__name__)
            return [None] * len(keys)
        return [raw.encode() if isinstance(raw, str) else raw for raw in raws]

    async def _set_many_raw(self, values: Mapping[str, bytes], ttl: float) -> None:
        try:
            async with self._redis.pipeline(transaction=False) as pipeline:
                for key, raw in values.items():
                    pipeline.set(self._prefix + key, raw, px=max(1, round(ttl * 1000)))
                await pipeline.execute()
        except RedisError as error:
            log.warning("cache_unavailable", operation="set_many", error_type=type(error).__name__)

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._redis.delete(*(self._prefix + key for key in keys))

    async def aclose(self) -> None:
        await self._redis.aclose()


def create_cache(redis_url: str | None) -> Cache:
    return RedisCache(redis_url) if redis_url else MemoryCache()
