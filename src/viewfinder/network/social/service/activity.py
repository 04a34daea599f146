"""What people do on the network that insights count and nothing else keeps: posts seen (per viewer and day),
profile visits and website link taps, and follows and unfollows as events (follow rows go away).

Recording is cheap on purpose, since it runs when pages are served: the views of a page are counted in the
process's memory and written in batches (`count_views`, `write_pending_views`), so serving a feed writes nothing;
visits, taps and follows are rare enough to be rows at once.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.clock import utcnow
from viewfinder.network.social.ids import new_id, parse_id
from viewfinder.network.social.models import NetworkFollowEvent, NetworkPost, NetworkPostView, NetworkProfileEvent

VISIT = "visit"
LINK_TAP = "link_tap"
FOLLOW = "follow"
UNFOLLOW = "unfollow"


def view_counts(viewer_id: int, shown: Iterable[tuple[int, int]]) -> Counter[int]:
    """How often each post was shown, from (post id, author id) pairs; authors seeing their own posts don't count."""
    return Counter(post_id for post_id, author_id in shown if author_id != viewer_id)


class PendingViews:
    """Views counted in memory until written: a feed page is the network's hottest read, and a write per page
    (a transaction, a WAL flush, row locks) cost it more than the read itself. Written at least every
    `max_age` seconds by the request that finds them due, before insights are read, and at shutdown; a crash
    loses at most those seconds of views, which insights can spare."""

    def __init__(self, *, max_age: float = 5.0, max_rows: int = 20_000) -> None:
        self.max_age = max_age
        self.max_rows = max_rows
        self._counts: Counter[tuple[int, int, date]] = Counter()
        self._since = time.monotonic()

    def add(self, viewer_id: int, shown: Iterable[tuple[int, int]], day: date | None = None) -> bool:
        """Count the views; whether the pending ones are now due to be written."""
        day = day or utcnow().date()
        for post_id, views in view_counts(viewer_id, shown).items():
            if not self._counts:
                self._since = time.monotonic()
            self._counts[post_id, viewer_id, day] += views
        return bool(self._counts) and (
            len(self._counts) >= self.max_rows or time.monotonic() - self._since >= self.max_age
        )

    def take(self) -> Counter[tuple[int, int, date]]:
        taken, self._counts = self._counts, Counter()
        return taken


# One buffer per database engine: an app's views never land in another app's database (tests run many apps).
_PENDING: WeakKeyDictionary[Any, PendingViews] = WeakKeyDictionary()
_WRITE_BATCH = 1_000  # rows per upsert: well under SQLite's and asyncpg's parameter limits


def _pending(session: AsyncSession) -> PendingViews:
    # `bind`, the attribute: `get_bind()` on every feed page cost it a third of its throughput (measured).
    engine = session.bind
    found = _PENDING.get(engine)
    if found is None:
        found = _PENDING[engine] = PendingViews()
    return found


def count_views(session: AsyncSession, viewer_id: int, shown: Iterable[tuple[int, int]]) -> bool:
    """Count the views of posts served to a viewer, in memory; whether the pending ones are due to be written."""
    return _pending(session).add(viewer_id, shown)


async def write_pending_views(session: AsyncSession) -> None:
    """Write the views this process has counted (insights call it before reading, the feed when they are due)."""
    taken = _pending(session).take()
    rows = [
        {"post_id": post_id, "viewer_id": viewer_id, "day": day, "views": views}
        for (post_id, viewer_id, day), views in sorted(taken.items())
    ]
    for start in range(0, len(rows), _WRITE_BATCH):
        await _upsert_views(session, rows[start : start + _WRITE_BATCH])


async def _upsert_views(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    # The dialect's own insert, for ON CONFLICT (people.insert_for's twin: people imports this module), on the
    # table rather than the entity: the rows go as one executemany, without the ORM's bulk bookkeeping.
    table = cast(Table, NetworkPostView.__table__)
    dialect = session.bind.dialect.name if session.bind is not None else ""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=["post_id", "viewer_id", "day"], set_={"views": table.c.views + statement.excluded.views}
    )
    await session.execute(statement, rows)


async def record_views(
    session: AsyncSession, viewer_id: int, shown: Iterable[tuple[int, int]], *, day: date | None = None
) -> None:
    """Count one view of each post shown to the viewer on a day (today by default), written at once: one upsert
    for the page (the simulator's live mode and stories; served pages go through count_views)."""
    counts = view_counts(viewer_id, shown)
    if not counts:
        return
    day = day or utcnow().date()
    # Sorted by key, so two pages upserting the same rows lock them in one order.
    rows: list[dict[str, object]] = [
        {"post_id": post_id, "viewer_id": viewer_id, "day": day, "views": counts[post_id]} for post_id in sorted(counts)
    ]
    await _upsert_views(session, rows)


async def record_story_view(session: AsyncSession, viewer_id: int, story_id: str) -> None:
    """Count a view of a story the viewer was allowed to mark seen (stories are posts: their insights count it)."""
    number = parse_id(story_id)
    author_id = await session.scalar(select(NetworkPost.author_id).where(NetworkPost.id == number)) if number else None
    if number is not None and author_id is not None:
        await record_views(session, viewer_id, [(number, author_id)])


async def record_profile_event(session: AsyncSession, person_id: int, actor_id: int | None, kind: str) -> None:
    """A visit to someone's profile or a tap on its website link; one's own profile is not counted."""
    if actor_id == person_id:
        return
    session.add(
        NetworkProfileEvent(id=new_id(), person_id=person_id, actor_id=actor_id, kind=kind, created_at=utcnow())
    )
    await session.flush()


async def record_follow_event(session: AsyncSession, follower_id: int, followee_id: int, kind: str) -> None:
    """A follow that became active (at once, or when its request was accepted), or an active follow that ended."""
    session.add(
        NetworkFollowEvent(
            id=new_id(), follower_id=follower_id, followee_id=followee_id, kind=kind, created_at=utcnow()
        )
    )
    await session.flush()
