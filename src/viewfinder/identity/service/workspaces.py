"""Workspaces, their members and invitations: who belongs where, with which role, and how people join.

Two rules hold whatever happens: a workspace always keeps an owner, and only owners make or unmake owners
(permissions.ASSIGNABLE_BY). Invitation tokens exist only in the mailed link; the database keeps their hash.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.identity.deps import Member, Principal
from viewfinder.identity.models import Invitation, Membership, User, Workspace
from viewfinder.identity.permissions import ASSIGNABLE_BY, Permission, Role, can
from viewfinder.identity.service import accounts, audit
from viewfinder.identity.service.errors import EmailTaken, LastOwner
from viewfinder.kit import mail
from viewfinder.kit.clock import utcnow
from viewfinder.kit.credentials import normalize_email
from viewfinder.kit.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound
from viewfinder.kit.pagination import PageParams, paginate
from viewfinder.kit.security import hash_token, new_token

INVITATION_TTL = timedelta(days=7)
INVITATION_MAIL = "invitation"


class RoleNotAssignable(Forbidden):
    title = "Your role cannot give or take this role"


class AlreadyMember(Conflict):
    title = "Already a member"


class InvitationRace(Conflict):
    title = "Invited at the same moment"


class AlreadyOwner(Conflict):
    title = "Already an owner"


class ConfirmationMismatch(InvalidInput):
    title = "The confirmation does not match"


class InvitationGone(AppError):
    status, type, title = 410, "invitation-gone", "The invitation can no longer be used"


class InvitationClosed(Conflict):
    title = "The invitation is closed"


class WrongInvitee(Forbidden):
    title = "The invitation is for another address"


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    user: User


@dataclass(frozen=True)
class InvitationDetails:
    invitation: Invitation
    workspace: Workspace
    inviter: User | None


# Workspaces


async def create_workspace(session: AsyncSession, user: User, *, name: str, timezone: str, locale: str) -> Workspace:
    """A new workspace whose creator is its owner."""
    workspace = Workspace(name=name, timezone=timezone, locale=locale)
    session.add(workspace)
    await session.flush()
    session.add(Membership(workspace_id=workspace.id, user_id=user.id, role=Role.OWNER))
    await audit.record(
        session,
        action="workspace.created",
        target_type="workspace",
        target_id=workspace.id,
        summary=f"Created the workspace {name!r}",
        actor_id=user.id,
        workspace_id=workspace.id,
        details={"name": name, "timezone": timezone, "locale": locale},
    )
    return workspace


async def list_workspaces(
    session: AsyncSession, user: User, params: PageParams
) -> tuple[list[tuple[Workspace, Role]], str | None]:
    """The user's workspaces in the order they joined them, each with the user's role."""
    memberships, cursor = await paginate(
        session,
        select(Membership).where(Membership.user_id == user.id),
        [Membership.created_at, Membership.id],
        params,
        descending=False,
    )
    ids = [m.workspace_id for m in memberships]
    workspaces = {w.id: w for w in await session.scalars(select(Workspace).where(Workspace.id.in_(ids)))}
    return [(workspaces[m.workspace_id], m.role) for m in memberships], cursor


async def update_workspace(session: AsyncSession, member: Member, changes: Mapping[str, str]) -> Workspace:
    """Apply the given fields (name, timezone, locale); an unchanged value is no change and leaves no entry."""
    workspace = member.workspace
    changed = {
        field: [getattr(workspace, field), value]
        for field, value in changes.items()
        if getattr(workspace, field) != value
    }
    if not changed:
        return workspace
    for field, (_old, new) in changed.items():
        setattr(workspace, field, new)
    await audit.record(
        session,
        action="workspace.updated",
        target_type="workspace",
        target_id=workspace.id,
        summary="Changed the workspace's " + ", ".join(changed),
        actor_id=member.user.id,
        workspace_id=workspace.id,
        details={"changes": changed},
    )
    await session.flush()
    return workspace


async def delete_workspace(session: AsyncSession, member: Member, *, confirm: str) -> None:
    """Delete the workspace and everything in it; the caller types its name, so a stray click cannot."""
    workspace = member.workspace
    if confirm.strip() != workspace.name:
        message = f"Type the workspace's name, {workspace.name!r}, exactly to confirm its deletion."
        raise ConfirmationMismatch(
            message, errors=[{"field": "query.confirm", "message": message, "code": "confirmation"}]
        )
    # The entry outlives the workspace: audit entries have no foreign key, and the chain stays verifiable.
    await audit.record(
        session,
        action="workspace.deleted",
        target_type="workspace",
        target_id=workspace.id,
        summary=f"Deleted the workspace {workspace.name!r}",
        actor_id=member.user.id,
        workspace_id=workspace.id,
    )
    # Memberships, invitations and every other workspace-owned row go with it (ON DELETE CASCADE).
    await session.delete(workspace)
    await session.flush()


# Members


async def list_members(session: AsyncSession, member: Member, params: PageParams) -> tuple[list[MemberRow], str | None]:
    """Members in the order they joined."""
    memberships, cursor = await paginate(
        session,
        select(Membership).where(Membership.workspace_id == member.workspace.id),
        [Membership.created_at, Membership.id],
        params,
        descending=False,
    )
    users = {u.id: u for u in await session.scalars(select(User).where(User.id.in_([m.user_id for m in memberships])))}
    return [MemberRow(m, users[m.user_id]) for m in memberships], cursor


async def change_role(session: AsyncSession, member: Member, user_id: uuid.UUID, role: Role) -> MemberRow:
    target = await _member_row(session, member.workspace.id, user_id)
    _check_assignable(member.role, target.membership.role, role)
    old = target.membership.role
    if old == role:
        return target
    if Role.OWNER in (old, role):
        # The caller's role was read before the owners' rows were locked: an owner demoted meanwhile by a
        # racing request must not still make or unmake owners.
        owners = await owner_ids(session, member.workspace.id)
        if member.user.id not in owners:
            raise RoleNotAssignable("Only an owner may make or unmake owners.")
        if old == Role.OWNER and not owners - {user_id}:
            raise LastOwner(
                "This member is the workspace's last owner: make another member owner first "
                "(POST /workspaces/{id}/ownership or a role change), then change this role."
            )
    target.membership.role = role
    await audit.record(
        session,
        action="member.role_changed",
        target_type="member",
        target_id=user_id,
        summary=f"Changed a member's role from {old.value} to {role.value}",
        actor_id=member.user.id,
        workspace_id=member.workspace.id,
        details={"from": old.value, "to": role.value},
    )
    await session.flush()
    return target


async def remove_member(session: AsyncSession, member: Member, user_id: uuid.UUID) -> None:
    """Remove a member (members:write), or leave: any member may remove themselves. Never the last owner."""
    leaving = user_id == member.user.id
    if not leaving:
        _authorize(member, Permission.MEMBERS_WRITE)
    elif not member.principal.allows(Permission.MEMBERS_WRITE):
        raise Forbidden(f"The API token's scopes do not include {Permission.MEMBERS_WRITE.value}.")
    target = await _member_row(session, member.workspace.id, user_id)
    if not leaving:
        _check_assignable(member.role, target.membership.role, target.membership.role)
    if target.membership.role == Role.OWNER:
        await _keep_an_owner(
            session,
            member.workspace.id,
            without=user_id,
            detail=(
                "You are the workspace's last owner: transfer ownership to another member first, or delete the "
                "workspace."
                if leaving
                else "This member is the workspace's last owner and cannot be removed."
            ),
        )
    await session.delete(target.membership)
    await audit.record(
        session,
        action="member.left" if leaving else "member.removed",
        target_type="member",
        target_id=user_id,
        summary="Left the workspace" if leaving else f"Removed a member ({target.membership.role.value})",
        actor_id=member.user.id,
        workspace_id=member.workspace.id,
        details={"role": target.membership.role.value},
    )
    await session.flush()


async def transfer_ownership(session: AsyncSession, member: Member, user_id: uuid.UUID) -> Membership:
    """The member `user_id` becomes owner and the caller, an owner, becomes admin; returns the caller's row."""
    if member.role != Role.OWNER:
        raise Forbidden("Only an owner can transfer ownership.")
    if user_id == member.user.id:
        raise AlreadyOwner("You already own this workspace: choose another member to transfer ownership to.")
    target = await _member_row(session, member.workspace.id, user_id)
    if target.membership.role == Role.OWNER:
        raise AlreadyOwner("This member is already an owner: to step down, change your own role to admin instead.")
    # Another owner may have demoted the caller since the request was authorised.
    if member.user.id not in await owner_ids(session, member.workspace.id):
        raise Forbidden("Only an owner can transfer ownership.")
    own = (await _member_row(session, member.workspace.id, member.user.id)).membership
    previous_role = target.membership.role
    target.membership.role = Role.OWNER
    own.role = Role.ADMIN
    await audit.record(
        session,
        action="workspace.ownership_transferred",
        target_type="member",
        target_id=user_id,
        summary=f"Transferred ownership to a member (was {previous_role.value}); the previous owner is now admin",
        actor_id=member.user.id,
        workspace_id=member.workspace.id,
        details={"from_user_id": str(member.user.id), "previous_role": previous_role.value},
    )
    await session.flush()
    return own


