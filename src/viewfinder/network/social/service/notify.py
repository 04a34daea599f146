"""Writing notifications, in the transaction of the action that causes them (the services call these).

Nobody is notified of their own actions. Undoing an action removes its notification while it is unread (a read
one stays, as on Instagram); deleting a post or a comment removes every notification about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.clock import utcnow
from viewfinder.network.social.ids import new_id
from viewfinder.network.social.models import (
    NetworkBlock,
    NetworkComment,
    NetworkNotification,
    NetworkPerson,
    NotificationKind,
)


async def notify(
    session: AsyncSession,
    *,
    recipient_ids: Iterable[int],
    actor_id: int,
    kind: NotificationKind,
    post_id: int | None = None,
    comment_id: int | None = None,
) -> None:
    """Notify each recipient (once, never the actor) of what the actor did."""
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "recipient_id": recipient_id,
            "actor_id": actor_id,
            "kind": kind,
            "post_id": post_id,
            "comment_id": comment_id,
            "read_at": None,
            "created_at": now,
        }
        for recipient_id in dict.fromkeys(recipient_ids)
        if recipient_id != actor_id
    ]
    if rows:
        await session.execute(insert(NetworkNotification), rows)


async def mentionable(session: AsyncSession, actor_id: int, usernames: Sequence[str]) -> list[int]:
    """The people with these usernames (lowercased) who exist and have not blocked the actor, but the actor."""
    if not usernames:
        return []
    blockers = select(NetworkBlock.blocker_id).where(NetworkBlock.blocked_id == actor_id)
    return list(
        await session.scalars(
            select(NetworkPerson.id).where(
                NetworkPerson.username_key.in_(list(usernames)),
                NetworkPerson.id.not_in(blockers),
                NetworkPerson.id != actor_id,
            )
        )
    )


async def withdraw(
    session: AsyncSession,
    *,
    actor_id: int,
    kinds: Sequence[NotificationKind],
    recipient_id: int | None = None,
    post_id: int | None = None,
    comment_id: int | None = None,
) -> None:
    """Remove the unread notifications of an action the actor undid."""
    conditions: list[ColumnElement[bool]] = [
        NetworkNotification.actor_id == actor_id,
        NetworkNotification.kind.in_(list(kinds)),
        NetworkNotification.read_at.is_(None),
    ]
    if recipient_id is not None:
        conditions.append(NetworkNotification.recipient_id == recipient_id)
    if post_id is not None:
        conditions.append(NetworkNotification.post_id == post_id)
    if comment_id is not None:
        conditions.append(NetworkNotification.comment_id == comment_id)
    await session.execute(delete(NetworkNotification).where(*conditions).execution_options(synchronize_session=False))


async def forget_post(session: AsyncSession, post_id: int) -> None:
    """Every notification about the post or its comments (before they are deleted)."""
    await session.execute(
        delete(NetworkNotification)
        .where(NetworkNotification.post_id == post_id)
        .execution_options(synchronize_session=False)
    )


async def forget_comment(session: AsyncSession, comment_id: int, *, with_replies: bool) -> None:
    """Every notification about the comment (and its replies), before they are deleted."""
    about = NetworkNotification.comment_id == comment_id
    if with_replies:
        replies = select(NetworkComment.id).where(NetworkComment.parent_id == comment_id)
        about = or_(about, NetworkNotification.comment_id.in_(replies))
    await session.execute(delete(NetworkNotification).where(about).execution_options(synchronize_session=False))
