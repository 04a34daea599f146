"""The kernel's resources for one process: database, cache, rate limiter and storage, built from settings.

The web app keeps one on `app.state.resources`; each worker process keeps one of its own.
"""

from __future__ import annotations

from functools import cached_property

from viewfinder.kit.cache import Cache, create_cache
from viewfinder.kit.db import Database
from viewfinder.kit.ratelimit import RateLimiter, create_rate_limiter
from viewfinder.kit.storage import Storage, create_storage
from viewfinder.settings import Settings


class Resources:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = Database(settings.sqlalchemy_url, pool_size=settings.database_pool_size)

    @cached_property
    def cache(self) -> Cache:
        return create_cache(self.settings.redis_url)

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        return create_rate_limiter(self.settings.redis_url)

    @cached_property
    def storage(self) -> Storage:
        return create_storage(self.settings)

    async def aclose(self) -> None:
        await self.db.dispose()
        if "cache" in self.__dict__:
            await self.cache.aclose()
        if "rate_limiter" in self.__dict__:
            await self.rate_limiter.aclose()
        if "storage" in self.__dict__:
            await self.storage.aclose()
