"""Rate limits on the `limits` library: in process memory for the embedded mode, Redis when `REDIS_URL` is set.

Routes use the `rate_limit` dependency; anything else (a worker, a service) calls `RateLimiter.hit` directly.
"""

from __future__ import annotations

import asyncio
import bisect
import math
import time
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

import redis.asyncio as aioredis
import structlog
from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from viewfinder.kit.errors import RateLimited

KEY_PREFIX = "vf:ratelimit"

log = structlog.get_logger(__name__)


@lru_cache(maxsize=256)
def _parse(limit: str) -> tuple[RateLimitItem, ...]:
    # "5/minute" or several at once, "5/minute;100/hour"; a bad string raises ValueError.
    return tuple(parse_many(limit))


def _limits_uri(redis_url: str) -> str:
    scheme, _, rest = redis_url.partition("://")
    return f"async+{'redis+unix' if scheme == 'unix' else scheme}://{rest}"


class RateLimiter:
    """Counts hits per limit and identifiers; `hit` raises `RateLimited` once a limit is spent.

    The strategy is the moving window: it never lets through the double burst a fixed window allows across a
    window boundary (which matters most for sign-in), and its reset is when the oldest hit leaves the window, so
    Retry-After is the real wait. It keeps one entry per hit, which is cheap at the limits used here.

    When the storage is unreachable the hit is allowed and logged: a Redis outage should not take every route
    down with it.
    """

    def __init__(self, storage: Storage, pool: aioredis.ConnectionPool | None = None) -> None:
        self._storage = storage
        self._pool = pool
        self._strategy = MovingWindowRateLimiter(storage)

    async def hit(self, limit: str, *identifiers: str) -> None:
        await self._apply(self._strategy.hit, limit, identifiers)

    async def check(self, limit: str, *identifiers: str) -> None:
        """Raise `RateLimited` if the limit is spent, without counting a hit."""
        await self._apply(self._strategy.test, limit, identifiers)

    async def reset(self, limit: str, *identifiers: str) -> None:
        """Forget the hits counted for these identifiers (a sign-in that succeeded clears its failures)."""
        for item in _parse(limit):
            try:
                await self._strategy.clear(item, *identifiers)
            except StorageError as error:
                log.warning("rate_limit_unavailable", error_type=type(error.storage_error).__name__)

    async def _apply(self, allowed: Callable[..., Awaitable[bool]], limit: str, identifiers: tuple[str, ...]) -> None:
        for item in _parse(limit):
            try:
                if await allowed(item, *identifiers):
                    continue
                stats = await self._strategy.get_window_stats(item, *identifiers)
            except StorageError as error:
                log.warning("rate_limit_unavailable", error_type=type(error.storage_error).__name__)
                return
            raise RateLimited(max(1, math.ceil(stats.reset_time - time.time())))

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
        timer = getattr(self._storage, "timer", None)  # the memory storage's expiry task
        if timer is not None and not timer.done():
            timer.cancel()


# How often the memory storage drops spent hits. The moving window reads the age of its own entries, so this
# only frees memory and can be lazy.
MEMORY_EXPIRY_SECONDS = 5.0


class _MemoryStorage(MemoryStorage):
    """limits' memory storage, with an expiry that stays cheap under load and survives a clear.

    limits starts an expiry pass after every hit that finds none running, and the pass hands each key to a
    thread: under load that is a sweep of every key, a thread hop each, per request. Here a pass runs at most
    every `MEMORY_EXPIRY_SECONDS`, in the event loop.

    A clear empties the key's events instead of removing them: the pass lists the keys, then awaits each key's
    lock, and a key removed in between (a sign-in that succeeded, say) would fail it with KeyError.
    """

    _next_expiry = 0.0

    async def _MemoryStorage__schedule_expiry(self) -> None:  # replaces limits' private scheduler
        if time.monotonic() < self._next_expiry or (self.timer is not None and not self.timer.done()):
            return
        self._next_expiry = time.monotonic() + MEMORY_EXPIRY_SECONDS
        self.timer = asyncio.create_task(self._expire())

    async def _expire(self) -> None:
        now = time.time()
        for key in list(self.events):
            async with self.locks[key]:
                events = self.events.get(key, [])
                # Newest first: keep the entries that have not expired yet.
                kept = events[: bisect.bisect_left(events, -now, key=lambda event: -event.expiry)]
                if kept:
                    self.events[key] = kept
                else:
                    self.events.pop(key, None)
                    self.locks.pop(key, None)
        for key, expiry in list(self.expirations.items()):
            if expiry <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
                self.locks.pop(key, None)

    async def clear(self, key: str) -> None:
        if key in self.events:
            self.events[key] = []
        self.storage.pop(key, None)
        self.expirations.pop(key, None)


def create_rate_limiter(redis_url: str | None, *, key_prefix: str = KEY_PREFIX) -> RateLimiter:
    if not redis_url:
        return RateLimiter(_MemoryStorage())
    # Our own pool (the redis-py client, as the cache uses) so that `aclose` can release its connections;
    # `limits` offers no close of its own.
    pool = aioredis.ConnectionPool.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
    options: dict[str, Any] = {"connection_pool": pool}  # `limits` types its options as scalars only
    storage = RedisStorage(
        _limits_uri(redis_url), wrap_exceptions=True, implementation="redispy", key_prefix=key_prefix, **options
    )
    return RateLimiter(storage, pool)


def rate_limit(limit: str, *, scope: str) -> Callable[[Request], Awaitable[None]]:
    """A route dependency limiting each client IP: `Depends(rate_limit("5/minute", scope="signin"))`.

    The client IP is `request.client.host`; behind a reverse proxy, uvicorn's proxy headers support (with the
    proxy in `forwarded_allow_ips`) must set it, or every client shares the proxy's budget.
    """
    _parse(limit)  # a malformed limit fails when the route is declared, not on its first request

    async def limited(request: Request) -> None:
        limiter: RateLimiter = request.app.state.resources.rate_limiter
        client_ip = request.client.host if request.client else "unknown"
        await limiter.hit(limit, scope, client_ip)

    return limited
