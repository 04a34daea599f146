"""Stories: the tray of people with stories to watch, a person's unexpired stories, and who has seen which.

A story is a post of kind "story" (written by service.posts.create_post) that shows for 24 hours from its
creation, here only: never in the feed, the grid, hashtag lists or posts_count. Past `expires_at` it answers
404 to everyone but its author, and it stays stored.

The tray is one grouped query over the unexpired stories of the viewer and of the people they follow (active
follows; blocks either way left out), then one for those people: its cost does not grow with the tray.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import NotFound
from viewfinder.network.social.ids import parse_id
from viewfinder.network.social.models import (
    FollowState,
    NetworkBlock,
    NetworkFollow,
    NetworkPerson,
    NetworkPost,
    NetworkStoryView,
    PostKind,
)
from viewfinder.network.social.service.people import PrivateAccount, insert_for, visible_person
from viewfinder.network.social.service.posts import STORY_LIFETIME, can_see_posts_of


@dataclass(frozen=True)
class TrayEntry:
    person: NetworkPerson
    latest_at: datetime
    seen: bool


@dataclass(frozen=True)
class StoryEntry:
    story: NetworkPost
    seen: bool

    @property
    def expires_at(self) -> datetime:
        # Every story has one (see posts.create_post); the type allows null for the other kinds.
        return self.story.expires_at or self.story.created_at + STORY_LIFETIME


def _no_such_story() -> NotFound:
    return NotFound("No such story: it may have expired or been deleted, or it is not available to you.")


def _unexpired(now: datetime) -> list[ColumnElement[bool]]:
    return [NetworkPost.kind == PostKind.STORY, NetworkPost.expires_at > now]


async def story_tray(session: AsyncSession, viewer: NetworkPerson) -> list[TrayEntry]:
    """The viewer first (when they have stories), then the people they follow with unexpired stories: those with
    a story the viewer has not seen first, then by their newest story, newest first."""
    author_id = NetworkPost.author_id
    followed = select(NetworkFollow.followee_id).where(
        NetworkFollow.follower_id == viewer.id, NetworkFollow.state == FollowState.ACTIVE
    )
    blockers = select(NetworkBlock.blocker_id).where(NetworkBlock.blocked_id == viewer.id)
    blocked = select(NetworkBlock.blocked_id).where(NetworkBlock.blocker_id == viewer.id)
    rows = (
        await session.execute(
            select(
                author_id,
                func.max(NetworkPost.created_at),
                func.count(NetworkPost.id),
                func.count(NetworkStoryView.story_id),
            )
            .outerjoin(
                NetworkStoryView,
                and_(NetworkStoryView.story_id == NetworkPost.id, NetworkStoryView.viewer_id == viewer.id),
            )
            .where(
                *_unexpired(utcnow()),
                or_(author_id == viewer.id, author_id.in_(followed)),
                author_id.not_in(blockers),
                author_id.not_in(blocked),
            )
            .group_by(author_id)
        )
    ).all()
    if not rows:
        return []
    people = {
        person.id: person
        for person in await session.scalars(select(NetworkPerson).where(NetworkPerson.id.in_([row[0] for row in rows])))
    }
    entries = [
        # The author's own views are not recorded: their own stories count as seen.
        TrayEntry(person=people[person_id], latest_at=latest_at, seen=person_id == viewer.id or seen == count)
        for person_id, latest_at, count, seen in rows
        if person_id in people
    ]
    entries.sort(key=lambda entry: entry.latest_at, reverse=True)
    entries.sort(key=lambda entry: (entry.person.id != viewer.id, entry.seen))
    return entries


async def person_stories(session: AsyncSession, viewer: NetworkPerson | None, username: str) -> list[StoryEntry]:
    """A person's unexpired stories, oldest first, seen as their posts are (a private account's by its followers)."""
    person = await visible_person(session, viewer, username)
    if not await can_see_posts_of(session, viewer, person):
        # Someone who blocked the viewer is not found at all (visible_person): what is left is privacy.
        raise PrivateAccount(f"This account is private: follow {person.username} to see their stories.")
    stories = list(
        await session.scalars(
            select(NetworkPost)
            .options(selectinload(NetworkPost.author), selectinload(NetworkPost.media))
            .where(NetworkPost.author_id == person.id, *_unexpired(utcnow()))
            .order_by(NetworkPost.id)
        )
    )
    return [StoryEntry(story, seen) for story, seen in zip(stories, await _seen(session, viewer, stories), strict=True)]


async def _seen(session: AsyncSession, viewer: NetworkPerson | None, stories: list[NetworkPost]) -> list[bool]:
    if viewer is None or not stories:
        return [False] * len(stories)
    seen = set(
        await session.scalars(
            select(NetworkStoryView.story_id).where(
                NetworkStoryView.viewer_id == viewer.id, NetworkStoryView.story_id.in_([s.id for s in stories])
            )
        )
    )
    return [story.author_id == viewer.id or story.id in seen for story in stories]


async def mark_seen(session: AsyncSession, viewer: NetworkPerson, story_id: str) -> None:
    """Record that the viewer has seen an unexpired story they may see; again changes nothing, and the author's
    own views are not recorded."""
    number = parse_id(story_id)
    if number is None:
        raise _no_such_story()
    story = await session.scalar(
        select(NetworkPost)
        .options(selectinload(NetworkPost.author))
        .where(NetworkPost.id == number, *_unexpired(utcnow()))
    )
    if story is None or not await can_see_posts_of(session, viewer, story.author):
        raise _no_such_story()
    if story.author_id == viewer.id:
        return
    await session.execute(
        insert_for(session)(NetworkStoryView)
        .values(story_id=story.id, viewer_id=viewer.id, seen_at=utcnow())
        .on_conflict_do_nothing(index_elements=["story_id", "viewer_id"])
    )
