"""Who is asking, and as which member of which workspace: the dependencies every route uses.

A request is authenticated by `Authorization: Bearer` (an access token, or a personal API token) or by the
browser's cookies, which must echo the CSRF token in `X-CSRF-Token` on unsafe methods. A workspace route
resolves the caller's membership: a workspace the caller is not a member of answers 404, never 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select

from viewfinder.identity.models import ApiToken, Membership, User, UserSession, Workspace
from viewfinder.identity.permissions import Permission, Role, can, scope_allows
from viewfinder.kit.clock import utcnow
from viewfinder.kit.cookies import SessionCookies
from viewfinder.kit.errors import Forbidden, NotFound, Unauthorized
from viewfinder.kit.security import InvalidAccessToken, hash_token, read_access_token
from viewfinder.kit.web import DbSession, ResourcesDep

SESSION_COOKIES = SessionCookies(access="vf_access", refresh="vf_refresh", csrf="vf_csrf", refresh_path="/api/v1/auth")
ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE = SESSION_COOKIES.access, SESSION_COOKIES.refresh, SESSION_COOKIES.csrf
API_TOKEN_PREFIX = "vfp_"  # noqa: S105 - a prefix, not a secret
# Writing "last used" on every request would turn reads into writes; once a minute is precise enough.
LAST_USED_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """The person a request acts for; with an API token, only within the token's scopes."""

    user: User
    session_id: uuid.UUID | None = None
    token_scopes: frozenset[str] | None = None

    def allows(self, permission: Permission) -> bool:
        return self.token_scopes is None or scope_allows(self.token_scopes, permission)


@dataclass(frozen=True)
class Member:
    principal: Principal
    workspace: Workspace
    role: Role

    @property
    def user(self) -> User:
        return self.principal.user


def _bearer(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


async def _from_api_token(session: DbSession, token: str) -> Principal:
    now = utcnow()
    api_token = await session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if (
        api_token is None
        or api_token.revoked_at is not None
        or (api_token.expires_at is not None and api_token.expires_at <= now)
    ):
        raise Unauthorized("The API token is not valid: it may have expired or been revoked.")
    user = await session.get(User, api_token.user_id)
    if user is None or user.erased_at is not None:
        raise Unauthorized("The API token is not valid.")
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_GRANULARITY:
        api_token.last_used_at = now
    return Principal(user=user, token_scopes=frozenset(api_token.scopes))


async def _from_access_token(session: DbSession, resources: ResourcesDep, token: str) -> Principal:
    try:
        claims = read_access_token(resources.settings.jwt_private_key_pem, token)
    except InvalidAccessToken:
        raise Unauthorized("The access token is not valid or has expired: refresh it or sign in again.") from None
    user_session = await session.get(UserSession, claims.session_id)
    now = utcnow()
    # Signing out (here or everywhere) must end access at once, not when the token expires.
    if (
        user_session is None
        or user_session.user_id != claims.user_id
        or user_session.revoked_at is not None
        or user_session.expires_at <= now
    ):
        raise Unauthorized("This session has ended: sign in again.")
    user = await session.get(User, claims.user_id)
    if user is None or user.erased_at is not None:
        raise Unauthorized("This session has ended: sign in again.")
    if now - user_session.last_active_at > LAST_USED_GRANULARITY:
        # Committed at once, before the request's work, so that SQLite's one write lock is not held while the
        # answer is computed (the network's sessions do the same; see network.social.deps).
        user_session.last_active_at = now
        await session.commit()
    return Principal(user=user, session_id=user_session.id)


async def authenticate(request: Request, session: DbSession, resources: ResourcesDep) -> Principal:
    token = _bearer(request)
    if token is not None:
        principal = (
            await _from_api_token(session, token)
            if token.startswith(API_TOKEN_PREFIX)
            else await _from_access_token(session, resources, token)
        )
    elif ACCESS_COOKIE in request.cookies:
        SESSION_COOKIES.check_csrf(request)
        principal = await _from_access_token(session, resources, request.cookies[ACCESS_COOKIE])
    else:
        raise Unauthorized(
            "Sign in, or send an access token or API token as `Authorization: Bearer …`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    await resources.rate_limiter.hit(resources.settings.api_rate_limit, "api", str(principal.user.id))
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


async def _membership(session: DbSession, workspace_id: uuid.UUID, user_id: uuid.UUID) -> tuple[Workspace, Role]:
    row = (
        await session.execute(
            select(Workspace, Membership.role)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Workspace.id == workspace_id, Membership.user_id == user_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such workspace.")
    return row[0], row[1]


def member_with(permission: Permission) -> Callable[..., Awaitable[Member]]:
    """A dependency: the caller as a member of the path's workspace, allowed `permission`."""

    async def resolve(workspace_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession) -> Member:
        workspace, role = await _membership(session, workspace_id, principal.user.id)
        if not can(role, permission):
            raise Forbidden(f"Your role ({role.value}) does not allow this ({permission.value}).")
        if not principal.allows(permission):
            raise Forbidden(f"The API token's scopes do not include {permission.value}.")
        return Member(principal=principal, workspace=workspace, role=role)

    return resolve


def principal_with(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency for routes outside a workspace: the caller, whose API token (if any) allows `permission`."""

    async def resolve(principal: CurrentPrincipal) -> Principal:
        if not principal.allows(permission):
            raise Forbidden(f"The API token's scopes do not include {permission.value}.")
        return principal

    return resolve
