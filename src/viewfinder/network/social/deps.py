"""Who is asking the network: a person signed in with a network access token, as `Authorization: Bearer` or
as the browser's cookies (which must echo the CSRF token in `X-CSRF-Token` on unsafe methods).

The cookies and tokens are the network's own (`vfn_…`): a suite session never signs anyone in here, nor the
other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select, update

from viewfinder.kit.clock import utcnow
from viewfinder.kit.cookies import SessionCookies
from viewfinder.kit.errors import Unauthorized
from viewfinder.kit.security import hash_token
from viewfinder.kit.web import DbSession, ResourcesDep
from viewfinder.network.social.models import NetworkPerson, NetworkSession, NetworkToken

SESSION_COOKIES = SessionCookies(
    access="vfn_access", refresh="vfn_refresh", csrf="vfn_csrf", refresh_path="/network/api/v1/auth"
)
ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE = SESSION_COOKIES.access, SESSION_COOKIES.refresh, SESSION_COOKIES.csrf
ACCESS_TOKEN_PREFIX = "vfna_"  # noqa: S105 - a prefix, not a secret
REFRESH_TOKEN_PREFIX = "vfnr_"  # noqa: S105 - a prefix, not a secret
# Writing "last active" on every request would turn reads into writes; once a minute is precise enough.
LAST_ACTIVE_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class Viewer:
    person: NetworkPerson
    session_id: int


def _bearer(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


async def _from_access_token(session: DbSession, token: str) -> Viewer:
    ended = Unauthorized("The access token is not valid or has expired: refresh it or sign in again.")
    if not token.startswith(ACCESS_TOKEN_PREFIX):
        raise ended
    row = (
        await session.execute(
            select(NetworkToken.access_expires_at, NetworkSession, NetworkPerson)
            .join(NetworkSession, NetworkSession.id == NetworkToken.session_id)
            .join(NetworkPerson, NetworkPerson.id == NetworkSession.person_id)
            .where(NetworkToken.access_hash == hash_token(token))
        )
    ).one_or_none()
    now = utcnow()
    if row is None or row[0] <= now:
        raise ended
    _, network_session, person = row
    # Signing out must end access at once, not when the token expires.
    if network_session.revoked_at is not None or network_session.expires_at <= now:
        raise Unauthorized("This session has ended: sign in again.")
    if now - network_session.last_active_at > LAST_ACTIVE_GRANULARITY:
        # Committed at once, before the request's own work: left to the end, SQLite's one write lock would be
        # held while the answer is computed, and the other requests' writes would queue behind it. Nothing else
        # is pending this early, and it is the request's own connection (a second one could exhaust the pool).
        await session.execute(
            update(NetworkSession).where(NetworkSession.id == network_session.id).values(last_active_at=now)
        )
        await session.commit()
    return Viewer(person=person, session_id=network_session.id)


async def _authenticate(request: Request, session: DbSession) -> Viewer | None:
    token = _bearer(request)
    if token is None and ACCESS_COOKIE in request.cookies:
        SESSION_COOKIES.check_csrf(request)
        token = request.cookies[ACCESS_COOKIE]
    if token is None:
        return None
    return await _from_access_token(session, token)


async def optional_viewer(request: Request, session: DbSession, resources: ResourcesDep) -> Viewer | None:
    """The signed-in person, or None for an anonymous visitor (credentials that fail still answer 401)."""
    viewer = await _authenticate(request, session)
    if viewer is not None:
        await resources.rate_limiter.hit(resources.settings.api_rate_limit, "network-api", str(viewer.person.id))
    return viewer


async def current_viewer(viewer: Annotated[Viewer | None, Depends(optional_viewer)]) -> Viewer:
    if viewer is None:
        raise Unauthorized(
            "Sign in to the network, or send a network access token as `Authorization: Bearer …`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return viewer


CurrentViewer = Annotated[Viewer, Depends(current_viewer)]
OptionalViewer = Annotated[Viewer | None, Depends(optional_viewer)]
