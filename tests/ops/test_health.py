"""Liveness and readiness, against the real database and storage of each test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from viewfinder.ops.service import record_heartbeat

pytestmark = pytest.mark.anyio


async def test_live_answers_without_dependencies(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_fails_until_a_worker_reports(app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert list(body["checks"]) == ["database", "broker", "worker", "storage"]
    assert body["checks"]["worker"] == {
        "status": "fail",
        "latency_ms": body["checks"]["worker"]["latency_ms"],
        "detail": "no worker has reported yet",
    }
    for name in ("database", "broker", "storage"):
        assert body["checks"][name]["status"] == "ok", body["checks"][name]

    async with app.state.resources.db.unit_of_work() as session:
        await record_heartbeat(session, "worker-1")
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert {check["status"] for check in response.json()["checks"].values()} == {"ok"}


async def test_a_stale_heartbeat_is_not_ready(app: FastAPI, client: httpx.AsyncClient) -> None:
    from viewfinder.ops.models import WorkerHeartbeat

    async with app.state.resources.db.unit_of_work() as session:
        session.add(WorkerHeartbeat(hostname="old", last_seen_at=datetime.now(UTC) - timedelta(minutes=5)))
    body = (await client.get("/health/ready")).json()
    assert body["checks"]["worker"]["status"] == "fail"
    assert "s old" in body["checks"]["worker"]["detail"]


async def test_heartbeats_upsert_per_host(app: FastAPI) -> None:
    from sqlalchemy import func, select

    from viewfinder.ops.models import WorkerHeartbeat

    for _ in range(3):
        async with app.state.resources.db.unit_of_work() as session:
            await record_heartbeat(session, "same-host")
    async with app.state.resources.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(WorkerHeartbeat)) == 1


async def test_an_unreachable_broker_fails_readiness(tmp_path, database_url: str) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_settings
    from viewfinder.app import create_app

    app = create_app(make_settings(tmp_path / "data", database_url, broker_url="redis://127.0.0.1:1/0"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        body = (await client.get("/health/ready")).json()
    await app.state.resources.aclose()
    assert body["checks"]["broker"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
