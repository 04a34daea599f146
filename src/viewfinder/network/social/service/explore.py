"""Explore: what is popular on the network now, for people looking for something new: the most engaging recent
posts of public accounts, and the hashtags most used lately.

Both are the same for everyone but the viewer's own posts and blocked relations, so the ranking is cached for a
short while (memory or Redis) and each viewer's exclusions are applied to it afterwards: a busy network ranks
once a minute, not once a request.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.cache import Cache
from viewfinder.kit.clock import utcnow
from viewfinder.network.social.ids import first_id_at
from viewfinder.network.social.models import (
    NetworkHashtag,
    NetworkPerson,
    NetworkPost,
    NetworkPostHashtag,
    PostKind,
)
from viewfinder.network.social.service.people import unblocked
from viewfinder.network.social.service.posts import GridEntry, grid_entries

EXPLORE_DAYS = 7
RANKED_POSTS = 200  # ranked once for everyone; a viewer's exclusions and the page limit are applied to it
POSTS_RANKING_TTL_SECONDS = 60
HASHTAGS_RANKING_TTL_SECONDS = 5 * 60
POSTS_KEY = "network:explore:posts"
HASHTAGS_KEY = "network:explore:hashtags"


async def _ranked_post_ids(session: AsyncSession) -> list[int]:
    rows = await session.scalars(
        select(NetworkPost.id)
        .join(NetworkPerson, NetworkPerson.id == NetworkPost.author_id)
        .where(
            NetworkPost.id >= first_id_at(utcnow() - timedelta(days=EXPLORE_DAYS)),
            NetworkPost.kind != PostKind.STORY,
            NetworkPerson.is_private.is_(false()),
        )
        .order_by((NetworkPost.like_count + NetworkPost.comment_count).desc(), NetworkPost.id.desc())
        .limit(RANKED_POSTS)
    )
    return list(rows)


async def explore_posts(
    session: AsyncSession, cache: Cache, viewer: NetworkPerson | None, limit: int
) -> list[GridEntry]:
    """The most liked and commented posts of public accounts of the last week, without the viewer's own and
    those of people the viewer blocked or who blocked the viewer."""

    async def rank() -> list[int]:
        return await _ranked_post_ids(session)

    ranked: list[int] = await cache.get_or_set(POSTS_KEY, POSTS_RANKING_TTL_SECONDS, rank)
    statement = select(NetworkPost).where(NetworkPost.id.in_(ranked))
    if viewer is not None:
        statement = statement.where(NetworkPost.author_id != viewer.id, unblocked(viewer.id, NetworkPost.author_id))
    # Read again rather than trusted from the ranking: a post deleted since is gone, and counts are current.
    by_id = {post.id: post for post in await session.scalars(statement)}
    posts = [by_id[post_id] for post_id in ranked if post_id in by_id][:limit]
    return await grid_entries(session, posts)


async def trending_hashtags(session: AsyncSession, cache: Cache, limit: int) -> list[tuple[str, int]]:
    """The hashtags on the most posts of the last week, with that number of posts."""

    async def rank() -> list[tuple[str, int]]:
        uses = func.count().label("uses")
        rows = await session.execute(
            select(NetworkHashtag.name, uses)
            .join(NetworkPostHashtag, NetworkPostHashtag.hashtag_id == NetworkHashtag.id)
            .join(NetworkPerson, NetworkPerson.id == NetworkPostHashtag.author_id)
            .where(
                NetworkPostHashtag.post_id >= first_id_at(utcnow() - timedelta(days=EXPLORE_DAYS)),
                NetworkPerson.is_private.is_(false()),
            )
            .group_by(NetworkHashtag.name)
            .order_by(uses.desc(), NetworkHashtag.name)
            .limit(50)
        )
        return [(name, int(count)) for name, count in rows]

    ranked = await cache.get_or_set(HASHTAGS_KEY, HASHTAGS_RANKING_TTL_SECONDS, rank)
    return [(name, count) for name, count in ranked[:limit]]
