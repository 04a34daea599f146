"""Direct messages: one-to-one threads, their messages, read marks and unread counts.

A pair of people has one thread: its `pair_key` ("<smaller id>:<larger id>") is unique, so when both start the
conversation at the same moment one insert wins and the other reads the winner's thread. Each send copies the
message's id to the thread's `last_message_id`, which orders the inbox (ids grow with time) and finds the
preview without scanning messages. A member's read mark is the id of the newest message they have seen; what
the other sent after it is unread. Sending moves the sender's own mark, so one's own messages are never unread.

A page of the inbox costs the same few queries whatever it holds: the page of threads (from the members'
`(person_id, thread_id)` index), then the members with their people, the last messages with their senders and
the unread counts, each in one batched query. Usernames are read from the people's rows every time, so a
renamed person shows under their current name.

A block either way refuses starting a thread and sending in it; the thread and its history stay readable.
Someone who is not a member of a thread is answered 404 for it, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import Forbidden, InvalidInput, NotFound
from viewfinder.kit.pagination import PageParams, paginate
from viewfinder.network.graph.service import webhooks
from viewfinder.network.social.ids import new_id, parse_id
from viewfinder.network.social.models import (
    NetworkBlock,
    NetworkMessage,
    NetworkMessageThread,
    NetworkPerson,
    NetworkThreadMember,
)
from viewfinder.network.social.service.people import insert_for
from viewfinder.network.social.service.posts import scoped

MAX_MESSAGE_LENGTH = 1000
# Each list's cursors carry its name, so a cursor of another list is refused, not misread.
THREADS_CURSOR = "threads."
MESSAGES_CURSOR = "messages."


class Blocked(Forbidden):
    type, title = "blocked", "You can't message this account"


@dataclass(frozen=True)
class ThreadView:
    """A thread as one of its members sees it."""

    thread: NetworkMessageThread
    other: NetworkPerson
    last_message: NetworkMessage | None
    unread_count: int
    seen_by_other: bool

    @property
    def updated_at(self) -> datetime:
        return self.last_message.created_at if self.last_message is not None else self.thread.created_at


def _no_such_thread() -> NotFound:
    return NotFound("No such conversation: it may not exist, or you are not in it.")


def pair_key(first_id: int, second_id: int) -> str:
    return f"{min(first_id, second_id)}:{max(first_id, second_id)}"


async def _blocked_either_way(session: AsyncSession, first_id: int, second_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    or_(
                        and_(NetworkBlock.blocker_id == first_id, NetworkBlock.blocked_id == second_id),
                        and_(NetworkBlock.blocker_id == second_id, NetworkBlock.blocked_id == first_id),
                    )
                )
            )
        )
    )


def _refuse_blocked() -> NoReturn:
    raise Blocked("You can't message this account.")


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput.on("text", "Write something: a message cannot be empty.", "empty")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidInput.on("text", f"A message has at most {MAX_MESSAGE_LENGTH:,} characters.", "too_long")
    return text


# Reading threads


async def _views(
    session: AsyncSession, viewer: NetworkPerson, threads: Sequence[NetworkMessageThread]
) -> list[ThreadView]:
    """The threads as the viewer sees them, in three queries whatever their number (none for no threads)."""
    if not threads:
        return []
    thread_ids = [thread.id for thread in threads]
    # The other members with their read marks (the viewer's is applied by the unread count's query). Marks
    # change by bulk updates: read them as they are now, not as the session last saw them.
    members = (
        await session.execute(
            select(NetworkThreadMember, NetworkPerson)
            .join(NetworkPerson, NetworkPerson.id == NetworkThreadMember.person_id)
            .where(NetworkThreadMember.thread_id.in_(thread_ids), NetworkThreadMember.person_id != viewer.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    others: dict[int, tuple[NetworkPerson, int | None]] = {
        member.thread_id: (person, member.last_read_message_id) for member, person in members
    }
    last_ids = [thread.last_message_id for thread in threads if thread.last_message_id is not None]
    last_messages = {
        message.id: message
        for message in (
            await session.scalars(
                select(NetworkMessage).options(joinedload(NetworkMessage.sender)).where(NetworkMessage.id.in_(last_ids))
            )
        ).all()
    }
    # The other's messages after the viewer's mark, counted from the (thread_id, id) index.
    counted = (
        await session.execute(
            select(NetworkMessage.thread_id, func.count())
            .join(
                NetworkThreadMember,
                and_(
                    NetworkThreadMember.thread_id == NetworkMessage.thread_id,
                    NetworkThreadMember.person_id == viewer.id,
                ),
            )
            .where(
                NetworkMessage.thread_id.in_(thread_ids),
                NetworkMessage.sender_id != viewer.id,
                NetworkMessage.id > func.coalesce(NetworkThreadMember.last_read_message_id, 0),
            )
            .group_by(NetworkMessage.thread_id)
        )
    ).all()
    unread: dict[int, int] = dict(counted)
    views = []
    for thread in threads:
        if thread.id not in others:
            continue  # the other person's account is gone (members cascade with people)
        other, other_mark = others[thread.id]
        last = last_messages.get(thread.last_message_id) if thread.last_message_id is not None else None
        seen = last is not None and last.sender_id == viewer.id and other_mark is not None and other_mark >= last.id
        views.append(
            ThreadView(
                thread=thread,
                other=other,
                last_message=last,
                unread_count=int(unread.get(thread.id, 0)),
                seen_by_other=seen,
            )
        )
    return views


async def _member_thread(session: AsyncSession, viewer: NetworkPerson, thread_id: str) -> NetworkMessageThread:
    number = parse_id(thread_id)
    if number is None:
        raise _no_such_thread()
    thread = await session.scalar(
        select(NetworkMessageThread)
        .join(
            NetworkThreadMember,
            and_(NetworkThreadMember.thread_id == NetworkMessageThread.id, NetworkThreadMember.person_id == viewer.id),
        )
        .where(NetworkMessageThread.id == number)
        .execution_options(populate_existing=True)
    )
    if thread is None:
        raise _no_such_thread()
    return thread


async def _view(session: AsyncSession, viewer: NetworkPerson, thread: NetworkMessageThread) -> ThreadView:
    views = await _views(session, viewer, [thread])
    if not views:
        raise _no_such_thread()
    return views[0]


async def get_thread(session: AsyncSession, viewer: NetworkPerson, thread_id: str) -> ThreadView:
    return await _view(session, viewer, await _member_thread(session, viewer, thread_id))


async def list_threads(
    session: AsyncSession, viewer: NetworkPerson, params: PageParams
) -> tuple[list[ThreadView], str | None]:
    """The viewer's threads that have a message, most recent activity first."""
    statement = (
        select(NetworkMessageThread)
        .join(
            NetworkThreadMember,
            and_(NetworkThreadMember.thread_id == NetworkMessageThread.id, NetworkThreadMember.person_id == viewer.id),
        )
        .where(NetworkMessageThread.last_message_id.is_not(None))
        .execution_options(populate_existing=True)
    )
    threads, next_cursor = await paginate(
        session, statement, [NetworkMessageThread.last_message_id], scoped(params, THREADS_CURSOR)
    )
    views = await _views(session, viewer, threads)
    return views, THREADS_CURSOR + next_cursor if next_cursor else None


