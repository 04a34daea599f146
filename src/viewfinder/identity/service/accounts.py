"""Accounts: sign-up, sign-in sessions with rotating refresh tokens, passwords, mailed one-time links, personal
API tokens, notification preferences, and erasure.

Audit entries written here go to the global chain and never carry an email or a name: the log is append-only,
so personal data put in it could not be erased later; the actor's id leads to the (pseudonymised) user row.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.identity.deps import API_TOKEN_PREFIX, Principal
from viewfinder.identity.models import (
    ApiToken,
    Invitation,
    Membership,
    OneTimePurpose,
    OneTimeToken,
    RefreshToken,
    User,
    UserSession,
    Workspace,
)
from viewfinder.identity.permissions import Role
from viewfinder.identity.service import audit, workspaces
from viewfinder.identity.service.errors import EmailTaken, LastOwner
from viewfinder.kit.clock import utcnow
from viewfinder.kit.credentials import check_new_password, normalize_email
from viewfinder.kit.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from viewfinder.kit.mail import OutboxMail, queue_mail
from viewfinder.kit.pagination import PageParams, paginate
from viewfinder.kit.resources import Resources
from viewfinder.kit.security import hash_password, hash_token, issue_access_token, new_token, verify_password
from viewfinder.kit.web import current_client
from viewfinder.settings import Settings

VERIFY_EMAIL_VALID = timedelta(hours=48)
RESET_PASSWORD_VALID = timedelta(hours=1)
RESEND_VERIFICATION_LIMIT = "3/hour"
ERASED_NAME = "Deleted user"
ERASED_DOMAIN = "erased.invalid"
API_TOKEN_DISPLAY_LENGTH = 12

# Events that may mail a person, and whether they do until the person says otherwise.
NOTIFICATION_EVENTS: dict[str, bool] = {
    "invitation_accepted": True,
    "approval_requested": True,
    "post_failed": True,
    "post_published": False,
    "channel_needs_reconnect": True,
    "weekly_report": False,
}


class InvalidCredentials(Unauthorized):
    title = "Wrong email or password"


class WrongPassword(InvalidInput):
    title = "The password is wrong"


class InvalidRefreshToken(Unauthorized):
    title = "The refresh token is not valid"


class RefreshTokenReused(Unauthorized):
    title = "The refresh token was already used"


class InvalidLink(InvalidInput):
    title = "The link is not valid"


class EmailNotVerified(Forbidden):
    title = "The email address is not verified"


class EmailAlreadyVerified(Conflict):
    title = "The email address is already verified"


class UnknownNotificationEvent(InvalidInput):
    title = "Unknown notification event"


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: uuid.UUID


@dataclass(frozen=True)
class SessionView:
    session: UserSession
    current: bool


# Creating accounts


async def create_account(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    name: str,
    verified: bool = False,
    timezone: str = "UTC",
    locale: str = "en",
    workspace_id: uuid.UUID | None = None,
) -> User:
    """A new user with a checked email and password (sign-up, an invitation's sign-up, the CLI).

    `workspace_id` puts the sign-up in that workspace's audit chain (someone joining through its invitation).
    """
    email = normalize_email(email)
    check_new_password(password, email=email)
    if await _user_by_email(session, email) is not None:
        raise _email_taken()
    now = utcnow()
    user = User(
        email=email,
        name=name,
        password_hash=await hash_password(password),
        email_verified_at=now if verified else None,
        timezone=timezone,
        locale=locale,
        notification_preferences={},
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:
        # Two sign-ups with one address at once: the unique index decides, the loser gets the same answer.
        raise _email_taken() from None
    await audit.record(
        session,
        action="user.signed_up",
        target_type="user",
        target_id=user.id,
        summary="Signed up",
        actor_id=user.id,
        workspace_id=workspace_id,
    )
    return user


def _email_taken() -> EmailTaken:
    # Saying so tells whoever asks that the address has an account; sign-up cannot be usable otherwise, and
    # the sign-up limit per IP bounds how many addresses one can probe this way (sign-in and reset never tell).
    message = "An account with this email address exists: sign in, or reset its password."
    return EmailTaken(message, errors=[{"field": "email", "message": message, "code": "email_taken"}])


async def sign_up(session: AsyncSession, resources: Resources, *, email: str, password: str, name: str) -> User:
    await resources.rate_limiter.hit(resources.settings.signup_rate_limit, "signup", _client_ip())
    user = await create_account(session, email=email, password=password, name=name)
    await _mail_verification(session, resources.settings, user)
    return user


async def _user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email, User.erased_at.is_(None)))


# Signing in and sessions


async def sign_in(session: AsyncSession, resources: Resources, *, email: str, password: str) -> IssuedTokens:
    """Open a session. Unknown emails and wrong passwords get the same answer after the same work.

    Every attempt counts before the password is checked, so parallel guesses cannot outrun the limit; a
    success clears the count, so only failures add up for a person who signs in often. Failures also count
    per IP, against one password tried on many accounts.
    """
    email = normalize_email(email)
    limiter, settings, ip = resources.rate_limiter, resources.settings, _client_ip()
    attempts = (settings.signin_rate_limit, "signin", email, ip)
    await limiter.check(settings.signin_ip_rate_limit, "signin-ip", ip)
    await limiter.hit(*attempts)
    user = await _user_by_email(session, email)
    check = await verify_password(user.password_hash if user else None, password)
    if user is None or not check.valid:
        await limiter.hit(settings.signin_ip_rate_limit, "signin-ip", ip)
        raise InvalidCredentials("The email or the password is wrong.")
    await limiter.reset(*attempts)
    if check.needs_rehash:
        user.password_hash = await hash_password(password)
    issued = await _open_session(session, resources.settings, user)
    await audit.record(
        session,
        action="user.signed_in",
        target_type="session",
        target_id=issued.session_id,
        summary="Signed in",
        actor_id=user.id,
    )
    return issued


async def _open_session(session: AsyncSession, settings: Settings, user: User) -> IssuedTokens:
    client = current_client.get()
    now = utcnow()
    user_session = UserSession(
        user_id=user.id,
        user_agent=client.user_agent[:512] if client else "",
        ip=client.ip[:64] if client else "",
        created_at=now,
        last_active_at=now,
        expires_at=now + timedelta(days=settings.refresh_token_days),
    )
    session.add(user_session)
    await session.flush()
    return await _issue_tokens(session, settings, user_session)


async def _issue_tokens(session: AsyncSession, settings: Settings, user_session: UserSession) -> IssuedTokens:
    refresh_token = new_token()
    session.add(RefreshToken(session_id=user_session.id, token_hash=hash_token(refresh_token), created_at=utcnow()))
    ttl = timedelta(minutes=settings.access_token_minutes)
    access_token = issue_access_token(settings.jwt_private_key_pem, user_session.user_id, user_session.id, ttl)
    await session.flush()
    return IssuedTokens(access_token, refresh_token, int(ttl.total_seconds()), user_session.id)


async def refresh(session: AsyncSession, settings: Settings, refresh_token: str) -> IssuedTokens:
    """Exchange a refresh token for a new pair. A token already exchanged means two parties hold it (one of
    them a thief): the whole session ends, and `RefreshTokenReused` is raised after the revocation is written,
    so the caller must let the session commit."""
    row = (
        await session.execute(
            select(RefreshToken, UserSession)
            .join(UserSession, UserSession.id == RefreshToken.session_id)
            .where(RefreshToken.token_hash == hash_token(refresh_token))
        )
    ).one_or_none()
    now = utcnow()
    if row is None or row[1].revoked_at is not None or row[1].expires_at <= now:
        raise InvalidRefreshToken("The refresh token is not valid or this session has ended: sign in again.")
    token, user_session = row
    # One conditional update, so of two requests racing with one token exactly one rotates it.
    rotated = await session.scalar(
        update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.rotated_at.is_(None))
        .values(rotated_at=now)
        .returning(RefreshToken.id)
    )
    if rotated is None:
        await _end_stolen_session(session, user_session)
        raise RefreshTokenReused("This refresh token was already used, so the session was ended: sign in again.")
    user_session.last_active_at = now
    # Sliding expiry: a session lasts refresh_token_days from its last use.
    user_session.expires_at = now + timedelta(days=settings.refresh_token_days)
    return await _issue_tokens(session, settings, user_session)


async def _end_stolen_session(session: AsyncSession, user_session: UserSession) -> None:
    user_session.revoked_at = utcnow()
    user_session.revoked_reason = "refresh_token_reused"
    await audit.record(
        session,
        action="session.reuse_detected",
        target_type="session",
        target_id=user_session.id,
        summary="A rotated refresh token was presented again: the session was ended",
        actor_id=user_session.user_id,
    )


async def sign_out(session: AsyncSession, principal: Principal) -> None:
    assert principal.session_id is not None, "account routes refuse API tokens"
    await _revoke_sessions(session, principal.user.id, "signed_out", only=principal.session_id)
    await audit.record(
        session,
        action="user.signed_out",
        target_type="session",
        target_id=principal.session_id,
        summary="Signed out",
        actor_id=principal.user.id,
    )


async def sign_out_everywhere(session: AsyncSession, user: User) -> int:
    ended = await _revoke_sessions(session, user.id, "signed_out_everywhere")
    await audit.record(
        session,
        action="user.signed_out_everywhere",
        target_type="user",
        target_id=user.id,
        summary=f"Signed out everywhere ({ended} sessions ended)",
        actor_id=user.id,
    )
    return ended


async def _revoke_sessions(
    session: AsyncSession,
    user_id: uuid.UUID,
    reason: str,
    *,
    only: uuid.UUID | None = None,
    keep: uuid.UUID | None = None,
) -> int:
    statement = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if only is not None:
        statement = statement.where(UserSession.id == only)
    if keep is not None:
        statement = statement.where(UserSession.id != keep)
    ended = await session.scalars(
        statement.values(revoked_at=utcnow(), revoked_reason=reason)
        .returning(UserSession.id)
        .execution_options(synchronize_session="fetch")
    )
    return len(ended.all())


async def list_sessions(
    session: AsyncSession, principal: Principal, params: PageParams
) -> tuple[list[SessionView], str | None]:
    statement = select(UserSession).where(
        UserSession.user_id == principal.user.id, UserSession.revoked_at.is_(None), UserSession.expires_at > utcnow()
    )
    # UUIDv7 ids sort by creation time: the newest sign-ins come first.
    rows, next_cursor = await paginate(session, statement, [UserSession.id], params)
    return [SessionView(row, row.id == principal.session_id) for row in rows], next_cursor


async def revoke_session(session: AsyncSession, user: User, session_id: uuid.UUID) -> None:
    if not await _revoke_sessions(session, user.id, "revoked", only=session_id):
        raise NotFound("No such session: it may have ended already.")
    await audit.record(
        session,
        action="session.revoked",
        target_type="session",
        target_id=session_id,
        summary="Session ended",
        actor_id=user.id,
    )


# Passwords


async def _check_current_password(resources: Resources, user: User, password: str, *, field: str) -> None:
    """Confirm a signed-in person's password; guesses count against the sign-in limit, so a stolen session
    cannot be used to find the password."""
    attempts = (resources.settings.signin_rate_limit, "signin", user.email, _client_ip())
    await resources.rate_limiter.check(*attempts)
    if not (await verify_password(user.password_hash, password)).valid:
        await resources.rate_limiter.hit(*attempts)
        message = "The password is wrong."
        raise WrongPassword(message, errors=[{"field": field, "message": message, "code": "wrong_password"}])


async def change_password(
    session: AsyncSession, resources: Resources, principal: Principal, *, current_password: str, new_password: str
) -> None:
    """Set a new password; every other session ends, in case the old password was known to someone else."""
    user = principal.user
    await _check_current_password(resources, user, current_password, field="current_password")
    check_new_password(new_password, email=user.email, field="new_password")
    user.password_hash = await hash_password(new_password)
    ended = await _revoke_sessions(session, user.id, "password_changed", keep=principal.session_id)
    await audit.record(
        session,
        action="user.password_changed",
        target_type="user",
        target_id=user.id,
        summary=f"Password changed ({ended} other sessions ended)",
        actor_id=user.id,
    )


async def request_password_reset(session: AsyncSession, resources: Resources, *, email: str) -> None:
    """Mail a reset link if the account exists; the caller answers the same either way."""
    email = normalize_email(email)
    # Per address, whoever asks: nobody can flood someone's mailbox with reset mails; and per IP, so one
    # client cannot mail many addresses.
    await resources.rate_limiter.hit(resources.settings.signup_rate_limit, "password_reset_ip", _client_ip())
    await resources.rate_limiter.hit(resources.settings.signin_rate_limit, "password_reset", email)
    user = await _user_by_email(session, email)
    if user is None:
        return
    token = await _new_one_time_token(session, user, OneTimePurpose.RESET_PASSWORD, RESET_PASSWORD_VALID)
    await queue_mail(
        session,
        to=user.email,
        template="reset_password",
        context={
            "name": user.name,
            "link": _link(resources.settings, "reset-password", token),
            "valid_minutes": int(RESET_PASSWORD_VALID.total_seconds() // 60),
        },
    )
    await audit.record(
        session,
        action="user.password_reset_requested",
        target_type="user",
        target_id=user.id,
        summary="Password reset link mailed",
        actor_id=user.id,
    )


async def reset_password(session: AsyncSession, *, token: str, new_password: str) -> None:
    """Set a new password from a mailed link; every session ends, and every other reset link dies with it."""
    used = await _use_one_time_token(session, token, OneTimePurpose.RESET_PASSWORD)
    user = await session.get(User, used.user_id)
    if user is None or user.erased_at is not None:
        raise _invalid_link()
    check_new_password(new_password, email=user.email, field="new_password")
    user.password_hash = await hash_password(new_password)
    # Opening the mailed link proved the address is theirs.
    user.email_verified_at = user.email_verified_at or utcnow()
    await session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == OneTimePurpose.RESET_PASSWORD,
            OneTimeToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    ended = await _revoke_sessions(session, user.id, "password_reset")
    # Whoever knew the old password may have made tokens with it: a reset takes those back too.
    await session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    await audit.record(
        session,
        action="user.password_reset",
        target_type="user",
        target_id=user.id,
        summary=f"Password reset from a mailed link ({ended} sessions ended)",
        actor_id=user.id,
    )


# Mailed one-time links


async def verify_email(session: AsyncSession, *, token: str) -> None:
    used = await _use_one_time_token(session, token, OneTimePurpose.VERIFY_EMAIL)
    user = await session.get(User, used.user_id)
    if user is None or user.erased_at is not None:
        raise _invalid_link()
    user.email_verified_at = user.email_verified_at or utcnow()
    await audit.record(
        session,
        action="user.email_verified",
        target_type="user",
        target_id=user.id,
        summary="Email address verified",
        actor_id=user.id,
    )


async def resend_verification(session: AsyncSession, resources: Resources, user: User) -> None:
    if user.email_verified_at is not None:
        raise EmailAlreadyVerified("Your email address is already verified.")
    # An unverified account may belong to someone else: it must not become a way to flood that inbox.
    await resources.rate_limiter.hit(RESEND_VERIFICATION_LIMIT, "verify-resend", str(user.id))
    await _mail_verification(session, resources.settings, user)


async def _mail_verification(session: AsyncSession, settings: Settings, user: User) -> None:
    token = await _new_one_time_token(session, user, OneTimePurpose.VERIFY_EMAIL, VERIFY_EMAIL_VALID)
    await queue_mail(
        session,
        to=user.email,
        template="verify_email",
        context={
            "name": user.name,
            "link": _link(settings, "verify-email", token),
            "valid_hours": int(VERIFY_EMAIL_VALID.total_seconds() // 3600),
        },
    )
    await audit.record(
        session,
        action="user.verification_mailed",
        target_type="user",
        target_id=user.id,
        summary="Email verification link mailed",
        actor_id=user.id,
    )


async def _new_one_time_token(session: AsyncSession, user: User, purpose: OneTimePurpose, valid: timedelta) -> str:
    token = new_token()
    now = utcnow()
    session.add(
        OneTimeToken(
            user_id=user.id, purpose=purpose, token_hash=hash_token(token), created_at=now, expires_at=now + valid
        )
    )
    await session.flush()
    return token


async def _use_one_time_token(session: AsyncSession, token: str, purpose: OneTimePurpose) -> OneTimeToken:
    """Spend a mailed token: one conditional update, so two requests with one link cannot both succeed."""
    now = utcnow()
    used: OneTimeToken | None = await session.scalar(
        update(OneTimeToken)
        .where(
            OneTimeToken.token_hash == hash_token(token),
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(OneTimeToken)
    )
    if used is None:
        raise _invalid_link()
    return used


def _invalid_link() -> InvalidLink:
    message = "This link is not valid: it may have expired or been used already. Ask for a new one."
    return InvalidLink(message, errors=[{"field": "token", "message": message, "code": "invalid_token"}])


def _link(settings: Settings, page: str, token: str) -> str:
    return f"{str(settings.base_url).rstrip('/')}/{page}?token={token}"


def _client_ip() -> str:
    client = current_client.get()
    return client.ip if client and client.ip else "unknown"


# Profile and preferences


async def update_profile(session: AsyncSession, user: User, changes: Mapping[str, str | None]) -> User:
    """Apply the given fields (name, timezone, locale, avatar_url), already validated by the request model."""
    changed = sorted(field for field, value in changes.items() if getattr(user, field) != value)
    for field in changed:
        setattr(user, field, changes[field])
    if changed:
        await audit.record(
            session,
            action="user.profile_updated",
            target_type="user",
            target_id=user.id,
            summary=f"Profile updated: {', '.join(changed)}",
            actor_id=user.id,
            details={"fields": changed},
        )
    return user


def notification_preferences(user: User) -> dict[str, bool]:
    """Every known event with whether it mails this person (their choice, or the event's default)."""
    chosen = user.notification_preferences or {}
    return {event: bool(chosen.get(event, default)) for event, default in NOTIFICATION_EVENTS.items()}


def wants_mail(user: User, event: str) -> bool:
    """For the capabilities that mail people: does this event mail this user?"""
    if event not in NOTIFICATION_EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    return user.erased_at is None and notification_preferences(user)[event]


async def set_notification_preferences(
    session: AsyncSession, user: User, events: Mapping[str, bool]
) -> dict[str, bool]:
    """Replace the person's choices: events left out go back to their defaults."""
    unknown = [event for event in events if event not in NOTIFICATION_EVENTS]
    if unknown:
        known = ", ".join(NOTIFICATION_EVENTS)
        raise UnknownNotificationEvent(
            f"Unknown events: {', '.join(unknown)}. Known events: {known}.",
            errors=[
                {"field": f"events.{event}", "message": f"unknown event: use one of {known}", "code": "unknown_event"}
                for event in unknown
            ],
        )
    user.notification_preferences = dict(events)
    await audit.record(
        session,
        action="user.notifications_updated",
        target_type="user",
        target_id=user.id,
        summary="Notification preferences updated",
        actor_id=user.id,
        details={"events": dict(events)},
    )
    return notification_preferences(user)


# Personal API tokens


async def create_api_token(
    session: AsyncSession,
    user: User,
    *,
    name: str,
    scopes: Sequence[str],
    expires_at: datetime | None = None,
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored or shown again."""
    if user.email_verified_at is None:
        # Until the address is proven, the account may be someone else's claim on it; a token would outlive
        # the password reset by which the real owner takes it back.
        raise EmailNotVerified("Verify your email address before creating API tokens.")
    now = utcnow()
    if expires_in_days is not None:
        expires_at = now + timedelta(days=expires_in_days)
    if expires_at is not None and expires_at <= now:
        message = "The expiry must be in the future."
        raise InvalidInput(message, errors=[{"field": "expires_at", "message": message, "code": "past"}])
    secret = new_token(API_TOKEN_PREFIX)
    api_token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        display_prefix=secret[:API_TOKEN_DISPLAY_LENGTH],
        scopes=sorted(set(scopes)),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(api_token)
    await session.flush()
    await audit.record(
        session,
        action="api_token.created",
        target_type="api_token",
        target_id=api_token.id,
        summary=f"API token created with scopes {', '.join(api_token.scopes)}",
        actor_id=user.id,
        details={"scopes": api_token.scopes, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return api_token, secret


async def list_api_tokens(session: AsyncSession, user: User, params: PageParams) -> tuple[list[ApiToken], str | None]:
    statement = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    return await paginate(session, statement, [ApiToken.id], params)


async def revoke_api_token(session: AsyncSession, user: User, token_id: uuid.UUID) -> None:
    revoked = await session.scalar(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(ApiToken.id)
    )
    if revoked is None:
        raise NotFound("No such API token.")
    await audit.record(
        session,
        action="api_token.revoked",
        target_type="api_token",
        target_id=token_id,
        summary="API token revoked",
        actor_id=user.id,
    )


# Erasure


@dataclass(frozen=True)
class _Holding:
    workspace_id: uuid.UUID
    workspace_name: str
    role: Role
    members: int


async def erase_account(session: AsyncSession, resources: Resources, principal: Principal, *, password: str) -> None:
    """Erase a person's data; audit entries keep their id, which now leads to a pseudonym.

    Workspaces they alone belong to go with them; a workspace that others share must not be left without an
    owner, so erasure waits until they hand ownership over.
    """
    user = principal.user
    await _check_current_password(resources, user, password, field="password")
    holdings = await _holdings(session, user.id)
    # Owners are read under the workspaces' owner lock, so two owners erasing at once cannot both leave.
    orphaned = [
        h
        for h in holdings
        if h.role == Role.OWNER
        and h.members > 1
        and not await workspaces.owner_ids(session, h.workspace_id) - {user.id}
    ]
    if orphaned:
        names = ", ".join(f"“{h.workspace_name}”" for h in orphaned)
        raise LastOwner(
            f"You are the last owner of {names}, which other members share: make one of them an owner first, "
            "or delete the workspace."
        )
    for holding in holdings:
        await _leave_workspace(session, user, holding)
    await _erase_user(session, user)


async def _holdings(session: AsyncSession, user_id: uuid.UUID) -> list[_Holding]:
    mine = select(Membership.workspace_id).where(Membership.user_id == user_id)
    counts = (
        select(
            Membership.workspace_id,
            func.count().label("members"),
        )
        .where(Membership.workspace_id.in_(mine))
        .group_by(Membership.workspace_id)
        .subquery()
    )
    rows = await session.execute(
        select(Workspace.id, Workspace.name, Membership.role, counts.c.members)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .join(counts, counts.c.workspace_id == Workspace.id)
        .where(Membership.user_id == user_id)
        .order_by(Workspace.name)
    )
    return [_Holding(*row) for row in rows]


async def _leave_workspace(session: AsyncSession, user: User, holding: _Holding) -> None:
    if holding.members == 1:
        await session.execute(delete(Workspace).where(Workspace.id == holding.workspace_id))
        action, summary = "workspace.deleted", "Workspace deleted with the account of its only member"
    else:
        await session.execute(
            delete(Membership).where(Membership.workspace_id == holding.workspace_id, Membership.user_id == user.id)
        )
        action, summary = "member.left", "A member left: their account was erased"
    await audit.record(
        session,
        action=action,
        target_type="workspace" if holding.members == 1 else "member",
        target_id=holding.workspace_id if holding.members == 1 else user.id,
        summary=summary,
        actor_id=user.id,
        workspace_id=holding.workspace_id,
    )


async def _erase_user(session: AsyncSession, user: User) -> None:
    now = utcnow()
    pseudonym = f"erased-{user.id}@{ERASED_DOMAIN}"
    # Everything that holds their address, devices or IPs goes; the audit log keeps only their id.
    await session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    await session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    await session.execute(delete(OneTimeToken).where(OneTimeToken.user_id == user.id))
    await session.execute(delete(OutboxMail).where(OutboxMail.to_address == user.email))
    await session.execute(update(Invitation).where(Invitation.email == user.email).values(email=pseudonym))
    user.email = pseudonym
    user.name = ERASED_NAME
    user.password_hash = None
    user.avatar_url = None
    user.email_verified_at = None
    user.notification_preferences = {}
    user.erased_at = now
    await audit.record(
        session,
        action="user.erased",
        target_type="user",
        target_id=user.id,
        summary="Account erased at its owner's request",
        actor_id=user.id,
    )
