"""Request and response models of the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from viewfinder.identity.service.audit import AuditRecord


class AuditActor(BaseModel):
    """Who acted. For an erased person, the name and email are the pseudonym their user row now holds;
    both are null when the user row no longer exists."""

    id: uuid.UUID
    name: str | None = None
    email: str | None = None


class AuditEntryOut(BaseModel):
    id: uuid.UUID
    seq: int
    time: datetime
    actor: AuditActor | None  # null for changes made by the system itself
    action: str
    target_type: str
    target_id: str | None
    summary: str
    details: dict[str, Any]
    ip: str | None
    user_agent: str | None

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEntryOut:
        entry, user = record.entry, record.actor
        actor = None
        if entry.actor_id is not None:
            actor = AuditActor(id=entry.actor_id, name=user.name if user else None, email=user.email if user else None)
        return cls(
            id=entry.id,
            seq=entry.seq,
            time=entry.created_at,
            actor=actor,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            summary=entry.summary,
            details=entry.details,
            ip=entry.ip,
            user_agent=entry.user_agent,
        )


class ChainStatusOut(BaseModel):
    """The result of walking one chain: `first_broken_seq` and `reason` say where and how it breaks."""

    model_config = ConfigDict(from_attributes=True)

    chain: str
    entries: int
    valid: bool
    first_broken_seq: int | None
    reason: str | None
