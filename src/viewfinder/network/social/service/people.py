"""Profiles, follows and follow requests, blocks.

Follower and following counts live on the person row and change in the same transaction as the follow, by
increments that only run when the follow row itself changed (an insert that happened, a delete or an update
that returned a row), so they stay exact whatever runs concurrently. The two people's rows are updated in
id order, so two transactions touching the same pair can never wait on each other in a cycle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, delete, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from viewfinder.kit.pagination import PageParams, paginate
from viewfinder.network.social.ids import new_id, parse_id
from viewfinder.network.social.models import (
    AccountType,
    FollowState,
    NetworkBlock,
    NetworkFollow,
    NetworkPerson,
    NotificationKind,
)
from viewfinder.network.social.service.accounts import unique_violation, username_taken
from viewfinder.network.social.service.activity import FOLLOW, UNFOLLOW, record_follow_event
from viewfinder.network.social.service.notify import notify, withdraw

SEARCH_LIMIT = 20
_SEARCHABLE = re.compile(r"^[a-z0-9._]{1,30}$")


class PrivateAccount(Forbidden):
    type, title = "private-account", "This account is private"


class CannotFollowSelf(InvalidInput):
    title = "You cannot follow yourself"


class CannotBlockSelf(InvalidInput):
    title = "You cannot block yourself"


class BlockedByViewer(Conflict):
    title = "You blocked this person"


@dataclass(frozen=True)
class Relation:
    """How the viewer stands to a person whose profile they see."""

    followed: bool
    requested: bool
    blocked: bool


def _no_such_person() -> NotFound:
    return NotFound("No such person: the username may have changed, or the account is not available.")


def insert_for(session: AsyncSession) -> Any:
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


# Finding people


async def visible_person(session: AsyncSession, viewer: NetworkPerson | None, username: str) -> NetworkPerson:
    """The person with this username as the viewer may see them: someone who blocked the viewer is not there."""
    person = await session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == username.lower()))
    if person is None:
        raise _no_such_person()
    if viewer is not None and viewer.id != person.id and await _blocks(session, person.id, viewer.id):
        raise _no_such_person()
    return person


@dataclass(frozen=True)
class Summary:
    """A person as lists show them (the fields of `PersonSummary`), read as plain columns by the hot lists."""

    id: int
    username: str
    name: str
    avatar_url: str | None
    account_type: AccountType
    is_private: bool


def summary_columns(person: type[NetworkPerson]) -> tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]:
    """The columns of a `Summary`, to select beside others (its id as `person_id`)."""
    return (
        person.id.label("person_id"),
        person.username,
        person.name,
        person.avatar_url,
        person.account_type,
        person.is_private,
    )


def summary_of(row: Row[*tuple[Any, ...]]) -> Summary:
    return Summary(row.person_id, row.username, row.name, row.avatar_url, row.account_type, row.is_private)


def unblocked(viewer_id: int, person_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """A condition: the person (a column: an author's id, say) neither blocked the viewer nor was blocked by them."""
    blockers = select(NetworkBlock.blocker_id).where(NetworkBlock.blocked_id == viewer_id)
    blocked = select(NetworkBlock.blocked_id).where(NetworkBlock.blocker_id == viewer_id)
    return and_(person_id.not_in(blockers), person_id.not_in(blocked))


async def _blocks(session: AsyncSession, blocker_id: int, blocked_id: int) -> bool:
    return bool(
        await session.scalar(
            select(exists().where(NetworkBlock.blocker_id == blocker_id, NetworkBlock.blocked_id == blocked_id))
        )
    )


async def relation(session: AsyncSession, viewer: NetworkPerson, person: NetworkPerson) -> Relation:
    if viewer.id == person.id:
        return Relation(followed=False, requested=False, blocked=False)
    state = await session.scalar(
        select(NetworkFollow.state).where(
            NetworkFollow.follower_id == viewer.id, NetworkFollow.followee_id == person.id
        )
    )
    return Relation(
        followed=state == FollowState.ACTIVE,
        requested=state == FollowState.REQUESTED,
        blocked=await _blocks(session, viewer.id, person.id),
    )


async def search(session: AsyncSession, viewer: NetworkPerson | None, prefix: str) -> list[NetworkPerson]:
    """People whose username starts with `prefix` (any case), in username order, at most SEARCH_LIMIT."""
    key = prefix.strip().removeprefix("@").lower()
    if not _SEARCHABLE.fullmatch(key):
        return []  # no username has other characters
    # A range on the lowercased key, which its index answers; on PostgreSQL the pattern operators compare
    # bytes (the `text_pattern_ops` index), so the range is right whatever the database's collation.
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    column = NetworkPerson.username_key
    if session.get_bind().dialect.name == "postgresql":
        in_range = and_(column.op("~>=~")(key), column.op("~<~")(upper))
    else:
        in_range = and_(column >= key, column < upper)
    statement = select(NetworkPerson).where(in_range)
    if viewer is not None:
        blockers = select(NetworkBlock.blocker_id).where(NetworkBlock.blocked_id == viewer.id)
        statement = statement.where(NetworkPerson.id.not_in(blockers))
    return list(await session.scalars(statement.order_by(column).limit(SEARCH_LIMIT)))


# Profiles


async def update_profile(session: AsyncSession, person: NetworkPerson, changes: dict[str, Any]) -> NetworkPerson:
    """Apply the changes already validated by the request model; a new username must be free."""
    username = changes.get("username")
    if username is not None and username.lower() != person.username_key:
        taken = await session.scalar(
            select(exists().where(NetworkPerson.username_key == username.lower(), NetworkPerson.id != person.id))
        )
        if taken:
            raise username_taken(username)
        person.username_key = username.lower()
    went_public = person.is_private and changes.get("is_private") is False
    for field, value in changes.items():
        setattr(person, field, value)
    try:
        await session.flush()
    except IntegrityError as error:
        raise unique_violation(error, username or person.username) from None
    if went_public:
        # As on Instagram: an account that goes public accepts the requests waiting for it.
        accepted = await session.scalars(
            update(NetworkFollow)
            .where(NetworkFollow.followee_id == person.id, NetworkFollow.state == FollowState.REQUESTED)
            .values(state=FollowState.ACTIVE)
            .returning(NetworkFollow.follower_id)
            .execution_options(synchronize_session=False)
        )
        followers = sorted(accepted.all())
        if followers:
            await _count(session, [(person.id, "followers_count", len(followers))])
            await _count(session, [(follower, "following_count", 1) for follower in followers])
            await session.refresh(person)
    return person


# Counters


async def _count(session: AsyncSession, changes: Iterable[tuple[int, str, int]]) -> None:
    """Add to people's counters, in id order; a decrement never takes a counter below zero."""
    for person_id, column, delta in sorted(changes):
        counter = getattr(NetworkPerson, column)
        statement = update(NetworkPerson).where(NetworkPerson.id == person_id)
        if delta < 0:
            statement = statement.where(counter >= -delta)
        await session.execute(statement.values({column: counter + delta}).execution_options(synchronize_session=False))


def _follow_counts(follower_id: int, followee_id: int, delta: int) -> list[tuple[int, str, int]]:
    return [(followee_id, "followers_count", delta), (follower_id, "following_count", delta)]


async def followers_count(session: AsyncSession, person_id: int) -> int:
    return int(await session.scalar(select(NetworkPerson.followers_count).where(NetworkPerson.id == person_id)) or 0)


# Follows


async def follow(session: AsyncSession, viewer: NetworkPerson, username: str) -> tuple[FollowState, NetworkPerson]:
    """Follow a public account at once, or ask to follow a private one; doing it again changes nothing."""
    person = await visible_person(session, viewer, username)
    if person.id == viewer.id:
        raise CannotFollowSelf("You cannot follow yourself.")
    if await _blocks(session, viewer.id, person.id):
        raise BlockedByViewer(f"You blocked {person.username}: unblock them to follow them.")
    state = FollowState.REQUESTED if person.is_private else FollowState.ACTIVE
    inserted = await session.scalar(
        insert_for(session)(NetworkFollow)
        .values(id=new_id(), follower_id=viewer.id, followee_id=person.id, state=state, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["follower_id", "followee_id"])
        .returning(NetworkFollow.state)
    )
    if inserted is None:  # already following, or already asked
        existing = await session.scalar(
            select(NetworkFollow.state).where(
                NetworkFollow.follower_id == viewer.id, NetworkFollow.followee_id == person.id
            )
        )
        return existing or state, person
    if inserted == FollowState.ACTIVE:
        await _count(session, _follow_counts(viewer.id, person.id, 1))
        await record_follow_event(session, viewer.id, person.id, FOLLOW)
    kind = NotificationKind.FOLLOW if inserted == FollowState.ACTIVE else NotificationKind.FOLLOW_REQUEST
    await notify(session, recipient_ids=[person.id], actor_id=viewer.id, kind=kind)
    return FollowState(inserted), person


async def unfollow(session: AsyncSession, viewer: NetworkPerson, username: str) -> NetworkPerson:
    """Stop following, or take back a request; nothing to undo is not an error."""
    person = await visible_person(session, viewer, username)
    removed = await session.scalar(
        delete(NetworkFollow)
        .where(NetworkFollow.follower_id == viewer.id, NetworkFollow.followee_id == person.id)
        .returning(NetworkFollow.state)
        .execution_options(synchronize_session=False)
    )
    if removed == FollowState.ACTIVE:
        await _count(session, _follow_counts(viewer.id, person.id, -1))
        await record_follow_event(session, viewer.id, person.id, UNFOLLOW)
    if removed is not None:
        await withdraw(
            session,
            actor_id=viewer.id,
            kinds=[NotificationKind.FOLLOW, NotificationKind.FOLLOW_REQUEST],
            recipient_id=person.id,
        )
    return person


async def check_lists_visible(session: AsyncSession, viewer: NetworkPerson | None, person: NetworkPerson) -> None:
    if not person.is_private or (viewer is not None and viewer.id == person.id):
        return
    if viewer is not None:
        follows = await session.scalar(
            select(
                exists().where(
                    NetworkFollow.follower_id == viewer.id,
                    NetworkFollow.followee_id == person.id,
                    NetworkFollow.state == FollowState.ACTIVE,
                )
            )
        )
        if follows:
            return
    raise PrivateAccount(
        f"This account is private: follow {person.username} to see whom they follow and who follows them."
    )


async def list_followers(
    session: AsyncSession, viewer: NetworkPerson | None, username: str, params: PageParams
) -> tuple[list[NetworkPerson], str | None]:
    person = await visible_person(session, viewer, username)
    await check_lists_visible(session, viewer, person)
    statement = (
        select(NetworkFollow)
        .options(joinedload(NetworkFollow.follower))
        .where(NetworkFollow.followee_id == person.id, NetworkFollow.state == FollowState.ACTIVE)
    )
    rows, next_cursor = await paginate(session, statement, [NetworkFollow.id], params)
    return [row.follower for row in rows], next_cursor


async def list_following(
    session: AsyncSession, viewer: NetworkPerson | None, username: str, params: PageParams
) -> tuple[list[NetworkPerson], str | None]:
    person = await visible_person(session, viewer, username)
    await check_lists_visible(session, viewer, person)
    statement = (
        select(NetworkFollow)
        .options(joinedload(NetworkFollow.followee))
        .where(NetworkFollow.follower_id == person.id, NetworkFollow.state == FollowState.ACTIVE)
    )
    rows, next_cursor = await paginate(session, statement, [NetworkFollow.id], params)
    return [row.followee for row in rows], next_cursor


async def list_follow_requests(
    session: AsyncSession, me: NetworkPerson, params: PageParams
) -> tuple[list[NetworkFollow], str | None]:
    statement = (
        select(NetworkFollow)
        .options(joinedload(NetworkFollow.follower))
        .where(NetworkFollow.followee_id == me.id, NetworkFollow.state == FollowState.REQUESTED)
    )
    return await paginate(session, statement, [NetworkFollow.id], params)


def _no_such_request() -> NotFound:
    return NotFound("No such follow request: it may have been withdrawn or answered already.")


async def accept_follow_request(session: AsyncSession, me: NetworkPerson, request_id: str) -> None:
    number = parse_id(request_id)
    if number is None:
        raise _no_such_request()
    follower_id = await session.scalar(
        update(NetworkFollow)
        .where(
            NetworkFollow.id == number,
            NetworkFollow.followee_id == me.id,
            NetworkFollow.state == FollowState.REQUESTED,
        )
        .values(state=FollowState.ACTIVE)
        .returning(NetworkFollow.follower_id)
        .execution_options(synchronize_session=False)
    )
    if follower_id is None:
        raise _no_such_request()
    await _count(session, _follow_counts(follower_id, me.id, 1))
    await record_follow_event(session, follower_id, me.id, FOLLOW)


async def decline_follow_request(session: AsyncSession, me: NetworkPerson, request_id: str) -> None:
    number = parse_id(request_id)
    if number is None:
        raise _no_such_request()
    declined = await session.scalar(
        delete(NetworkFollow)
        .where(
            NetworkFollow.id == number,
            NetworkFollow.followee_id == me.id,
            NetworkFollow.state == FollowState.REQUESTED,
        )
        .returning(NetworkFollow.follower_id)
        .execution_options(synchronize_session=False)
    )
    if declined is None:
        raise _no_such_request()
    await withdraw(session, actor_id=declined, kinds=[NotificationKind.FOLLOW_REQUEST], recipient_id=me.id)


# Blocks


async def block(session: AsyncSession, viewer: NetworkPerson, username: str) -> None:
    """Block a person: follows both ways and requests either way end, and they can no longer see the viewer."""
    person = await visible_person(session, viewer, username)
    if person.id == viewer.id:
        raise CannotBlockSelf("You cannot block yourself.")
    await session.execute(
        insert_for(session)(NetworkBlock)
        .values(id=new_id(), blocker_id=viewer.id, blocked_id=person.id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["blocker_id", "blocked_id"])
    )
    removed = await session.execute(
        delete(NetworkFollow)
        .where(
            or_(
                and_(NetworkFollow.follower_id == viewer.id, NetworkFollow.followee_id == person.id),
                and_(NetworkFollow.follower_id == person.id, NetworkFollow.followee_id == viewer.id),
            )
        )
        .returning(NetworkFollow.follower_id, NetworkFollow.followee_id, NetworkFollow.state)
        .execution_options(synchronize_session=False)
    )
    changes = []
    for follower_id, followee_id, state in removed.all():
        if state == FollowState.ACTIVE:
            changes += _follow_counts(follower_id, followee_id, -1)
            await record_follow_event(session, follower_id, followee_id, UNFOLLOW)
    await _count(session, changes)


async def unblock(session: AsyncSession, viewer: NetworkPerson, username: str) -> None:
    person = await visible_person(session, viewer, username)
    await session.execute(
        delete(NetworkBlock)
        .where(NetworkBlock.blocker_id == viewer.id, NetworkBlock.blocked_id == person.id)
        .execution_options(synchronize_session=False)
    )