async def unread_count(session: AsyncSession, viewer: NetworkPerson) -> int:
    """How many of the viewer's threads hold messages from the other person that the viewer has not read."""
    mark = func.coalesce(NetworkThreadMember.last_read_message_id, 0)
    unread_message = exists().where(
        NetworkMessage.thread_id == NetworkThreadMember.thread_id,
        NetworkMessage.sender_id != viewer.id,
        NetworkMessage.id > mark,
    )
    count = await session.scalar(
        select(func.count())
        .select_from(NetworkThreadMember)
        .join(NetworkMessageThread, NetworkMessageThread.id == NetworkThreadMember.thread_id)
        # The thread's last message id settles most threads without looking at their messages.
        .where(NetworkThreadMember.person_id == viewer.id, NetworkMessageThread.last_message_id > mark, unread_message)
    )
    return int(count or 0)


# Writing


async def open_thread(session: AsyncSession, viewer: NetworkPerson, username: str) -> ThreadView:
    """The viewer's thread with the person of this username, begun if there is none yet."""
    person = await session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == username.lower()))
    if person is None:
        raise NotFound("No such person: the username may have changed, or the account is not available.")
    if person.id == viewer.id:
        raise InvalidInput.on("username", "You cannot message yourself.", "self")
    if await _blocked_either_way(session, viewer.id, person.id):
        _refuse_blocked()
    key = pair_key(viewer.id, person.id)
    thread = await session.scalar(select(NetworkMessageThread).where(NetworkMessageThread.pair_key == key))
    if thread is None:
        # A concurrent begin of the same pair makes this insert wait for it, then do nothing: read its thread.
        thread_id = await session.scalar(
            insert_for(session)(NetworkMessageThread)
            .values(id=new_id(), pair_key=key, created_at=utcnow(), last_message_id=None)
            .on_conflict_do_nothing(index_elements=["pair_key"])
            .returning(NetworkMessageThread.id)
        )
        if thread_id is not None:
            session.add_all(
                [
                    NetworkThreadMember(thread_id=thread_id, person_id=viewer.id),
                    NetworkThreadMember(thread_id=thread_id, person_id=person.id),
                ]
            )
            await session.flush()
        thread = await session.scalar(select(NetworkMessageThread).where(NetworkMessageThread.pair_key == key))
        if thread is None:  # pragma: no cover - the row was either inserted here or committed by the other
            raise _no_such_thread()
    return await _view(session, viewer, thread)


