from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace

import httpx
import pytest
from fastapi import Depends, FastAPI

from tests.conftest import REDIS_TEST_URL
from tests.services import drop_keys, open_test_redis
from viewfinder.kit.errors import PROBLEM_JSON, RateLimited, install_error_handlers
from viewfinder.kit.ratelimit import KEY_PREFIX, RateLimiter, create_rate_limiter, rate_limit


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        memory = create_rate_limiter(None)
        yield memory
        await memory.aclose()
        return
    client = await open_test_redis()
    prefix = f"{KEY_PREFIX}:test-{uuid.uuid4().hex}"
    remote = create_rate_limiter(REDIS_TEST_URL, key_prefix=prefix)
    yield remote
    await remote.aclose()
    await drop_keys(client, prefix + ":*")
    await client.aclose()


@pytest.mark.anyio
async def test_allows_the_limit_then_refuses(limiter: RateLimiter) -> None:
    for _ in range(3):
        await limiter.hit("3/minute", "signin", "203.0.113.5")
    with pytest.raises(RateLimited) as refused:
        await limiter.hit("3/minute", "signin", "203.0.113.5")
    retry_after = int(refused.value.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert refused.value.status == 429


@pytest.mark.anyio
async def test_retry_after_is_at_least_one_second(limiter: RateLimiter) -> None:
    await limiter.hit("1/second", "burst", "x")
    with pytest.raises(RateLimited) as refused:
        await limiter.hit("1/second", "burst", "x")
    assert refused.value.headers["Retry-After"] == "1"


@pytest.mark.anyio
async def test_identifiers_are_independent(limiter: RateLimiter) -> None:
    await limiter.hit("1/minute", "signin", "198.51.100.1")
    await limiter.hit("1/minute", "signin", "198.51.100.2")
    await limiter.hit("1/minute", "signup", "198.51.100.1")
    with pytest.raises(RateLimited):
        await limiter.hit("1/minute", "signin", "198.51.100.1")


@pytest.mark.anyio
async def test_several_limits_in_one_string(limiter: RateLimiter) -> None:
    await limiter.hit("5/minute;2/hour", "export", "u1")
    await limiter.hit("5/minute;2/hour", "export", "u1")
    with pytest.raises(RateLimited) as refused:
        await limiter.hit("5/minute;2/hour", "export", "u1")
    assert int(refused.value.headers["Retry-After"]) > 60  # the hourly limit is the one spent


@pytest.mark.anyio
async def test_redis_keys_live_under_the_namespace() -> None:
    client = await open_test_redis()
    visitor = f"visitor-{uuid.uuid4().hex}"
    limiter = create_rate_limiter(REDIS_TEST_URL)
    try:
        await limiter.hit("2/minute", "signin", visitor)
        keys = [key.decode() async for key in client.scan_iter(match=f"*{visitor}*")]
        assert len(keys) == 1
        assert keys[0].startswith(f"{KEY_PREFIX}:")
        assert f"/signin/{visitor}/" in keys[0]
    finally:
        await limiter.aclose()
        await drop_keys(client, f"*{visitor}*")
        await client.aclose()


@pytest.mark.anyio
async def test_unreachable_redis_lets_requests_through() -> None:
    limiter = create_rate_limiter("redis://127.0.0.1:1/15")
    try:
        for _ in range(3):
            await limiter.hit("1/minute", "signin", "192.0.2.1")
    finally:
        await limiter.aclose()


def test_malformed_limit_fails_when_declared() -> None:
    with pytest.raises(ValueError, match="often"):
        rate_limit("often", scope="signin")


@pytest.mark.anyio
async def test_dependency_answers_429_problem_json() -> None:
    app = FastAPI()
    install_error_handlers(app)
    limiter = create_rate_limiter(None)
    app.state.resources = SimpleNamespace(rate_limiter=limiter)

    @app.post("/signin", dependencies=[Depends(rate_limit("2/minute", scope="signin"))])
    async def signin() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/other", dependencies=[Depends(rate_limit("2/minute", scope="other"))])
    async def other() -> dict[str, bool]:
        return {"ok": True}

    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert (await client.post("/signin")).status_code == 200
            assert (await client.post("/signin")).status_code == 200
            refused = await client.post("/signin")
            assert (await client.post("/other")).status_code == 200  # another scope has its own budget
    finally:
        await limiter.aclose()

    assert refused.status_code == 429
    assert refused.headers["content-type"] == PROBLEM_JSON
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.json()
    assert body["status"] == 429
    assert body["type"].endswith("/rate-limited")
    assert body["instance"] == "/signin"


@pytest.mark.anyio
async def test_dependency_keys_by_client_ip() -> None:
    app = FastAPI()
    install_error_handlers(app)
    limiter = create_rate_limiter(None)
    app.state.resources = SimpleNamespace(rate_limiter=limiter)

    @app.get("/feed", dependencies=[Depends(rate_limit("1/minute", scope="feed"))])
    async def feed() -> dict[str, bool]:
        return {"ok": True}

    statuses = []
    try:
        for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.1"):
            transport = httpx.ASGITransport(app=app, client=(ip, 5000))
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                statuses.append((await client.get("/feed")).status_code)
    finally:
        await limiter.aclose()
    assert statuses == [200, 200, 429]


@pytest.mark.anyio
async def test_a_reset_while_expiry_runs_neither_fails_it_nor_forgets_later_hits() -> None:
    """limits' expiry task lists the keys, then waits for each key's lock: a reset in between must not break it."""
    import asyncio

    limiter = create_rate_limiter(None)
    storage = limiter._storage
    await limiter.hit("2/minute", "signin", "ada@example.com")
    await asyncio.sleep(0.01)  # the expiry that the hit scheduled has run
    [key] = list(storage.events)  # type: ignore[attr-defined]
    lock = storage.locks[key]  # type: ignore[attr-defined]
    await lock.acquire()
    storage._next_expiry = 0.0  # type: ignore[attr-defined]  # due again at once
    await storage._MemoryStorage__schedule_expiry()  # type: ignore[attr-defined]
    await asyncio.sleep(0.01)  # the expiry task has listed the key and waits for its lock

    await limiter.reset("2/minute", "signin", "ada@example.com")
    lock.release()
    await storage.timer  # type: ignore[attr-defined]  # failed with KeyError before

    for _ in range(2):
        await limiter.hit("2/minute", "signin", "ada@example.com")
    with pytest.raises(RateLimited):
        await limiter.hit("2/minute", "signin", "ada@example.com")
    await limiter.aclose()


@pytest.mark.anyio
async def test_memory_expiry_runs_at_most_once_per_interval_and_drops_spent_hits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio

    from viewfinder.kit import ratelimit

    limiter = create_rate_limiter(None)
    storage = limiter._storage
    passes = 0
    expire = storage._expire  # type: ignore[attr-defined]

    async def counted() -> None:
        nonlocal passes
        passes += 1
        await expire()

    monkeypatch.setattr(storage, "_expire", counted)
    for person in range(50):
        await limiter.hit("100/minute", "api", str(person))
        await asyncio.sleep(0)
    assert passes == 1  # limits alone would have swept every key after each hit

    await limiter.hit("1/second", "burst", "ada")
    assert len(storage.events) == 51  # type: ignore[attr-defined]
    await asyncio.sleep(1.05)
    monkeypatch.setattr(ratelimit, "MEMORY_EXPIRY_SECONDS", 0.0)
    storage._next_expiry = 0.0  # type: ignore[attr-defined]
    await limiter.hit("100/minute", "api", "grace")
    await storage.timer  # type: ignore[attr-defined]
    # The one-second window's hit is spent and gone; the minute windows' hits are kept.
    assert "burst" not in " ".join(storage.events)  # type: ignore[attr-defined]
    assert len(storage.events) == 51  # type: ignore[attr-defined]
    await limiter.hit("1/second", "burst", "ada")  # allowed again
    await limiter.aclose()
