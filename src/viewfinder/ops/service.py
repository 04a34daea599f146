"""Readiness checks (database, broker, worker, storage) and worker heartbeats."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import anyio
import structlog
from kombu import Connection
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.clock import utcnow
from viewfinder.kit.logging import mask_url_password
from viewfinder.kit.resources import Resources
from viewfinder.ops.models import WorkerHeartbeat
from viewfinder.ops.schemas import CheckResult, Readiness

CHECK_TIMEOUT_SECONDS = 5

log = structlog.get_logger(__name__)


async def record_heartbeat(session: AsyncSession, hostname: str) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    statement = insert(WorkerHeartbeat).values(hostname=hostname, last_seen_at=now)
    await session.execute(statement.on_conflict_do_update(index_elements=["hostname"], set_={"last_seen_at": now}))


async def _check_database(resources: Resources) -> None:
    async with resources.db.sessions() as session:
        await session.execute(text("SELECT 1"))


def _ping_broker(url: str) -> None:
    with Connection(url, connect_timeout=CHECK_TIMEOUT_SECONDS) as connection:
        connection.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)


async def _check_broker(resources: Resources) -> None:
    await anyio.to_thread.run_sync(_ping_broker, resources.settings.celery_broker_url, abandon_on_cancel=True)


async def _check_worker(resources: Resources) -> None:
    stale_after = timedelta(seconds=resources.settings.worker_stale_seconds)
    async with resources.db.sessions() as session:
        last_seen = await session.scalar(select(func.max(WorkerHeartbeat.last_seen_at)))
    if last_seen is None:
        raise RuntimeError("no worker has reported yet")
    age = utcnow() - last_seen
    if age > stale_after:
        raise RuntimeError(f"the last worker heartbeat is {int(age.total_seconds())} s old")


async def _check_storage(resources: Resources) -> None:
    await resources.storage.check()


CHECKS: dict[str, Callable[[Resources], Awaitable[None]]] = {
    "database": _check_database,
    "broker": _check_broker,
    "worker": _check_worker,
    "storage": _check_storage,
}


async def _run_check(
    name: str, check: Callable[[Resources], Awaitable[None]], resources: Resources, results: dict[str, CheckResult]
) -> None:
    started = time.perf_counter()
    try:
        with anyio.fail_after(CHECK_TIMEOUT_SECONDS):
            await check(resources)
    except Exception as error:  # a check reports any failure; readiness itself must not fail
        detail = "timed out" if isinstance(error, TimeoutError) else mask_url_password(str(error))[:300]
        log.warning("readiness_check_failed", check=name, detail=detail)
        results[name] = CheckResult(status="fail", latency_ms=_ms_since(started), detail=detail or type(error).__name__)
    else:
        results[name] = CheckResult(status="ok", latency_ms=_ms_since(started))


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


async def check_readiness(resources: Resources) -> Readiness:
    results: dict[str, CheckResult] = {}
    async with anyio.create_task_group() as group:
        for name, check in CHECKS.items():
            group.start_soon(_run_check, name, check, resources, results)
    ordered = {name: results[name] for name in CHECKS}
    healthy = all(result.status == "ok" for result in ordered.values())
    return Readiness(status="ok" if healthy else "fail", checks=ordered)