async def _other_member(session: AsyncSession, viewer: NetworkPerson, thread_id: int) -> int:
    other_id = await session.scalar(
        select(NetworkThreadMember.person_id).where(
            NetworkThreadMember.thread_id == thread_id, NetworkThreadMember.person_id != viewer.id
        )
    )
    if other_id is None:  # the other person's account is gone (members cascade with people)
        raise _no_such_thread()
    return other_id


async def _move_read_mark(session: AsyncSession, thread_id: int, person_id: int, message_id: int) -> None:
    # Only forward: a late request never unreads what a newer one marked read.
    await session.execute(
        update(NetworkThreadMember)
        .where(
            NetworkThreadMember.thread_id == thread_id,
            NetworkThreadMember.person_id == person_id,
            or_(
                NetworkThreadMember.last_read_message_id.is_(None),
                NetworkThreadMember.last_read_message_id < message_id,
            ),
        )
        .values(last_read_message_id=message_id)
        .execution_options(synchronize_session=False)
    )


async def send_message(session: AsyncSession, viewer: NetworkPerson, thread_id: str, text: str) -> NetworkMessage:
    """Send a message in one of the viewer's threads; it also marks the thread read for the viewer."""
    thread = await _member_thread(session, viewer, thread_id)
    text = _text(text)
    recipient_id = await _other_member(session, viewer, thread.id)
    if await _blocked_either_way(session, viewer.id, recipient_id):
        _refuse_blocked()
    message = NetworkMessage(id=new_id(), thread_id=thread.id, sender_id=viewer.id, text=text, created_at=utcnow())
    session.add(message)
    await session.flush()
    # Ids of two processes may arrive out of order: the thread keeps the newest.
    await session.execute(
        update(NetworkMessageThread)
        .where(
            NetworkMessageThread.id == thread.id,
            or_(NetworkMessageThread.last_message_id.is_(None), NetworkMessageThread.last_message_id < message.id),
        )
        .values(last_message_id=message.id)
        .execution_options(synchronize_session=False)
    )
    await _move_read_mark(session, thread.id, viewer.id, message.id)
    await webhooks.message_sent(session, message, recipient_id)
    return message


async def mark_read(session: AsyncSession, viewer: NetworkPerson, thread_id: str) -> ThreadView:
    """Move the viewer's read mark to the thread's newest message."""
    thread = await _member_thread(session, viewer, thread_id)
    if thread.last_message_id is not None:
        await _move_read_mark(session, thread.id, viewer.id, thread.last_message_id)
    return await _view(session, viewer, thread)


async def list_messages(
    session: AsyncSession, viewer: NetworkPerson, thread_id: str, params: PageParams
) -> tuple[list[NetworkMessage], str | None]:
    """A thread's messages, newest first, each with its sender."""
    thread = await _member_thread(session, viewer, thread_id)
    statement = (
        select(NetworkMessage).options(joinedload(NetworkMessage.sender)).where(NetworkMessage.thread_id == thread.id)
    )
    messages, next_cursor = await paginate(session, statement, [NetworkMessage.id], scoped(params, MESSAGES_CURSOR))
    return messages, MESSAGES_CURSOR + next_cursor if next_cursor else None
