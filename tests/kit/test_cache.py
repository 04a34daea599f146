from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import anyio
import pytest
from redis.exceptions import RedisError

from tests.conftest import REDIS_TEST_URL
from tests.services import drop_keys, open_test_redis
from viewfinder.kit.cache import KEY_PREFIX, Cache, MemoryCache, RedisCache, create_cache


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[Cache]:
    if request.param == "memory":
        memory = MemoryCache()
        yield memory
        await memory.aclose()
        return
    client = await open_test_redis()
    prefix = f"{KEY_PREFIX}test-{uuid.uuid4().hex}:"
    remote = RedisCache(REDIS_TEST_URL, prefix=prefix)
    yield remote
    await remote.aclose()
    await drop_keys(client, prefix + "*")
    await client.aclose()


@pytest.mark.anyio
async def test_set_then_get_round_trips_json(cache: Cache) -> None:
    await cache.set("post:1", {"id": 1, "tags": ["a", "b"], "ratio": 0.5, "draft": None}, ttl=30)
    assert await cache.get("post:1") == {"id": 1, "tags": ["a", "b"], "ratio": 0.5, "draft": None}
    assert await cache.get("post:2") is None


@pytest.mark.anyio
async def test_value_expires_after_its_ttl(cache: Cache) -> None:
    await cache.set("short", "soon gone", ttl=0.2)
    await cache.set("long", "still here", ttl=30)
    assert await cache.get("short") == "soon gone"
    await anyio.sleep(0.3)
    assert await cache.get("short") is None
    assert await cache.get("long") == "still here"


@pytest.mark.anyio
async def test_many_values_are_read_and_written_in_one_call_each(cache: Cache) -> None:
    await cache.set("b", {"kept": True}, ttl=30)
    await cache.set_many({"a": [1, 2], "c": None, "short": "soon gone"}, ttl=30)
    await cache.set_many({"short": "soon gone"}, ttl=0.2)
    await cache.set_many({}, ttl=30)

    assert await cache.get_many(["a", "missing", "b", "c", "short"]) == [
        [1, 2],
        None,
        {"kept": True},
        None,
        "soon gone",
    ]
    assert await cache.get_many([]) == []
    await anyio.sleep(0.3)
    assert await cache.get_many(["short", "a"]) == [None, [1, 2]]


@pytest.mark.anyio
async def test_delete_removes_several_keys(cache: Cache) -> None:
    for key in ("a", "b", "c"):
        await cache.set(key, key.upper(), ttl=30)
    await cache.delete("a", "b", "missing")
    await cache.delete()
    assert await cache.get("a") is None
    assert await cache.get("b") is None
    assert await cache.get("c") == "C"


@pytest.mark.anyio
async def test_get_or_set_calls_the_factory_once(cache: Cache) -> None:
    calls = 0

    async def factory() -> dict[str, int]:
        nonlocal calls
        calls += 1
        return {"followers": 42}

    assert await cache.get_or_set("stats", 30, factory) == {"followers": 42}
    assert await cache.get_or_set("stats", 30, factory) == {"followers": 42}
    assert calls == 1
    assert await cache.get("stats") == {"followers": 42}


@pytest.mark.anyio
async def test_get_or_set_runs_one_factory_for_concurrent_callers(cache: Cache) -> None:
    calls = 0
    results: list[object] = []

    async def slow_factory() -> list[int]:
        nonlocal calls
        calls += 1
        await anyio.sleep(0.05)
        return [1, 2, 3]

    async def caller() -> None:
        results.append(await cache.get_or_set("cold", 30, slow_factory))

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(caller)
    assert calls == 1
    assert results == [[1, 2, 3]] * 5


@pytest.mark.anyio
async def test_get_or_set_caches_none(cache: Cache) -> None:
    calls = 0

    async def nothing() -> None:
        nonlocal calls
        calls += 1

    assert await cache.get_or_set("empty", 30, nothing) is None
    assert await cache.get_or_set("empty", 30, nothing) is None
    assert calls == 1


@pytest.mark.anyio
async def test_get_or_set_recomputes_after_expiry(cache: Cache) -> None:
    values = iter(["first", "second"])

    async def factory() -> str:
        return next(values)

    assert await cache.get_or_set("rotating", 0.2, factory) == "first"
    await anyio.sleep(0.3)
    assert await cache.get_or_set("rotating", 0.2, factory) == "second"


@pytest.mark.anyio
async def test_values_must_be_json(cache: Cache) -> None:
    with pytest.raises(TypeError):
        await cache.set("bad", object(), ttl=30)
    assert await cache.get("bad") is None


@pytest.mark.anyio
async def test_cached_value_is_a_copy(cache: Cache) -> None:
    value = {"items": [1]}
    await cache.set("mutable", value, ttl=30)
    value["items"].append(2)
    read = await cache.get("mutable")
    assert read is not None
    read["items"].append(3)
    assert await cache.get("mutable") == {"items": [1]}


def test_memory_cache_is_bounded() -> None:
    async def scenario() -> None:
        small = MemoryCache(max_entries=2)
        for key in ("a", "b", "c"):
            await small.set(key, key, ttl=30)
        assert await small.get("a") is None
        assert await small.get("c") == "c"

    anyio.run(scenario)


@pytest.mark.anyio
async def test_redis_keys_live_under_the_namespace() -> None:
    client = await open_test_redis()
    key = f"user:{uuid.uuid4().hex}"
    cache = create_cache(REDIS_TEST_URL)
    try:
        assert isinstance(cache, RedisCache)
        await cache.set(key, {"name": "Ada"}, ttl=30)
        assert await client.get(f"{KEY_PREFIX}{key}") == b'{"name":"Ada"}'
        assert 0 < await client.pttl(f"{KEY_PREFIX}{key}") <= 30_000
        await cache.delete(key)
        assert await client.exists(f"{KEY_PREFIX}{key}") == 0
    finally:
        await cache.aclose()
        await client.delete(f"{KEY_PREFIX}{key}")
        await client.aclose()


def test_create_cache_without_redis_is_memory() -> None:
    assert isinstance(create_cache(None), MemoryCache)


@pytest.mark.anyio
async def test_unreachable_redis_degrades_to_misses() -> None:
    cache = RedisCache("redis://127.0.0.1:1/15")
    try:
        await cache.set("k", "v", ttl=30)
        assert await cache.get("k") is None

        async def factory() -> str:
            return "computed"

        assert await cache.get_or_set("k", 30, factory) == "computed"
        await cache.set_many({"k": "v"}, ttl=30)
        assert await cache.get_many(["k", "j"]) == [None, None]
        with pytest.raises(RedisError):
            await cache.delete("k")
    finally:
        await cache.aclose()
