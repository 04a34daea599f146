"""Helpers for tests that use the real Redis: a client on the test database, and cleaning up after."""

from __future__ import annotations

import os

import pytest
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from tests.conftest import REDIS_TEST_URL


async def open_test_redis() -> aioredis.Redis:
    """A client on the test database; Redis is required under CI and skipped elsewhere when it is down.

    Tests share that database with other test processes (xdist), so each writes under its own prefix and
    deletes only its own keys, never the whole database.
    """
    client = aioredis.Redis.from_url(REDIS_TEST_URL)
    try:
        await client.ping()
    except (OSError, RedisError) as error:
        await client.aclose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis unreachable at {REDIS_TEST_URL}: {error}")
    return client


async def drop_keys(client: aioredis.Redis, pattern: str) -> None:
    async for key in client.scan_iter(match=pattern):
        await client.delete(key)
