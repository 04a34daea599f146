"""Routes of identity: workspaces, members, invitations, and the public invitation links."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from viewfinder.identity.deps import Member, Principal, member_with, principal_with
from viewfinder.identity.permissions import Permission, Role
from viewfinder.identity.schemas import workspaces as schemas
from viewfinder.identity.schemas.auth import Account
from viewfinder.identity.service import workspaces as service
from viewfinder.kit.pagination import Page, PageParams, page_params
from viewfinder.kit.web import DbSession, ResourcesDep, current_client

router = APIRouter()
workspaces = APIRouter(prefix="/workspaces", tags=["workspaces"])
invitations = APIRouter(prefix="/invitations", tags=["invitations"])


async def signup_rate_limit(resources: ResourcesDep) -> None:
    # The same budget as /auth/signup: an invitation link is another door to the same thing.
    client = current_client.get()
    await resources.rate_limiter.hit(resources.settings.signup_rate_limit, "signup", client.ip if client else "")


Paging = Annotated[PageParams, Depends(page_params)]
Reader = Annotated[Member, Depends(member_with(Permission.WORKSPACE_READ))]
Writer = Annotated[Member, Depends(member_with(Permission.WORKSPACE_WRITE))]
Deleter = Annotated[Member, Depends(member_with(Permission.WORKSPACE_DELETE))]
MembersReader = Annotated[Member, Depends(member_with(Permission.MEMBERS_READ))]
MembersWriter = Annotated[Member, Depends(member_with(Permission.MEMBERS_WRITE))]


def _base_url(resources: ResourcesDep) -> str:
    return str(resources.settings.base_url)


BaseUrl = Annotated[str, Depends(_base_url)]


# Workspaces


@workspaces.post("", status_code=status.HTTP_201_CREATED, response_model=schemas.Workspace)
async def create_workspace(
    body: schemas.WorkspaceCreate,
    principal: Annotated[Principal, Depends(principal_with(Permission.WORKSPACE_WRITE))],
    session: DbSession,
) -> schemas.Workspace:
    """Create a workspace; the caller becomes its owner."""
    workspace = await service.create_workspace(
        session, principal.user, name=body.name, timezone=body.timezone, locale=body.locale
    )
    return schemas.Workspace.of(workspace, Role.OWNER)


@workspaces.get("", response_model=Page[schemas.Workspace])
async def list_workspaces(
    principal: Annotated[Principal, Depends(principal_with(Permission.WORKSPACE_READ))],
    session: DbSession,
    paging: Paging,
) -> Page[schemas.Workspace]:
    """The caller's workspaces, each with the caller's role."""
    rows, cursor = await service.list_workspaces(session, principal.user, paging)
    return Page(items=[schemas.Workspace.of(w, role) for w, role in rows], next_cursor=cursor)


@workspaces.get("/{workspace_id}", response_model=schemas.Workspace)
async def get_workspace(member: Reader) -> schemas.Workspace:
    return schemas.Workspace.of(member.workspace, member.role)


@workspaces.patch("/{workspace_id}", response_model=schemas.Workspace)
async def update_workspace(body: schemas.WorkspaceUpdate, member: Writer, session: DbSession) -> schemas.Workspace:
    """Rename the workspace or set its time zone and locale; fields left out stay as they are."""
    workspace = await service.update_workspace(session, member, body.model_dump(exclude_none=True))
    return schemas.Workspace.of(workspace, member.role)


@workspaces.delete("/{workspace_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_workspace(
    member: Deleter,
    session: DbSession,
    confirm: Annotated[str, Query(description="The workspace's name, typed by the person who deletes it.")],
) -> Response:
    """Delete the workspace and everything in it (owners only)."""
    await service.delete_workspace(session, member, confirm=confirm)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Members


@workspaces.get("/{workspace_id}/members", response_model=Page[schemas.Member])
async def list_members(member: MembersReader, session: DbSession, paging: Paging) -> Page[schemas.Member]:
    rows, cursor = await service.list_members(session, member, paging)
    return Page(items=[schemas.Member.of(r.membership, r.user) for r in rows], next_cursor=cursor)


@workspaces.patch("/{workspace_id}/members/{user_id}", response_model=schemas.Member)
async def change_role(
    user_id: uuid.UUID, body: schemas.MemberUpdate, member: MembersWriter, session: DbSession
) -> schemas.Member:
    """Change a member's role; only owners make or unmake owners, and the last owner stays one."""
    row = await service.change_role(session, member, user_id, body.role)
    return schemas.Member.of(row.membership, row.user)


