"""Real worker processes on the embedded SQLite broker and on Redis: jobs queued after commit are run."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import delete, func, select

from tests.conftest import make_settings
from tests.processes import running, viewfinder_env, wait_for
from viewfinder import worker
from viewfinder.kit import jobs
from viewfinder.kit.db import Database
from viewfinder.ops.models import WorkerHeartbeat


def _heartbeats(database_url: str) -> int:
    async def count() -> int:
        database = Database(database_url, pool_size=1)
        try:
            async with database.sessions() as session:
                return int(await session.scalar(select(func.count()).select_from(WorkerHeartbeat)) or 0)
        finally:
            await database.dispose()

    return asyncio.run(count())


def _clear_heartbeats_and_queue_one(database_url: str) -> None:
    async def run() -> None:
        database = Database(database_url, pool_size=1)
        try:
            async with database.unit_of_work() as session:
                await session.execute(delete(WorkerHeartbeat))
                jobs.enqueue(session, "ops.record_heartbeat")
        finally:
            await database.dispose()

    asyncio.run(run())


def _round_trip(tmp_path: Path, database_url: str, broker_url: str, queue: str = "viewfinder") -> None:
    env = viewfinder_env(tmp_path / "data", database_url, BROKER_URL=broker_url, JOB_QUEUE=queue)
    log = tmp_path / "worker.log"
    with running(["worker", "--concurrency", "1"], env, log):
        # The worker reports itself through the queue once it is ready.
        wait_for(lambda: _heartbeats(database_url) == 1, timeout=60, what="the ready heartbeat", log_path=log)
        # A job queued in a unit of work in this process is sent after the commit and run by the worker.
        worker.configure(make_settings(tmp_path / "data", database_url, broker_url=broker_url, job_queue=queue))
        _clear_heartbeats_and_queue_one(database_url)
        wait_for(lambda: _heartbeats(database_url) == 1, timeout=30, what="the queued job", log_path=log)
    assert "Traceback" not in log.read_text()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_worker_on_the_sqlite_broker(tmp_path: Path, database_url: str) -> None:
    _round_trip(tmp_path, database_url, f"sqla+sqlite:///{tmp_path / 'broker.db'}")


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_worker_on_redis(tmp_path: Path, database_url: str, redis_url: str) -> None:
    # A queue of its own, so parallel tests on one Redis never take each other's jobs.
    queue = f"test-{uuid.uuid4().hex}"
    try:
        _round_trip(tmp_path, database_url, redis_url, queue)
    finally:
        client = redis.Redis.from_url(redis_url)
        client.delete(queue, *client.keys(f"*{queue}*"))
        client.close()
