"""User tags: people tagged on a post's photos (at a point of an image) or on a reel, as Instagram's `user_tags`.

Tags are given when a post is created, checked before anything is written (at most 20, each person once, a
point inside the image), and written in its transaction: a tagged person is told, and the post shows on their
profile's "Tagged" grid. Nobody can tag a person who blocked them, or whom they blocked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.errors import InvalidInput
from viewfinder.network.social.models import MediaType, NetworkPerson, NetworkUserTag
from viewfinder.network.social.service.people import Summary, summary_columns, summary_of, unblocked

MAX_USER_TAGS = 20
FIELD = "user_tags"


class UserTagInput(BaseModel):
    """One tag as a client sends it."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=30)
    x: float | None = Field(default=None, ge=0, le=1, description="From the left edge, 0 to 1 (images only)")
    y: float | None = Field(default=None, ge=0, le=1, description="From the top edge, 0 to 1 (images only)")
    media: int = Field(default=0, ge=0, description="The position of the carousel's image (0 for the first)")


_TAGS = TypeAdapter(list[UserTagInput])


@dataclass(frozen=True)
class TaggedPerson:
    person: Summary
    media_position: int
    x: float | None
    y: float | None


def parse_user_tags(raw: str | None, media_types: Sequence[MediaType]) -> list[UserTagInput]:
    """The tags of a form field (a JSON array), checked against the post's media; nothing is looked up yet."""
    if raw is None or not raw.strip():
        return []
    try:
        tags = _TAGS.validate_python(orjson.loads(raw))
    except (orjson.JSONDecodeError, ValidationError):
        raise InvalidInput.on(
            FIELD, 'Send the tags as a JSON array: [{"username": "ada", "x": 0.5, "y": 0.4}]'
        ) from None
    if len(tags) > MAX_USER_TAGS:
        raise InvalidInput.on(FIELD, f"A post can tag at most {MAX_USER_TAGS} people.")
    seen: set[str] = set()
    for tag in tags:
        key = tag.username.removeprefix("@").lower()
        if key in seen:
            raise InvalidInput.on(FIELD, f"@{key} is tagged twice: tag each person once.")
        seen.add(key)
        if tag.media >= len(media_types):
            raise InvalidInput.on(
                FIELD, f"@{key} is tagged on image {tag.media + 1}, but the post has {len(media_types)}."
            )
        on_image = media_types[tag.media] == MediaType.IMAGE
        if on_image and (tag.x is None or tag.y is None):
            raise InvalidInput.on(FIELD, f"Say where @{key} is on the image: x and y, from 0 to 1.")
        if not on_image and (tag.x is not None or tag.y is not None):
            raise InvalidInput.on(FIELD, f"@{key} is tagged on a video, which has no points: leave x and y out.")
    return tags


async def tag_people(session: AsyncSession, post_id: int, author_id: int, tags: Sequence[UserTagInput]) -> list[int]:
    """Write the tags of a new post; answer the tagged people's ids (to notify). An unknown username, or a
    person with a block either way, is refused (the transaction is then rolled back with the post)."""
    if not tags:
        return []
    wanted = {tag.username.removeprefix("@").lower(): tag for tag in tags}
    rows = await session.execute(
        select(NetworkPerson.username_key, NetworkPerson.id).where(
            NetworkPerson.username_key.in_(list(wanted)), unblocked(author_id, NetworkPerson.id)
        )
    )
    found: dict[str, int] = dict(rows.all())
    for key in wanted:
        if key not in found:
            raise InvalidInput.on(FIELD, f"No account called @{key} can be tagged.")
    await session.execute(
        insert(NetworkUserTag),
        [
            {"post_id": post_id, "person_id": found[key], "media_position": tag.media, "x": tag.x, "y": tag.y}
            for key, tag in wanted.items()
        ],
    )
    return [found[key] for key in wanted]


async def user_tags_of(session: AsyncSession, post_ids: Sequence[int]) -> dict[int, list[TaggedPerson]]:
    """Each post's tags with the tagged people, in image order: one query."""
    if not post_ids:
        return {}
    tag = NetworkUserTag
    rows = await session.execute(
        select(tag.post_id, tag.media_position, tag.x, tag.y, *summary_columns(NetworkPerson))
        .join(NetworkPerson, NetworkPerson.id == tag.person_id)
        .where(tag.post_id.in_(list(post_ids)))
        .order_by(tag.post_id, tag.media_position, NetworkPerson.username_key)
    )
    found: dict[int, list[TaggedPerson]] = defaultdict(list)
    for row in rows:
        found[row.post_id].append(TaggedPerson(summary_of(row), row.media_position, row.x, row.y))
    return found
