"""The database kernel on SQLite and PostgreSQL: ids, aware timestamps, units of work, jobs after commit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from viewfinder.kit import jobs
from viewfinder.kit.db import Database
from viewfinder.kit.ids import new_id
from viewfinder.ops.models import WorkerHeartbeat
from viewfinder.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
async def database(settings: Settings):  # type: ignore[no-untyped-def]
    db = Database(settings.sqlalchemy_url)
    yield db
    await db.dispose()


@pytest.fixture
def sent_jobs() -> list[jobs.Job]:
    sent: list[jobs.Job] = []
    jobs.set_sender(sent.append)
    yield sent  # type: ignore[misc]
    jobs.set_sender(None)


def test_ids_are_uuid7_and_sort_by_creation() -> None:
    ids = [new_id() for _ in range(100)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)


async def test_timestamps_come_back_aware_in_utc(database: Database) -> None:
    rome = timezone(timedelta(hours=1))
    async with database.unit_of_work() as session:
        session.add(WorkerHeartbeat(hostname="w1", last_seen_at=datetime(2026, 3, 29, 2, 30, tzinfo=rome)))
    async with database.sessions() as session:
        stored = await session.scalar(select(WorkerHeartbeat.last_seen_at))
    assert stored == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert stored is not None
    assert stored.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(database: Database) -> None:
    async with database.sessions() as session:
        session.add(WorkerHeartbeat(hostname="w1", last_seen_at=datetime(2026, 1, 1)))
        with pytest.raises(Exception, match="naive"):
            await session.flush()


async def test_jobs_are_sent_only_after_commit(database: Database, sent_jobs: list[jobs.Job]) -> None:
    async with database.unit_of_work() as session:
        session.add(WorkerHeartbeat(hostname="w2", last_seen_at=datetime.now(UTC)))
        jobs.enqueue(session, "ops.record_heartbeat", "w2", countdown=5)
        assert sent_jobs == []
    assert sent_jobs == [jobs.Job("ops.record_heartbeat", ("w2",), {}, 5)]


async def test_a_failed_unit_of_work_writes_nothing_and_sends_nothing(
    database: Database, sent_jobs: list[jobs.Job]
) -> None:
    async def fail_half_way() -> None:
        async with database.unit_of_work() as session:
            session.add(WorkerHeartbeat(hostname="w3", last_seen_at=datetime.now(UTC)))
            jobs.enqueue(session, "ops.record_heartbeat")
            await session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await fail_half_way()
    async with database.sessions() as session:
        assert await session.get(WorkerHeartbeat, "w3") is None
    assert sent_jobs == []
