"""Accounts of the network: sign-up, sign-in sessions with rotating refresh tokens (reuse ends the session),
sign-out. Unknown logins and wrong passwords get the same answer after the same work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import Conflict, Unauthorized
from viewfinder.kit.resources import Resources
from viewfinder.kit.security import hash_password, hash_token, new_token, verify_password
from viewfinder.kit.web import current_client
from viewfinder.network.social.deps import ACCESS_TOKEN_PREFIX, REFRESH_TOKEN_PREFIX, Viewer
from viewfinder.network.social.models import NetworkPerson, NetworkSession, NetworkToken
from viewfinder.settings import Settings


class InvalidCredentials(Unauthorized):
    title = "Wrong login or password"


class InvalidRefreshToken(Unauthorized):
    title = "The refresh token is not valid"


class RefreshTokenReused(Unauthorized):
    title = "The refresh token was already used"


class EmailTaken(Conflict):
    title = "An account with this email address exists"


class UsernameTaken(Conflict):
    title = "This username is taken"


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: int


def _client_ip() -> str:
    client = current_client.get()
    return client.ip if client and client.ip else "unknown"


def email_taken() -> EmailTaken:
    message = "An account with this email address exists: sign in instead."
    return EmailTaken(message, errors=[{"field": "email", "message": message, "code": "email_taken"}])


def username_taken(username: str) -> UsernameTaken:
    message = f"The username {username} is taken: choose another."
    return UsernameTaken(message, errors=[{"field": "username", "message": message, "code": "username_taken"}])


def unique_violation(error: IntegrityError, username: str) -> Conflict:
    """Which unique index refused a row of network_people (two sign-ups racing for one name or address)."""
    return username_taken(username) if "username_key" in str(error.orig) else email_taken()


async def create_person(session: AsyncSession, *, email: str, password: str, username: str, name: str) -> NetworkPerson:
    """A new person with an email, username and password already checked by the request model."""
    taken = await session.execute(
        select(NetworkPerson.email, NetworkPerson.username_key).where(
            or_(NetworkPerson.email == email, NetworkPerson.username_key == username.lower())
        )
    )
    for taken_email, _ in taken:
        raise email_taken() if taken_email == email else username_taken(username)
    person = NetworkPerson(
        email=email,
        password_hash=await hash_password(password),
        username=username,
        username_key=username.lower(),
        name=name,
        bio="",
        is_private=False,
        followers_count=0,
        following_count=0,
    )
    session.add(person)
    try:
        await session.flush()
    except IntegrityError as error:
        # Two sign-ups at once: the unique index decides, and the loser gets the same answer.
        raise unique_violation(error, username) from None
    return person


async def sign_up(
    session: AsyncSession, resources: Resources, *, email: str, password: str, username: str, name: str
) -> NetworkPerson:
    await resources.rate_limiter.hit(resources.settings.signup_rate_limit, "network-signup", _client_ip())
    return await create_person(session, email=email, password=password, username=username, name=name)


async def sign_in(session: AsyncSession, resources: Resources, *, login: str, password: str) -> IssuedTokens:
    """Open a session for an email or a username and its password.

    Every attempt counts before the password is checked, so parallel guesses cannot outrun the limit; they
    count per person (whichever of their email or username is given) and IP, and failures also per IP,
    against one password tried on many accounts. A success clears the person's count.
    """
    limiter, settings, ip = resources.rate_limiter, resources.settings, _client_ip()
    key = login.strip().lower()
    person = await session.scalar(
        select(NetworkPerson).where(NetworkPerson.email == key)
        if "@" in key
        else select(NetworkPerson).where(NetworkPerson.username_key == key)
    )
    attempts = (settings.signin_rate_limit, "network-signin", f"person:{person.id}" if person else key, ip)
    await limiter.check(settings.signin_ip_rate_limit, "network-signin-ip", ip)
    await limiter.hit(*attempts)
    check = await verify_password(person.password_hash if person else None, password)
    if person is None or not check.valid:
        await limiter.hit(settings.signin_ip_rate_limit, "network-signin-ip", ip)
        raise InvalidCredentials("The email, username or password is wrong.")
    await limiter.reset(*attempts)
    if check.needs_rehash:
        person.password_hash = await hash_password(password)
    return await open_session(session, settings, person)


async def open_session(session: AsyncSession, settings: Settings, person: NetworkPerson) -> IssuedTokens:
    client = current_client.get()
    now = utcnow()
    network_session = NetworkSession(
        person_id=person.id,
        user_agent=client.user_agent[:512] if client else "",
        ip=client.ip[:64] if client else "",
        created_at=now,
        last_active_at=now,
        expires_at=now + timedelta(days=settings.refresh_token_days),
    )
    session.add(network_session)
    await session.flush()
    return await _issue_tokens(session, settings, network_session.id)


async def _issue_tokens(session: AsyncSession, settings: Settings, session_id: int) -> IssuedTokens:
    access_token, refresh_token = new_token(ACCESS_TOKEN_PREFIX), new_token(REFRESH_TOKEN_PREFIX)
    ttl = timedelta(minutes=settings.access_token_minutes)
    now = utcnow()
    session.add(
        NetworkToken(
            session_id=session_id,
            access_hash=hash_token(access_token),
            refresh_hash=hash_token(refresh_token),
            access_expires_at=now + ttl,
            created_at=now,
        )
    )
    await session.flush()
    return IssuedTokens(access_token, refresh_token, int(ttl.total_seconds()), session_id)


async def refresh(session: AsyncSession, settings: Settings, refresh_token: str) -> IssuedTokens:
    """Exchange a refresh token for a new pair. A token already exchanged means two parties hold it (one of
    them a thief): the whole session ends, and `RefreshTokenReused` is raised after the revocation is
    written, so the caller must let the unit of work commit."""
    row = (
        await session.execute(
            select(NetworkToken, NetworkSession)
            .join(NetworkSession, NetworkSession.id == NetworkToken.session_id)
            .where(NetworkToken.refresh_hash == hash_token(refresh_token))
        )
    ).one_or_none()
    now = utcnow()
    if row is None or row[1].revoked_at is not None or row[1].expires_at <= now:
        raise InvalidRefreshToken("The refresh token is not valid or this session has ended: sign in again.")
    token, network_session = row
    # One conditional update, so of two requests racing with one token exactly one rotates it.
    rotated = await session.scalar(
        update(NetworkToken)
        .where(NetworkToken.id == token.id, NetworkToken.rotated_at.is_(None))
        .values(rotated_at=now)
        .returning(NetworkToken.id)
    )
    if rotated is None:
        network_session.revoked_at = now
        network_session.revoked_reason = "refresh_token_reused"
        raise RefreshTokenReused("This refresh token was already used, so the session was ended: sign in again.")
    network_session.last_active_at = now
    # Sliding expiry: a session lasts refresh_token_days from its last use.
    network_session.expires_at = now + timedelta(days=settings.refresh_token_days)
    return await _issue_tokens(session, settings, network_session.id)


async def sign_out(session: AsyncSession, viewer: Viewer) -> None:
    await session.execute(
        update(NetworkSession)
        .where(NetworkSession.id == viewer.session_id, NetworkSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason="signed_out")
    )
