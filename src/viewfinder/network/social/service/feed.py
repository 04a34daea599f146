"""The home feed: the posts of the people the viewer follows (active follows only) and the viewer's own, newest
first, keyset-paginated by post id (ids grow with time).

A page costs a fixed number of queries whatever it holds: the page of posts, then its authors, media, caption
mentions, the viewer's likes and the first comments each in one batched query (IN lists, a window function
for the comments), never one per post. The posts come from `ix_network_posts_author_id_id` and the follows
from `ix_network_follows_follower_id_state_id`.

Blocks end follows both ways, but a block is also checked here, both ways, so that nothing of a blocked
relation shows even while the two rows disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload, selectinload

from viewfinder.kit.pagination import PageParams, paginate
from viewfinder.network.social.captions import Entity
from viewfinder.network.social.models import (
    FollowState,
    LikeTarget,
    NetworkBlock,
    NetworkComment,
    NetworkFollow,
    NetworkPerson,
    NetworkPost,
)
from viewfinder.network.social.service.interactions import liked
from viewfinder.network.social.service.posts import caption_entities_of, scoped

FEED_DEFAULT_LIMIT = 20
FEED_MAX_LIMIT = 50
FIRST_COMMENTS = 2
# Each list's cursors carry its name, so a cursor of another list is refused, not misread.
FEED_CURSOR = "feed."


@dataclass
class FeedEntry:
    """A post of the feed with what the viewer sees of it."""

    post: NetworkPost
    entities: list[Entity] = field(default_factory=list)
    liked_by_viewer: bool = False
    first_comments: list[NetworkComment] = field(default_factory=list)


async def first_comments(session: AsyncSession, post_ids: Sequence[int]) -> dict[int, list[NetworkComment]]:
    """The first top-level comments of each post that others see (not hidden), oldest first: one query."""
    if not post_ids:
        return {}
    position = func.row_number().over(partition_by=NetworkComment.post_id, order_by=NetworkComment.id).label("position")
    ranked = (
        select(NetworkComment.id, position)
        .where(
            NetworkComment.post_id.in_(list(post_ids)),
            NetworkComment.parent_id.is_(None),
            NetworkComment.hidden.is_(False),
        )
        .subquery()
    )
    comment = aliased(NetworkComment)
    rows = await session.scalars(
        select(comment)
        .join(ranked, ranked.c.id == comment.id)
        .options(joinedload(comment.author))
        .where(ranked.c.position <= FIRST_COMMENTS)
        .order_by(comment.id)
    )
    found: dict[int, list[NetworkComment]] = defaultdict(list)
    for row in rows:
        found[row.post_id].append(row)
    return found


async def home_feed(
    session: AsyncSession, viewer: NetworkPerson, params: PageParams
) -> tuple[list[FeedEntry], str | None]:
    """One page of the viewer's home feed, newest first."""
    page = scoped(params, FEED_CURSOR)
    author_id = NetworkPost.author_id
    followed = select(NetworkFollow.followee_id).where(
        NetworkFollow.follower_id == viewer.id, NetworkFollow.state == FollowState.ACTIVE
    )
    blockers = select(NetworkBlock.blocker_id).where(NetworkBlock.blocked_id == viewer.id)
    blocked = select(NetworkBlock.blocked_id).where(NetworkBlock.blocker_id == viewer.id)
    statement = (
        select(NetworkPost)
        .options(selectinload(NetworkPost.author), selectinload(NetworkPost.media))
        .where(
            or_(author_id == viewer.id, author_id.in_(followed)),
            author_id.not_in(blockers),
            author_id.not_in(blocked),
        )
    )
    posts, next_cursor = await paginate(session, statement, [NetworkPost.id], page)
    ids = [post.id for post in posts]
    entities = await caption_entities_of(session, posts)
    mine = await liked(session, viewer, LikeTarget.POST, ids)
    comments = await first_comments(session, ids)
    entries = [
        FeedEntry(
            post=post,
            entities=entities.get(post.id, []),
            liked_by_viewer=post.id in mine,
            first_comments=comments.get(post.id, []),
        )
        for post in posts
    ]
    return entries, FEED_CURSOR + next_cursor if next_cursor else None
