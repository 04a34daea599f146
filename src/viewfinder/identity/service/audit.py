"""The audit log: append-only entries chained by hash, one chain per workspace and one outside them.

Every state change in every domain calls `record` in the same unit of work as the change, so an entry
exists exactly when the change does.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.identity.models import AuditChainHead, AuditEntry
from viewfinder.kit.clock import utcnow
from viewfinder.kit.web import current_client

GENESIS_HASH = "0" * 64
GLOBAL_CHAIN = "global"


def chain_of(workspace_id: uuid.UUID | None) -> str:
    return str(workspace_id) if workspace_id else GLOBAL_CHAIN


def entry_hash(entry: AuditEntry) -> str:
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
    # Locking the head row makes concurrent appends to one chain wait their turn (PostgreSQL); SQLite has
    # one writer at a time anyway.
    head = await session.scalar(select(AuditChainHead).where(AuditChainHead.chain == chain).with_for_update())
    if head is None:
        head = AuditChainHead(chain=chain, seq=0, hash=GENESIS_HASH)
        session.add(head)
    client = current_client.get()
    entry = AuditEntry(
        chain=chain,
        seq=head.seq + 1,
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
        previous_hash=head.hash,
    )
    entry.hash = entry_hash(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.add(entry)
    await session.flush()
    return entry


@dataclass(frozen=True)
class ChainStatus:
    chain: str
    entries: int
    valid: bool
    first_broken_seq: int | None = None
    reason: str | None = None


async def verify_chain(session: AsyncSession, workspace_id: uuid.UUID | None) -> ChainStatus:
    """Walk a chain from the start; report the first entry that is missing, altered or out of place."""
    chain = chain_of(workspace_id)
    statement = select(AuditEntry).where(AuditEntry.chain == chain).order_by(AuditEntry.seq)
    previous_hash, expected_seq, count = GENESIS_HASH, 1, 0
    for entry in await session.scalars(statement.execution_options(yield_per=500)):
        count += 1
        if entry.seq != expected_seq:
            return ChainStatus(chain, count, False, expected_seq, "an entry is missing")
        if entry.previous_hash != previous_hash:
            return ChainStatus(chain, count, False, entry.seq, "the link to the previous entry is broken")
        if entry_hash(entry) != entry.hash:
            return ChainStatus(chain, count, False, entry.seq, "the entry was altered")
        previous_hash, expected_seq = entry.hash, expected_seq + 1
    head = await session.get(AuditChainHead, chain)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != previous_hash):
        return ChainStatus(chain, count, False, expected_seq, "entries at the end of the chain were removed")
    return ChainStatus(chain, count, True)
