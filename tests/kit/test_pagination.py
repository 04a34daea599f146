"""Cursor pagination over a real table on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from viewfinder.kit.db import Database
from viewfinder.kit.errors import InvalidInput
from viewfinder.kit.pagination import PageParams, decode_cursor, encode_cursor, paginate
from viewfinder.ops.models import WorkerHeartbeat
from viewfinder.settings import Settings

pytestmark = pytest.mark.anyio

START = datetime(2026, 1, 1, tzinfo=UTC)


async def test_pages_walk_every_row_once_newest_first(settings: Settings) -> None:
    database = Database(settings.sqlalchemy_url)
    async with database.unit_of_work() as session:
        # Pairs share a timestamp, so the second key must break ties.
        for i in range(25):
            session.add(WorkerHeartbeat(hostname=f"host-{i:02d}", last_seen_at=START + timedelta(minutes=i // 2)))
    keys = [WorkerHeartbeat.last_seen_at, WorkerHeartbeat.hostname]
    seen: list[str] = []
    cursor = None
    pages = 0
    async with database.sessions() as session:
        while True:
            rows, cursor = await paginate(session, select(WorkerHeartbeat), keys, PageParams(limit=10, cursor=cursor))
            seen += [row.hostname for row in rows]
            pages += 1
            if cursor is None:
                break
    await database.dispose()
    assert pages == 3
    expected = sorted((f"host-{i:02d}" for i in range(25)), key=lambda h: (int(h[5:]) // 2, h), reverse=True)
    assert seen == expected


def test_cursors_round_trip_their_types() -> None:
    from uuid import uuid4

    values = [START, uuid4(), "text", 7]
    assert decode_cursor(encode_cursor(values)) == values


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", "eyJhIjogMX0"])
def test_bad_cursors_are_a_clear_422(cursor: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        decode_cursor(cursor)
    assert raised.value.status == 422
    assert raised.value.errors[0]["field"] == "cursor"
