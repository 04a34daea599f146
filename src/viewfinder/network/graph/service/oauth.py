"""The OAuth server, Instagram Login's flavour: the authorisation request and the consent's one-use codes, the
short-lived tokens they buy, their exchange for long-lived tokens and refresh, and the apps a person revokes."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import AppError, Forbidden, NotFound
from viewfinder.kit.security import hash_token
from viewfinder.network.graph import nodes
from viewfinder.network.graph.models import NetworkApp, NetworkAuthorizationCode, NetworkGraphToken
from viewfinder.network.graph.service.apps import authenticated_app
from viewfinder.network.graph.service.tokens import LONG_LIVED, SCOPES, IssuedToken, mint_token
from viewfinder.network.social.ids import new_id, parse_id
from viewfinder.network.social.models import AccountType, NetworkPerson

BASIC_SCOPE = "instagram_business_basic"
CODE_LIFETIME = timedelta(hours=1)
SHORT_LIVED = timedelta(hours=1)
# Instagram refreshes a long-lived token only once it is a day old, so a client cannot refresh in a loop.
REFRESHABLE_AFTER = timedelta(hours=24)
CODE_PREFIX = "AQ"  # Instagram's codes start so; clients only ever pass them back
# Instagram appends `#_` to the redirect, and clients that read the whole address send it back with the code.
CODE_SUFFIX = "#_"
_SCOPE_SEPARATORS = re.compile(r"[,\s]+")


class OAuthRequestRefused(AppError):
    """An authorisation request that cannot be answered at its redirect URI (an unknown app, an address the app
    did not register): OAuth never redirects to an address it cannot trust."""

    status, type, title = 400, "oauth-request-refused", "The authorisation request is not valid"


class TokenRequestRefused(Exception):
    """A refused `POST /oauth/access_token`, answered in api.instagram.com's own shape for that endpoint."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"error_type": "OAuthException", "code": 400, "error_message": self.message}


@dataclass(frozen=True)
class AuthorizeRequest:
    app: NetworkApp
    redirect_uri: str
    scopes: list[str]
    state: str | None


class AnswerAtRedirect(Exception):
    """A request refused at the app's own (registered) address, with OAuth's error parameters."""

    def __init__(self, redirect_to: str) -> None:
        super().__init__(redirect_to)
        self.redirect_to = redirect_to


@dataclass(frozen=True)
class ConnectedApp:
    id: int
    name: str
    scopes: list[str]
    since: datetime


def redirect_with(uri: str, params: Mapping[str, str], fragment: str = "") -> str:
    """The registered address with the parameters added to its own query (it may have one)."""
    parts = urlsplit(uri)
    query = "&".join(part for part in (parts.query, urlencode(params)) if part)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, fragment))


def _error_redirect(uri: str, state: str | None, error: str, reason: str, description: str) -> str:
    params = {"error": error, "error_reason": reason, "error_description": description}
    return redirect_with(uri, {**params, **({"state": state} if state else {})})


async def _app(session: AsyncSession, client_id: str) -> NetworkApp | None:
    number = parse_id(client_id.strip())
    return await session.get(NetworkApp, number) if number is not None else None


async def check_authorize_request(
    session: AsyncSession,
    *,
    client_id: str | None,
    redirect_uri: str | None,
    scope: str | None,
    response_type: str | None,
    state: str | None,
) -> AuthorizeRequest:
    """The request, once its app and redirect are known to match exactly; a bad scope or response type is
    answered at the redirect (AnswerAtRedirect), as Instagram does once it can trust the address."""
    if not client_id:
        raise OAuthRequestRefused("Give the app's id as client_id.")
    app = await _app(session, client_id)
    if app is None:
        raise OAuthRequestRefused(f"Invalid platform app: no app has the client_id {client_id[:40]}.")
    if not redirect_uri or redirect_uri not in app.redirect_uris:
        raise OAuthRequestRefused(
            "Invalid redirect_uri: it must be exactly one of the app's registered redirect URIs "
            "(mind a trailing slash)."
        )
    state = state or None
    if response_type != "code":
        raise AnswerAtRedirect(
            _error_redirect(
                redirect_uri, state, "unsupported_response_type", "unsupported_response_type", "Set response_type=code"
            )
        )
    wanted = [name for name in _SCOPE_SEPARATORS.split(scope or "") if name]
    unknown = [name for name in wanted if name not in SCOPES]
    if unknown or BASIC_SCOPE not in wanted:
        description = f"Invalid Scopes: {', '.join(unknown)}" if unknown else f"{BASIC_SCOPE} is required"
        raise AnswerAtRedirect(_error_redirect(redirect_uri, state, "invalid_scope", "invalid_scope", description))
    return AuthorizeRequest(app=app, redirect_uri=redirect_uri, scopes=list(dict.fromkeys(wanted)), state=state)


