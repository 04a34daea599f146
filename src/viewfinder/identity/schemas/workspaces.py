"""Request and response models of workspaces, their members and invitations."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Literal, Self
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from viewfinder.identity import models
from viewfinder.identity.permissions import ASSIGNABLE_BY, PERMISSIONS, Permission, Role
from viewfinder.kit.clock import utcnow

Locale = Literal["en", "it"]


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    # Listing the zones reads the tz database from disk: once per process is enough.
    return frozenset(available_timezones())


def _check_time_zone(value: str) -> str:
    if value not in _time_zones():
        raise ValueError(f"{value!r} is not an IANA time zone: use a name such as Europe/Rome or America/New_York")
    return value


WorkspaceName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
TimeZone = Annotated[str, AfterValidator(_check_time_zone)]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class WorkspaceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: WorkspaceName
    timezone: TimeZone = "UTC"
    locale: Locale = "en"


class WorkspaceUpdate(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    name: WorkspaceName | None = None
    timezone: TimeZone | None = None
    locale: Locale | None = None


class Workspace(BaseModel):
    """A workspace as the caller sees it, with the caller's role in it."""

    id: uuid.UUID
    name: str
    timezone: str
    locale: str
    role: Role
    permissions: list[Permission] = Field(description="What the caller's role allows here; clients show controls by it")
    assignable_roles: list[Role] = Field(description="Roles the caller may give when inviting or changing a role")
    created_at: datetime

    @classmethod
    def of(cls, workspace: models.Workspace, role: Role) -> Self:
        return cls(
            id=workspace.id,
            name=workspace.name,
            timezone=workspace.timezone,
            locale=workspace.locale,
            role=role,
            permissions=sorted(PERMISSIONS[role]),
            assignable_roles=[r for r in Role if r in ASSIGNABLE_BY.get(role, frozenset())],
            created_at=workspace.created_at,
        )


class Member(BaseModel):
    user_id: uuid.UUID
    name: str
    email: str
    role: Role
    joined_at: datetime

    @classmethod
    def of(cls, membership: models.Membership, user: models.User) -> Self:
        return cls(
            user_id=user.id, name=user.name, email=user.email, role=membership.role, joined_at=membership.created_at
        )


class MemberUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class OwnershipTransfer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID = Field(description="The member who becomes owner; the caller becomes admin.")


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320)
    role: Role


class Invitation(BaseModel):
    """An invitation that is neither accepted nor revoked; an expired one can be resent."""

    id: uuid.UUID
    email: str
    role: Role
    status: Literal["pending", "expired"]
    invited_by_id: uuid.UUID | None
    created_at: datetime
    last_sent_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, invitation: models.Invitation) -> Self:
        return cls(
            id=invitation.id,
            email=invitation.email,
            role=invitation.role,
            status="expired" if invitation.expires_at <= utcnow() else "pending",
            invited_by_id=invitation.invited_by_id,
            created_at=invitation.created_at,
            last_sent_at=invitation.last_sent_at,
            expires_at=invitation.expires_at,
        )


class InvitationPreview(BaseModel):
    """What the page behind an invitation link shows before the person accepts."""

    workspace_name: str
    invited_by_name: str | None = Field(description="Null when the person who invited has left.")
    email: str
    role: Role
    expires_at: datetime

    @classmethod
    def of(cls, invitation: models.Invitation, workspace: models.Workspace, inviter: models.User | None) -> Self:
        return cls(
            workspace_name=workspace.name,
            invited_by_name=inviter.name if inviter is not None else None,
            email=invitation.email,
            role=invitation.role,
            expires_at=invitation.expires_at,
        )


class InvitationSignup(BaseModel):
    """A new account for the invited address; the email is the invitation's."""

    model_config = ConfigDict(extra="forbid")

    name: PersonName
    password: str = Field(max_length=1024)