@workspaces.delete("/{workspace_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(user_id: uuid.UUID, member: Reader, session: DbSession) -> Response:
    """Remove a member (members:write), or leave the workspace by removing yourself."""
    await service.remove_member(session, member, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@workspaces.post("/{workspace_id}/ownership", response_model=schemas.Workspace)
async def transfer_ownership(
    body: schemas.OwnershipTransfer, member: MembersWriter, session: DbSession
) -> schemas.Workspace:
    """Make another member owner; the caller, an owner, becomes admin (the answer shows the new role)."""
    membership = await service.transfer_ownership(session, member, body.user_id)
    return schemas.Workspace.of(member.workspace, membership.role)


# Invitations, managed inside the workspace


@workspaces.post("/{workspace_id}/invitations", status_code=status.HTTP_201_CREATED, response_model=schemas.Invitation)
async def invite(
    body: schemas.InvitationCreate, member: MembersWriter, session: DbSession, base_url: BaseUrl
) -> schemas.Invitation:
    """Invite an address with a role and mail it a link valid 7 days; an open invitation to it is replaced."""
    invitation = await service.invite(session, member, email=body.email, role=body.role, base_url=base_url)
    return schemas.Invitation.of(invitation)


@workspaces.get("/{workspace_id}/invitations", response_model=Page[schemas.Invitation])
async def list_invitations(member: MembersReader, session: DbSession, paging: Paging) -> Page[schemas.Invitation]:
    """Invitations neither accepted nor revoked, newest first."""
    rows, cursor = await service.list_invitations(session, member, paging)
    return Page(items=[schemas.Invitation.of(i) for i in rows], next_cursor=cursor)


@workspaces.post("/{workspace_id}/invitations/{invitation_id}/resend", response_model=schemas.Invitation)
async def resend_invitation(
    invitation_id: uuid.UUID, member: MembersWriter, session: DbSession, base_url: BaseUrl
) -> schemas.Invitation:
    """Mail a new link valid 7 days; the earlier link stops working."""
    invitation = await service.resend_invitation(session, member, invitation_id, base_url=base_url)
    return schemas.Invitation.of(invitation)


@workspaces.delete("/{workspace_id}/invitations/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_invitation(invitation_id: uuid.UUID, member: MembersWriter, session: DbSession) -> Response:
    await service.revoke_invitation(session, member, invitation_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Invitation links, by token


@invitations.get("/{token}", response_model=schemas.InvitationPreview)
async def preview_invitation(token: str, session: DbSession) -> schemas.InvitationPreview:
    """What the invitation page shows; 410 when the invitation was used, revoked or has expired."""
    details = await service.invitation_details(session, token)
    return schemas.InvitationPreview.of(details.invitation, details.workspace, details.inviter)


@invitations.post("/{token}/accept", response_model=schemas.Workspace)
async def accept_invitation(
    token: str,
    principal: Annotated[Principal, Depends(principal_with(Permission.MEMBERS_WRITE))],
    session: DbSession,
) -> schemas.Workspace:
    """Join the workspace as the signed-in person, whose email must be the invited one."""
    workspace, role = await service.accept_invitation(session, principal, token)
    return schemas.Workspace.of(workspace, role)


@invitations.post(
    "/{token}/signup",
    status_code=status.HTTP_201_CREATED,
    response_model=Account,
    dependencies=[Depends(signup_rate_limit)],
)
async def sign_up_by_invitation(token: str, body: schemas.InvitationSignup, session: DbSession) -> Account:
    """Create an account for the invited address and join; then sign in through /auth/login."""
    user = await service.sign_up_by_invitation(session, token, name=body.name, password=body.password)
    return Account.model_validate(user)


router.include_router(workspaces)
router.include_router(invitations)