def _authorize(member: Member, permission: Permission) -> None:
    if not can(member.role, permission):
        raise Forbidden(f"Your role ({member.role.value}) does not allow this ({permission.value}).")
    if not member.principal.allows(permission):
        raise Forbidden(f"The API token's scopes do not include {permission.value}.")


def _check_assignable(actor_role: Role, *roles: Role) -> None:
    """The caller may move a member only between roles it may hand out: an admin neither makes nor unmakes owners."""
    allowed = ASSIGNABLE_BY.get(actor_role, frozenset())
    for role in roles:
        if role not in allowed:
            raise RoleNotAssignable(
                f"Your role ({actor_role.value}) cannot give or take the {role.value} role: ask an owner."
            )


async def _member_row(session: AsyncSession, workspace_id: uuid.UUID, user_id: uuid.UUID) -> MemberRow:
    row = (
        await session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such member in this workspace.")
    return MemberRow(row[0], row[1])


async def owner_ids(session: AsyncSession, workspace_id: uuid.UUID) -> set[uuid.UUID]:
    # Locking the owners' rows makes concurrent demotions and removals take turns (PostgreSQL re-reads a row it
    # waited for), so two owners demoting each other cannot leave the workspace with none.
    statement = (
        select(Membership.user_id)
        .where(Membership.workspace_id == workspace_id, Membership.role == Role.OWNER)
        .with_for_update()
    )
    return set(await session.scalars(statement))


async def _keep_an_owner(session: AsyncSession, workspace_id: uuid.UUID, *, without: uuid.UUID, detail: str) -> None:
    if not (await owner_ids(session, workspace_id)) - {without}:
        raise LastOwner(detail)


# Invitations


async def invite(session: AsyncSession, member: Member, *, email: str, role: Role, base_url: str) -> Invitation:
    """Invite an address with a role and mail it the link; an open invitation to the same address is replaced."""
    email = normalize_email(email)
    _check_assignable(member.role, role)
    already = await session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == member.workspace.id, User.email == email)
    )
    if already is not None:
        raise AlreadyMember(
            f"{email} is already a member of this workspace: change their role instead.",
            errors=[{"field": "email", "message": "already a member", "code": "already_member"}],
        )
    now = utcnow()
    replaced = list(
        await session.scalars(
            update(Invitation)
            .where(
                Invitation.workspace_id == member.workspace.id,
                Invitation.email == email,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .values(revoked_at=now, updated_at=now)
            .returning(Invitation.id)
            .execution_options(synchronize_session=False)
        )
    )
    token = new_token()
    invitation = Invitation(
        workspace_id=member.workspace.id,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by_id=member.user.id,
        expires_at=now + INVITATION_TTL,
        last_sent_at=now,
    )
    session.add(invitation)
    try:
        await session.flush()
    except IntegrityError:  # another invitation to this address was made at the same moment
        raise InvitationRace(
            f"{email} was invited by someone else at the same moment: look at the open invitations."
        ) from None
    await _mail_invitation(session, invitation, token, member, base_url)
    # Ids, not the address: audit entries cannot be changed, and personal data must remain erasable.
    await audit.record(
        session,
        action="invitation.created",
        target_type="invitation",
        target_id=invitation.id,
        summary=f"Invited a person as {role.value}",
        actor_id=member.user.id,
        workspace_id=member.workspace.id,
        details={"role": role.value, "replaced": [str(i) for i in replaced]},
    )
    return invitation


async def list_invitations(
    session: AsyncSession, member: Member, params: PageParams
) -> tuple[list[Invitation], str | None]:
    """Invitations neither accepted nor revoked, newest first (expired ones too, so they can be resent)."""
    statement = select(Invitation).where(
        Invitation.workspace_id == member.workspace.id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
    )
    return await paginate(session, statement, [Invitation.created_at, Invitation.id], params)


async def resend_invitation(
    session: AsyncSession, member: Member, invitation_id: uuid.UUID, *, base_url: str
) -> Invitation:
    """Mail a new link with a new expiry; the previous link stops working."""
    invitation = await _invitation_row(session, member.workspace.id, invitation_id)
    if invitation.accepted_at is not None:
        raise InvitationClosed("This invitation was already accepted: the person is a member.")
    if invitation.revoked_at is not None:
        raise InvitationClosed("This invitation was revoked: invite the person again.")
    now = utcnow()
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = now + INVITATION_TTL
    invitation.last_sent_at = now
    await session.flush()
    await _mail_invitation(session, invitation, token, member, base_url)
    await audit.record(
        session,
        action="invitation.resent",
        target_type="invitation",
        target_id=invitation.id,
        summary="Sent an invitation again with a new link",
        actor_id=member.user.id,
        workspace_id=member.workspace.id,
    )
    return invitation


async def revoke_invitation(session: AsyncSession, member: Member, invitation_id: uuid.UUID) -> None:
    """Withdraw an invitation; revoking one twice changes nothing."""
    invitation = await _invitation_row(session, member.workspace.id, invitation_id)
    if invitation.accepted_at is not None:
        raise InvitationClosed("This invitation was already accepted: remove the member instead.")
    if invitation.revoked_at is not None:
        return
    invitation.revoked_at = utcnow()
    await audit.record(
        session,
        action="invitation.revoked",
        target_type="invitation",
        target_id=invitation.id,
        summary="Revoked an invitation",
        actor_id=member.user.id,
        workspace_id=member.workspace.id,
    )
    await session.flush()


async def invitation_details(session: AsyncSession, token: str) -> InvitationDetails:
    """What an invitation link's page shows: 404 for an unknown link, 410 for one that can no longer be used."""
    invitation = await _usable_invitation(session, token)
    workspace = await session.get_one(Workspace, invitation.workspace_id)
    inviter = await session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    return InvitationDetails(invitation, workspace, inviter)


async def accept_invitation(session: AsyncSession, principal: Principal, token: str) -> tuple[Workspace, Role]:
    """The signed-in person joins, if the invitation was sent to their address."""
    invitation = await _usable_invitation(session, token)
    user = principal.user
    if invitation.email != user.email.lower():
        raise WrongInvitee(
            f"This invitation was sent to {invitation.email}, and you are signed in as {user.email}: "
            f"sign in as {invitation.email} to accept it."
        )
    existing = await session.scalar(
        select(Membership.role).where(Membership.workspace_id == invitation.workspace_id, Membership.user_id == user.id)
    )
    if existing is not None:
        raise AlreadyMember(f"You are already a member of this workspace, as {existing.value}.")
    await _join(session, invitation, user)
    return await session.get_one(Workspace, invitation.workspace_id), invitation.role


async def sign_up_by_invitation(session: AsyncSession, token: str, *, name: str, password: str) -> User:
    """A new account for the invited address, verified already (the link reached it), and its membership."""
    invitation = await _usable_invitation(session, token)
    workspace = await session.get_one(Workspace, invitation.workspace_id)
    try:
        user = await accounts.create_account(
            session,
            email=invitation.email,
            password=password,
            name=name,
            verified=True,
            # The workspace's settings are the best first guess for someone who joins it.
            timezone=workspace.timezone,
            locale=workspace.locale,
            workspace_id=invitation.workspace_id,
        )
    except EmailTaken:
        message = f"An account with {invitation.email} already exists: sign in and accept the invitation instead."
        raise EmailTaken(message, errors=[{"field": "email", "message": message, "code": "email_taken"}]) from None
    await _join(session, invitation, user)
    return user


async def _invitation_row(session: AsyncSession, workspace_id: uuid.UUID, invitation_id: uuid.UUID) -> Invitation:
    invitation = await session.scalar(
        select(Invitation).where(Invitation.id == invitation_id, Invitation.workspace_id == workspace_id)
    )
    if invitation is None:
        raise NotFound("No such invitation in this workspace.")
    return invitation


async def _usable_invitation(session: AsyncSession, token: str) -> Invitation:
    invitation = await session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None:
        raise NotFound(
            "This invitation link is not valid: check that the whole link was copied, or ask for a new invitation "
            "(sending it again replaces the earlier link)."
        )
    _check_open(invitation, utcnow())
    return invitation


def _check_open(invitation: Invitation, now: datetime) -> None:
    if invitation.accepted_at is not None:
        raise InvitationGone("This invitation was already accepted: sign in to open the workspace.")
    if invitation.revoked_at is not None:
        raise InvitationGone("This invitation was withdrawn: ask the person who invited you for a new one.")
    if invitation.expires_at <= now:
        raise InvitationGone(
            f"This invitation expired on {_format_instant(invitation.expires_at)}: "
            "ask the person who invited you to send it again."
        )


async def _join(session: AsyncSession, invitation: Invitation, user: User) -> None:
    """Use the invitation (once: a conditional update, so two accepts cannot both win) and add the member."""
    now = utcnow()
    claimed = (
        await session.scalars(
            update(Invitation)
            .where(
                Invitation.id == invitation.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .values(accepted_at=now, accepted_by_id=user.id, updated_at=now)
            .returning(Invitation)
            .execution_options(populate_existing=True)
        )
    ).one_or_none()
    if claimed is None:
        # Another request used or revoked it since we read it: say which.
        await session.refresh(invitation)
        _check_open(invitation, now)
        raise InvitationGone("This invitation can no longer be used.")
    session.add(Membership(workspace_id=invitation.workspace_id, user_id=user.id, role=invitation.role))
    await audit.record(
        session,
        action="invitation.accepted",
        target_type="invitation",
        target_id=invitation.id,
        summary=f"Joined the workspace as {invitation.role.value} through an invitation",
        actor_id=user.id,
        workspace_id=invitation.workspace_id,
        details={"user_id": str(user.id), "role": invitation.role.value},
    )


async def _mail_invitation(
    session: AsyncSession, invitation: Invitation, token: str, member: Member, base_url: str
) -> None:
    await mail.queue_mail(
        session,
        to=invitation.email,
        template=INVITATION_MAIL,
        context={
            "inviter_name": member.user.name,
            "workspace_name": member.workspace.name,
            "role": invitation.role.value,
            "link": f"{base_url.rstrip('/')}/invitations/{token}",
            "expires": _format_instant(invitation.expires_at),
        },
    )


def _format_instant(instant: datetime) -> str:
    return instant.strftime("%d %B %Y, %H:%M UTC")
