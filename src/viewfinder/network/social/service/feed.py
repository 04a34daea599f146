"""The home feed: the posts of the people the viewer follows (active follows only) and the viewer's own, newest
first, keyset-paginated by post id (ids grow with time).

The feed is the network's hottest read, so it is read as plain rows, never as ORM objects, and a page costs a
fixed number of queries whatever it holds: the page of posts joined with their authors, the viewer's likes, the
first comments (a window function) and the tagged people, each one query over IN lists. What never changes for a
post is cached (see `cards`): its media, and its caption's entities under the time of its last edit, so an edit
is a new key and never a stale read. The posts come from `ix_network_posts_author_id_id`, the follows from
`ix_network_follows_follower_id_state_id`.

Blocks end follows both ways, but a block is also checked here, both ways, so that nothing of a blocked
relation shows even while the two rows disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.cache import Cache
from viewfinder.kit.pagination import PageParams, paginate_rows
from viewfinder.network.social.captions import Entity
from viewfinder.network.social.models import (
    FollowState,
    LikeTarget,
    NetworkComment,
    NetworkFollow,
    NetworkPerson,
    NetworkPost,
    PostKind,
)
from viewfinder.network.social.service.cards import CardMedia, caption_entities_cached, media_cached
from viewfinder.network.social.service.interactions import liked
from viewfinder.network.social.service.people import Summary, summary_columns, summary_of, unblocked
from viewfinder.network.social.service.posts import scoped
from viewfinder.network.social.service.tags import TaggedPerson, user_tags_of

FEED_DEFAULT_LIMIT = 20
FEED_MAX_LIMIT = 50
FIRST_COMMENTS = 2
# Each list's cursors carry its name, so a cursor of another list is refused, not misread.
FEED_CURSOR = "feed."


@dataclass(frozen=True)
class FirstComment:
    id: int
    author: Summary
    text: str
    created_at: datetime


@dataclass(frozen=True)
class FeedEntry:
    """A post of the feed with what the viewer sees of it."""

    id: int
    author: Summary
    media: list[CardMedia]
    caption: str
    entities: list[Entity]
    location: str | None
    like_count: int
    comment_count: int
    liked_by_viewer: bool
    created_at: datetime
    edited_at: datetime | None
    kind: PostKind
    expires_at: datetime | None
    user_tags: list[TaggedPerson]
    first_comments: list[FirstComment]


async def first_comments(
    session: AsyncSession, viewer: NetworkPerson, post_ids: Sequence[int]
) -> dict[int, list[FirstComment]]:
    """The first top-level comments of each post that others see (not hidden, none of blocked relations),
    oldest first: one query."""
    if not post_ids:
        return {}
    position = func.row_number().over(partition_by=NetworkComment.post_id, order_by=NetworkComment.id).label("position")
    ranked = (
        select(NetworkComment.id, position)
        .where(
            NetworkComment.post_id.in_(list(post_ids)),
            NetworkComment.parent_id.is_(None),
            NetworkComment.hidden.is_(False),
            unblocked(viewer.id, NetworkComment.author_id),
        )
        .subquery()
    )
    rows = await session.execute(
        select(
            NetworkComment.id,
            NetworkComment.post_id,
            NetworkComment.text,
            NetworkComment.created_at,
            *summary_columns(NetworkPerson),
        )
        .join(ranked, ranked.c.id == NetworkComment.id)
        .join(NetworkPerson, NetworkPerson.id == NetworkComment.author_id)
        .where(ranked.c.position <= FIRST_COMMENTS)
        .order_by(NetworkComment.id)
    )
    found: dict[int, list[FirstComment]] = defaultdict(list)
    for row in rows:
        found[row.post_id].append(FirstComment(row.id, summary_of(row), row.text, row.created_at))
    return found


async def home_feed(
    session: AsyncSession, cache: Cache, viewer: NetworkPerson, params: PageParams
) -> tuple[list[FeedEntry], str | None]:
    """One page of the viewer's home feed, newest first."""
    page = scoped(params, FEED_CURSOR)
    author_id = NetworkPost.author_id
    followed = select(NetworkFollow.followee_id).where(
        NetworkFollow.follower_id == viewer.id, NetworkFollow.state == FollowState.ACTIVE
    )
    statement = (
        select(
            NetworkPost.id,
            NetworkPost.caption,
            NetworkPost.location,
            NetworkPost.like_count,
            NetworkPost.comment_count,
            NetworkPost.created_at,
            NetworkPost.edited_at,
            NetworkPost.kind,
            NetworkPost.expires_at,
            *summary_columns(NetworkPerson),
        )
        .join(NetworkPerson, NetworkPerson.id == author_id)
        .where(
            or_(author_id == viewer.id, author_id.in_(followed)),
            unblocked(viewer.id, author_id),
            NetworkPost.kind != PostKind.STORY,  # stories show in the tray (service.stories), never here
        )
    )
    rows, next_cursor = await paginate_rows(session, statement, [NetworkPost.id], page)
    ids = [row.id for row in rows]
    media = await media_cached(session, cache, ids)
    entities = await caption_entities_cached(session, cache, rows)
    mine = await liked(session, viewer, LikeTarget.POST, ids)
    comments = await first_comments(session, viewer, ids)
    tagged = await user_tags_of(session, ids)
    entries = [
        FeedEntry(
            id=row.id,
            author=summary_of(row),
            media=media[row.id],
            caption=row.caption,
            entities=entities[row.id],
            location=row.location,
            like_count=row.like_count,
            comment_count=row.comment_count,
            liked_by_viewer=row.id in mine,
            created_at=row.created_at,
            edited_at=row.edited_at,
            kind=row.kind,
            expires_at=row.expires_at,
            user_tags=tagged.get(row.id, []),
            first_comments=comments.get(row.id, []),
        )
        for row in rows
    ]
    return entries, FEED_CURSOR + next_cursor if next_cursor else None
