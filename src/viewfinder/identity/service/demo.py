"""The demo: a person and a workspace to look around with. Later capabilities add their demo data here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.identity.models import Membership, User, Workspace
from viewfinder.identity.service import accounts, workspaces
from viewfinder.kit.security import hash_password, new_token

DEMO_EMAIL = "demo@example.com"
DEMO_WORKSPACE = "Demo workspace"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    workspace_id: str


async def set_up_demo(session: AsyncSession) -> DemoLogin:
    """Create the demo user and workspace, or give the existing demo user a fresh password."""
    password = new_token(nbytes=12)
    user = await session.scalar(select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        user = await accounts.create_account(session, email=DEMO_EMAIL, password=password, name="Demo", verified=True)
    else:
        user.password_hash = await hash_password(password)
    workspace = await session.scalar(
        select(Workspace).join(Membership).where(Membership.user_id == user.id, Workspace.name == DEMO_WORKSPACE)
    )
    if workspace is None:
        workspace = await workspaces.create_workspace(session, user, name=DEMO_WORKSPACE, timezone="UTC", locale="en")
    return DemoLogin(DEMO_EMAIL, password, str(workspace.id))