async def decide(session: AsyncSession, person: NetworkPerson, request: AuthorizeRequest, *, allow: bool) -> str:
    """Where the person's browser goes next: back to the app with a code (allowed) or with access_denied."""
    if not allow:
        return _error_redirect(
            request.redirect_uri, request.state, "access_denied", "user_denied", "The user denied your request"
        )
    if person.account_type == AccountType.PERSONAL:
        raise Forbidden(
            f"@{person.username} is a personal account: only business and creator accounts can let apps in. "
            "Switch the account type in Settings › Edit profile, then allow again."
        )
    plain = CODE_PREFIX + secrets.token_urlsafe(96)
    now = utcnow()
    session.add(
        NetworkAuthorizationCode(
            id=new_id(),
            code_hash=hash_token(plain),
            app_id=request.app.id,
            person_id=person.id,
            redirect_uri=request.redirect_uri,
            scopes=request.scopes,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
            used_at=None,
        )
    )
    await session.flush()
    params = {"code": plain, **({"state": request.state} if request.state else {})}
    return redirect_with(request.redirect_uri, params, fragment="_")


def _required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name, "").strip()
    if not value:
        raise TokenRequestRefused(f"You must provide a {name}")
    return value


async def exchange_code(session: AsyncSession, params: Mapping[str, str]) -> IssuedToken:
    """`POST /oauth/access_token`: a code, used once within its hour by the app it was made for, sent back with
    the same redirect URI, buys a short-lived token with the scopes the person allowed."""
    client_id, client_secret = _required(params, "client_id"), _required(params, "client_secret")
    grant_type, redirect_uri = _required(params, "grant_type"), _required(params, "redirect_uri")
    code = _required(params, "code").removesuffix(CODE_SUFFIX)
    if grant_type != "authorization_code":
        raise TokenRequestRefused("Invalid grant_type: use authorization_code")
    if await _app(session, client_id) is None:
        raise TokenRequestRefused("Invalid platform app")
    app = await authenticated_app(session, client_id, client_secret)
    if app is None:
        raise TokenRequestRefused("Error validating client secret.")
    grant = await session.scalar(
        select(NetworkAuthorizationCode).where(
            NetworkAuthorizationCode.code_hash == hash_token(code), NetworkAuthorizationCode.app_id == app.id
        )
    )
    if grant is None or grant.used_at is not None:
        raise TokenRequestRefused("Matching code was not found or was already used")
    now = utcnow()
    if grant.expires_at <= now:
        raise TokenRequestRefused("This authorization code has expired.")
    if grant.redirect_uri != redirect_uri:
        raise TokenRequestRefused(
            "Error validating verification code. Please make sure your redirect_uri is identical to the one you "
            "used in the OAuth dialog request"
        )
    # Marked used only where still unused: of two concurrent exchanges of one code, one gets a token.
    marked = await session.execute(
        update(NetworkAuthorizationCode)
        .where(NetworkAuthorizationCode.id == grant.id, NetworkAuthorizationCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(marked, "rowcount", 0) != 1:
        raise TokenRequestRefused("Matching code was not found or was already used")
    return await mint_token(
        session,
        app_id=app.id,
        person_id=grant.person_id,
        scopes=grant.scopes,
        lifetime=SHORT_LIVED,
        long_lived=False,
    )


def _token_answer(issued: IssuedToken) -> dict[str, Any]:
    return {"access_token": issued.access_token, "token_type": "bearer", "expires_in": issued.expires_in}


def _check_grant_type(call: nodes.Call, expected: str) -> None:
    grant_type = call.required("grant_type")
    if grant_type != expected:
        raise nodes.invalid_parameter(f'Param grant_type must be one of {{{expected}}} - got "{grant_type[:40]}"')


async def _long_lived_like(call: nodes.Call) -> IssuedToken:
    return await mint_token(
        call.session,
        app_id=call.token.app_id,
        person_id=call.token.person_id,
        scopes=call.token.scopes,
        lifetime=LONG_LIVED,
        long_lived=True,
    )


@nodes.root("access_token")
async def exchange_for_long_lived(call: nodes.Call) -> dict[str, Any]:
    """`GET /access_token?grant_type=ig_exchange_token&client_secret=…`: a short-lived token (the one calling)
    becomes a long-lived one of 60 days, for the app whose secret is given."""
    _check_grant_type(call, "ig_exchange_token")
    secret = call.required("client_secret")
    if await authenticated_app(call.session, str(call.token.app_id), secret) is None:
        raise nodes.GraphError("Error validating client secret.", 101)
    if call.token.long_lived:
        raise nodes.invalid_parameter(
            "The access token is already long-lived: refresh it with refresh_access_token and grant_type "
            "ig_refresh_token"
        )
    return _token_answer(await _long_lived_like(call))


@nodes.root("refresh_access_token")
async def refresh_long_lived(call: nodes.Call) -> dict[str, Any]:
    """`GET /refresh_access_token?grant_type=ig_refresh_token`: a long-lived token at least a day old (and still
    valid: the engine refused it otherwise) gets a fresh 60 days as a new token."""
    _check_grant_type(call, "ig_refresh_token")
    if not call.token.long_lived:
        raise nodes.invalid_parameter(
            "Only long-lived access tokens can be refreshed: exchange this one with access_token and grant_type "
            "ig_exchange_token"
        )
    if utcnow() - call.token.created_at < REFRESHABLE_AFTER:
        raise nodes.invalid_parameter("The access token can be refreshed only once it is at least 24 hours old")
    return _token_answer(await _long_lived_like(call))


def _in_scope_order(scopes: set[str]) -> list[str]:
    return [scope for scope in SCOPES if scope in scopes] + sorted(scopes - set(SCOPES))


async def connected_apps(session: AsyncSession, person: NetworkPerson) -> list[ConnectedApp]:
    """The apps holding a valid token or an unused code of the person, with every scope they hold, oldest first."""
    now = utcnow()
    tokens = await session.execute(
        select(NetworkApp, NetworkGraphToken.scopes, NetworkGraphToken.created_at)
        .join(NetworkApp, NetworkApp.id == NetworkGraphToken.app_id)
        .where(
            NetworkGraphToken.person_id == person.id,
            NetworkGraphToken.revoked_at.is_(None),
            NetworkGraphToken.expires_at > now,
        )
    )
    codes = await session.execute(
        select(NetworkApp, NetworkAuthorizationCode.scopes, NetworkAuthorizationCode.created_at)
        .join(NetworkApp, NetworkApp.id == NetworkAuthorizationCode.app_id)
        .where(
            NetworkAuthorizationCode.person_id == person.id,
            NetworkAuthorizationCode.used_at.is_(None),
            NetworkAuthorizationCode.expires_at > now,
        )
    )
    found: dict[int, tuple[NetworkApp, set[str], datetime]] = {}
    for app, scopes, created_at in [*tokens.all(), *codes.all()]:
        _, held, since = found.get(app.id, (app, set(), created_at))
        found[app.id] = (app, held | set(scopes), min(since, created_at))
    return sorted(
        (ConnectedApp(app.id, app.name, _in_scope_order(held), since) for app, held, since in found.values()),
        key=lambda connected: (connected.since, connected.id),
    )


async def revoke_app(session: AsyncSession, person: NetworkPerson, app_id: str) -> None:
    """Every token the app holds for the person stops working at once (Graph answers 190/458), and its unused
    codes can no longer be exchanged."""
    number = parse_id(app_id)
    held = [connected.id for connected in await connected_apps(session, person)]
    if number is None or number not in held:
        raise NotFound(f"No app with the id {app_id[:40]} holds access to your account.")
    now = utcnow()
    await session.execute(
        update(NetworkGraphToken)
        .where(
            NetworkGraphToken.app_id == number,
            NetworkGraphToken.person_id == person.id,
            NetworkGraphToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(NetworkAuthorizationCode)
        .where(
            NetworkAuthorizationCode.app_id == number,
            NetworkAuthorizationCode.person_id == person.id,
            NetworkAuthorizationCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
