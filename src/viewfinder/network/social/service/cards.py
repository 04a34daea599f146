"""What of a post is the same for every viewer, cached for the hot lists (the home feed): its media, which never
change once posted, and its caption's entities, kept under the time of the post's last edit so that an edit
reads a new key instead of a stale one.

The cache is the process's (memory) in the embedded mode and Redis in the distributed one; a miss reads the
database in one query for all the missing posts of a page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, astuple, dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.cache import Cache
from viewfinder.network.social.captions import Entity
from viewfinder.network.social.models import MediaType, NetworkPostMedia
from viewfinder.network.social.service.posts import Captioned, caption_entities_of

MEDIA_TTL_SECONDS = 24 * 3600
# A mention links while its person goes by that name: a rename shows in cached captions within this time.
ENTITIES_TTL_SECONDS = 10 * 60


@dataclass(frozen=True)
class CardMedia:
    """One image or video of a post, with its storage keys (links are signed when answered)."""

    id: int
    position: int
    storage_key: str
    thumbnail_key: str
    width: int
    height: int
    alt_text: str
    media_type: MediaType
    video_key: str | None
    duration_ms: int | None


class CaptionedPost(Captioned, Protocol):
    @property
    def edited_at(self) -> datetime | None: ...


def _media_key(post_id: int) -> str:
    return f"network:post-media:{post_id}"


def _entities_key(post: CaptionedPost) -> str:
    edited = post.edited_at.isoformat() if post.edited_at else "never"
    return f"network:caption-entities:{post.id}:{edited}"


def _media_from(stored: list[dict[str, Any]]) -> list[CardMedia]:
    # The media type comes back from JSON as its plain value.
    return [CardMedia(**fields | {"media_type": MediaType(fields["media_type"])}) for fields in stored]


async def media_cached(session: AsyncSession, cache: Cache, post_ids: Sequence[int]) -> dict[int, list[CardMedia]]:
    """Each post's media in position order."""
    stored = await cache.get_many([_media_key(post_id) for post_id in post_ids])
    found = {post_id: _media_from(value) for post_id, value in zip(post_ids, stored, strict=True) if value is not None}
    missing = [post_id for post_id in post_ids if post_id not in found]
    if not missing:
        return found
    media = NetworkPostMedia
    rows = await session.execute(
        select(
            media.post_id,
            media.id,
            media.position,
            media.storage_key,
            media.thumbnail_key,
            media.width,
            media.height,
            media.alt_text,
            media.media_type,
            media.video_key,
            media.duration_ms,
        )
        .where(media.post_id.in_(missing))
        .order_by(media.post_id, media.position)
    )
    fresh: dict[int, list[CardMedia]] = defaultdict(list)
    for post_id, *values in rows:
        fresh[post_id].append(CardMedia(*values))
    await cache.set_many(
        {_media_key(post_id): [asdict(item) for item in fresh[post_id]] for post_id in missing}, MEDIA_TTL_SECONDS
    )
    return found | {post_id: fresh[post_id] for post_id in missing}


async def caption_entities_cached(
    session: AsyncSession, cache: Cache, posts: Sequence[CaptionedPost]
) -> dict[int, list[Entity]]:
    """Each post's hashtags and mentions of people who exist, as `posts.caption_entities_of` finds them."""
    keys = [_entities_key(post) for post in posts]
    stored = await cache.get_many(keys)
    found = {
        post.id: [Entity(*values) for values in value]
        for post, value in zip(posts, stored, strict=True)
        if value is not None
    }
    missing = [post for post in posts if post.id not in found]
    if not missing:
        return found
    fresh = await caption_entities_of(session, missing)
    await cache.set_many(
        {_entities_key(post): [astuple(entity) for entity in fresh[post.id]] for post in missing},
        ENTITIES_TTL_SECONDS,
    )
    return found | fresh
