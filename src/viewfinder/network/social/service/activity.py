"""What people do on the network that insights count and nothing else keeps: posts seen (per viewer and day),
profile visits and website link taps, and follows and unfollows as events (follow rows go away).

Recording is cheap on purpose, since it runs when pages are served: a page of posts costs one statement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
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


async def record_views(
    session: AsyncSession, viewer_id: int, shown: Iterable[tuple[int, int]], *, day: date | None = None
) -> None:
    """Count one view of each post shown to the viewer today: one upsert for the whole page."""
    counts = view_counts(viewer_id, shown)
    if not counts:
        return
    day = day or utcnow().date()
    # Sorted by key, so two pages upserting the same rows lock them in one order.
    rows = [
        {"post_id": post_id, "viewer_id": viewer_id, "day": day, "views": counts[post_id]} for post_id in sorted(counts)
    ]
    # The dialect's own insert, for ON CONFLICT (people.insert_for's twin: people imports this module).
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(NetworkPostView).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["post_id", "viewer_id", "day"],
        set_={"views": NetworkPostView.views + statement.excluded.views},
    )
    await session.execute(statement)


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
