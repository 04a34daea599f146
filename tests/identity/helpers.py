"""Test helpers: people who exist and are signed in, made directly in the database.

They do not go through the sign-up and sign-in routes, so a test of workspaces or the audit log does not
depend on them; the account tests exercise those routes themselves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from fastapi import FastAPI

from viewfinder.identity.models import Membership, User, UserSession, Workspace
from viewfinder.identity.permissions import Role
from viewfinder.kit.clock import utcnow
from viewfinder.kit.security import hash_password, issue_access_token

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Person:
    user_id: uuid.UUID
    email: str
    headers: dict[str, str]


async def make_person(app: FastAPI, email: str, name: str = "Test Person", *, verified: bool = True) -> Person:
    resources = app.state.resources
    now = utcnow()
    async with resources.db.unit_of_work() as session:
        user = User(
            email=email.lower(),
            name=name,
            password_hash=await hash_password(PASSWORD),
            email_verified_at=now if verified else None,
            notification_preferences={},
        )
        session.add(user)
        await session.flush()
        user_session = UserSession(
            user_id=user.id,
            user_agent="tests",
            ip="127.0.0.1",
            created_at=now,
            last_active_at=now,
            expires_at=now + timedelta(days=30),
        )
        session.add(user_session)
        await session.flush()
    token = issue_access_token(resources.settings.jwt_private_key_pem, user.id, user_session.id, timedelta(minutes=15))
    return Person(user.id, user.email, {"Authorization": f"Bearer {token}"})


async def make_workspace(app: FastAPI, owner: Person, name: str = "Acme") -> uuid.UUID:
    async with app.state.resources.db.unit_of_work() as session:
        workspace = Workspace(name=name, timezone="UTC", locale="en")
        session.add(workspace)
        await session.flush()
        session.add(Membership(workspace_id=workspace.id, user_id=owner.user_id, role=Role.OWNER))
    return workspace.id


async def add_member(app: FastAPI, workspace_id: uuid.UUID, person: Person, role: Role) -> None:
    async with app.state.resources.db.unit_of_work() as session:
        session.add(Membership(workspace_id=workspace_id, user_id=person.user_id, role=role))
