"""Reading notifications: the recipient's list, newest first, keyset-paginated by id; the unread count; marking
them read.

A page costs a fixed number of queries whatever it holds: the page with its actors (joined), then the comments'
texts and the posts' first images, each in one batched query. The list comes from
`ix_network_notifications_recipient_id_id`, the unread count from `ix_network_notifications_recipient_id_read_at`.
Notifications from people the recipient has blocked are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput
from viewfinder.kit.pagination import PageParams, paginate
from viewfinder.network.social.ids import parse_id
from viewfinder.network.social.models import (
    NetworkBlock,
    NetworkComment,
    NetworkNotification,
    NetworkPerson,
    NetworkPostMedia,
)
from viewfinder.network.social.service.posts import scoped

# Each list's cursors carry its name, so a cursor of another list is refused, not misread.
NOTIFICATIONS_CURSOR = "notifications."
EXCERPT_LENGTH = 100


@dataclass(frozen=True)
class NotificationEntry:
    notification: NetworkNotification
    thumbnail_key: str | None
    comment_excerpt: str | None


def _mine(recipient: NetworkPerson) -> list[ColumnElement[bool]]:
    blocked = select(NetworkBlock.blocked_id).where(NetworkBlock.blocker_id == recipient.id)
    return [NetworkNotification.recipient_id == recipient.id, NetworkNotification.actor_id.not_in(blocked)]


def excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


async def list_notifications(
    session: AsyncSession, recipient: NetworkPerson, params: PageParams
) -> tuple[list[NotificationEntry], str | None]:
    statement = select(NetworkNotification).options(joinedload(NetworkNotification.actor)).where(*_mine(recipient))
    rows, next_cursor = await paginate(
        session, statement, [NetworkNotification.id], scoped(params, NOTIFICATIONS_CURSOR)
    )
    texts: dict[int, str] = {}
    thumbnails: dict[int, str] = {}
    if rows:
        # Run whenever there are rows, so that a page's number of queries does not depend on what it holds.
        comment_ids = [row.comment_id for row in rows if row.comment_id is not None]
        post_ids = [row.post_id for row in rows if row.post_id is not None]
        texts = dict(
            (
                await session.execute(
                    select(NetworkComment.id, NetworkComment.text).where(NetworkComment.id.in_(comment_ids))
                )
            ).all()
        )
        thumbnails = dict(
            (
                await session.execute(
                    select(NetworkPostMedia.post_id, NetworkPostMedia.thumbnail_key).where(
                        NetworkPostMedia.post_id.in_(post_ids), NetworkPostMedia.position == 0
                    )
                )
            ).all()
        )
    entries = [
        NotificationEntry(
            notification=row,
            thumbnail_key=thumbnails.get(row.post_id) if row.post_id is not None else None,
            comment_excerpt=excerpt(texts[row.comment_id]) if row.comment_id in texts else None,
        )
        for row in rows
    ]
    return entries, NOTIFICATIONS_CURSOR + next_cursor if next_cursor else None


async def unread_count(session: AsyncSession, recipient: NetworkPerson) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(NetworkNotification)
        .where(*_mine(recipient), NetworkNotification.read_at.is_(None))
    )
    return int(count or 0)


async def mark_read(session: AsyncSession, recipient: NetworkPerson, before: str | None) -> None:
    """Mark the recipient's notifications read: all of them, or those up to and including `before`."""
    conditions = [NetworkNotification.recipient_id == recipient.id, NetworkNotification.read_at.is_(None)]
    if before is not None:
        number = parse_id(before)
        if number is None:
            message = "Pass the id of one of your notifications."
            raise InvalidInput(message, errors=[{"field": "before", "message": message, "code": "invalid"}])
        conditions.append(NetworkNotification.id <= number)
    await session.execute(
        update(NetworkNotification)
        .where(*conditions)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
