"""The audit log: append-only entries chained by hash, one chain per workspace and one outside them.

Every state change in every domain calls `record` in the same unit of work as the change, so an entry
exists exactly when the change does. Reading the log (listing, exporting, verifying) is not itself recorded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import Select, func, select, union, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.identity.models import AuditChainHead, AuditEntry, User
from viewfinder.kit.clock import utcnow
from viewfinder.kit.db import Database
from viewfinder.kit.pagination import PageParams, paginate
from viewfinder.kit.web import current_client

GENESIS_HASH = "0" * 64
GLOBAL_CHAIN = "global"
# Verifying and exporting read a chain in batches, so a long log never sits in memory at once.
BATCH_SIZE = 500
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def chain_of(workspace_id: uuid.UUID | None) -> str:
    return str(workspace_id) if workspace_id else GLOBAL_CHAIN


class HashedContent(Protocol):
    """What an entry's hash covers: an `AuditEntry`, or a row of its columns."""

    @property
    def chain(self) -> str: ...
    @property
    def seq(self) -> int: ...
    @property
    def workspace_id(self) -> uuid.UUID | None: ...
    @property
    def actor_id(self) -> uuid.UUID | None: ...
    @property
    def action(self) -> str: ...
    @property
    def target_type(self) -> str: ...
    @property
    def target_id(self) -> str | None: ...
    @property
    def summary(self) -> str: ...
    @property
    def details(self) -> dict[str, Any]: ...
    @property
    def ip(self) -> str | None: ...
    @property
    def user_agent(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def previous_hash(self) -> str: ...


def entry_hash(entry: HashedContent) -> str:
    """The hash of an entry's content and the hash before it: changing either changes it."""
    content = {
        "chain": entry.chain,
        "seq": entry.seq,
        "workspace_id": str(entry.workspace_id) if entry.workspace_id else None,
        "actor_id": str(entry.actor_id) if entry.actor_id else None,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "summary": entry.summary,
        "details": entry.details,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
        "created_at": entry.created_at.isoformat(),
        "previous_hash": entry.previous_hash,
    }
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


async def _create_head(session: AsyncSession, chain: str) -> None:
    # Two first appends may race to create the head: the loser's insert waits for the winner, then does nothing.
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(insert(AuditChainHead).values(chain=chain, seq=0, hash=GENESIS_HASH).on_conflict_do_nothing())


async def _take_next_seq(session: AsyncSession, chain: str) -> tuple[int, str]:
    """Advance the chain's head by one; return the new seq and the hash of the entry before it.

    Writing the head first is what serialises appends to one chain: on PostgreSQL the updated row stays
    locked until the unit of work ends, and on SQLite the update takes the database's one write lock before
    the head is read (a plain read first would let two appends see the same head).
    """
    advance = (
        update(AuditChainHead)
        .where(AuditChainHead.chain == chain)
        .values(seq=AuditChainHead.seq + 1)
        .returning(AuditChainHead.seq, AuditChainHead.hash)
        .execution_options(synchronize_session=False)
    )
    row = (await session.execute(advance)).one_or_none()
    if row is None:
        await _create_head(session, chain)
        row = (await session.execute(advance)).one()
    return row.seq, row.hash


async def record(
    session: AsyncSession,
    *,
    action: str,
    target_type: str,
    target_id: uuid.UUID | str | None,
    summary: str,
    actor_id: uuid.UUID | None,
    workspace_id: uuid.UUID | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the workspace's chain (who, what, on which target, from where)."""
    chain = chain_of(workspace_id)
    seq, previous_hash = await _take_next_seq(session, chain)
    client = current_client.get()
    entry = AuditEntry(
        chain=chain,
        seq=seq,
        workspace_id=workspace_id,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        summary=summary,
        details=dict(details or {}),
        ip=client.ip if client else None,
        user_agent=client.user_agent if client else None,
        created_at=utcnow(),
        previous_hash=previous_hash,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    await session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.chain == chain)
        .values(hash=entry.hash)
        .execution_options(synchronize_session=False)
    )
    await session.flush()
    return entry


# Reading the log


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read. `action` ending in "." is a prefix ("member." is every member action);
    `since` is inclusive and `until` exclusive, so consecutive ranges never count an entry twice."""

    actor_id: uuid.UUID | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditRecord:
    """An entry with its actor's user row: for an erased person, the row holds the pseudonym."""

    entry: AuditEntry
    actor: User | None


def _entries_of(workspace_id: uuid.UUID, filters: AuditFilter) -> Select[AuditEntry]:
    statement = select(AuditEntry).where(AuditEntry.chain == chain_of(workspace_id))
    if filters.actor_id is not None:
        statement = statement.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        statement = statement.where(
            AuditEntry.action.startswith(filters.action, autoescape=True)
            if filters.action.endswith(".")
            else AuditEntry.action == filters.action
        )
    if filters.target_type is not None:
        statement = statement.where(AuditEntry.target_type == filters.target_type)
    if filters.target_id is not None:
        statement = statement.where(AuditEntry.target_id == filters.target_id)
    if filters.since is not None:
        statement = statement.where(AuditEntry.created_at >= filters.since)
    if filters.until is not None:
        statement = statement.where(AuditEntry.created_at < filters.until)
    return statement


async def _with_actors(session: AsyncSession, entries: Sequence[AuditEntry]) -> list[AuditRecord]:
    actor_ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
    users = (await session.scalars(select(User).where(User.id.in_(actor_ids)))).all() if actor_ids else []
    by_id = {user.id: user for user in users}
    return [AuditRecord(entry, by_id.get(entry.actor_id) if entry.actor_id else None) for entry in entries]


async def list_entries(
    session: AsyncSession, workspace_id: uuid.UUID, filters: AuditFilter, params: PageParams
) -> tuple[list[AuditRecord], str | None]:
    """One page of a workspace's entries, newest first (by seq: the chain's own order)."""
    entries, next_cursor = await paginate(session, _entries_of(workspace_id, filters), [AuditEntry.seq], params)
    return await _with_actors(session, entries), next_cursor


CSV_COLUMNS = (
    "id",
    "seq",
    "time",
    "actor_id",
    "actor_name",
    "actor_email",
    "action",
    "target_type",
    "target_id",
    "summary",
    "details",
    "ip",
    "user_agent",
)


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_row(item: AuditRecord) -> list[str]:
    entry, actor = item.entry, item.actor
    values = (
        entry.id,
        entry.seq,
        entry.created_at.isoformat(),
        entry.actor_id,
        actor.name if actor else None,
        actor.email if actor else None,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.summary,
        orjson.dumps(entry.details, option=orjson.OPT_SORT_KEYS).decode(),
        entry.ip,
        entry.user_agent,
    )
    return [_csv_cell(value) for value in values]


def _csv_text(rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


async def export_csv(database: Database, workspace_id: uuid.UUID, filters: AuditFilter) -> AsyncIterator[str]:
    """Every matching entry as CSV text, newest first, a header row first.

    Streamed after the request's session has closed, so each batch opens a short session of its own; the
    log is append-only and the batches page down from the newest entry, so together they read one consistent
    list however long the client takes.
    """
    yield _csv_text([CSV_COLUMNS])
    params = PageParams(limit=BATCH_SIZE)
    while True:
        async with database.sessions() as session:
            items, cursor = await list_entries(session, workspace_id, filters, params)
        yield _csv_text(_csv_row(item) for item in items)
        if cursor is None:
            return
        params = PageParams(limit=BATCH_SIZE, cursor=cursor)


# Verifying the chains


@dataclass(frozen=True)
class ChainStatus:
    chain: str
    entries: int
    valid: bool
    first_broken_seq: int | None = None
    reason: str | None = None


_HASHED_COLUMNS = [column for column in AuditEntry.__table__.c if column.name != "id"]


async def _verify(session: AsyncSession, chain: str) -> ChainStatus:
    """Walk a chain from the start; report the first entry that is missing, altered or out of place."""
    count = await session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.chain == chain)) or 0
    previous_hash, expected_seq = GENESIS_HASH, 1
    while True:
        # Plain rows, not ORM objects: the session's identity map does not grow with the chain.
        batch = (
            await session.execute(
                select(*_HASHED_COLUMNS)
                .where(AuditEntry.chain == chain, AuditEntry.seq >= expected_seq)
                .order_by(AuditEntry.seq)
                .limit(BATCH_SIZE)
            )
        ).all()
        for entry in batch:
            if entry.seq != expected_seq:
                return ChainStatus(chain, count, False, expected_seq, "an entry is missing")
            if entry.previous_hash != previous_hash:
                return ChainStatus(chain, count, False, entry.seq, "the link to the previous entry is broken")
            if entry_hash(entry) != entry.hash:
                return ChainStatus(chain, count, False, entry.seq, "the entry was altered")
            previous_hash, expected_seq = entry.hash, expected_seq + 1
        if len(batch) < BATCH_SIZE:
            break
    head = (
        await session.execute(select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.chain == chain))
    ).one_or_none()
    if head is None and count:
        return ChainStatus(chain, count, False, expected_seq, "the chain's head record is missing")
    if head is not None and (head.seq != expected_seq - 1 or head.hash != previous_hash):
        return ChainStatus(chain, count, False, expected_seq, "entries at the end of the chain were removed")
    return ChainStatus(chain, count, True)


async def verify_chain(session: AsyncSession, workspace_id: uuid.UUID | None) -> ChainStatus:
    """Check one chain: the workspace's, or the global one for `None`."""
    return await _verify(session, chain_of(workspace_id))


async def verify_all_chains(session: AsyncSession) -> list[ChainStatus]:
    """Check every chain there is, the global one first (for `viewfinder audit verify`)."""
    chains = set((await session.scalars(union(select(AuditEntry.chain), select(AuditChainHead.chain)))).all())
    ordered = sorted(chains, key=lambda chain: (chain != GLOBAL_CHAIN, chain))
    return [await _verify(session, chain) for chain in ordered]
