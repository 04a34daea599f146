"""Routes of identity: accounts, sign-in sessions and their cookies, personal API tokens, preferences.

Browsers get the tokens as cookies too: the access and refresh tokens httpOnly (scripts never see them), and a
CSRF token that scripts can read and must echo in `X-CSRF-Token` on unsafe requests.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.responses import JSONResponse

from viewfinder.identity.deps import (
    SESSION_COOKIES,
    CurrentPrincipal,
    Principal,
)
from viewfinder.identity.schemas.auth import (
    Account,
    AccountDeletion,
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenInfo,
    Credentials,
    EmailVerification,
    NotificationPreferences,
    PasswordChange,
    PasswordForgot,
    PasswordReset,
    ProfileUpdate,
    RefreshRequest,
    SessionInfo,
    SignUp,
    TokenPair,
)
from viewfinder.identity.service import accounts
from viewfinder.kit.errors import Forbidden
from viewfinder.kit.pagination import Page, PageParams, page_params
from viewfinder.kit.web import DbSession, ResourcesDep
from viewfinder.settings import Settings

router = APIRouter(prefix="/auth", tags=["auth"])


def _signed_in(principal: CurrentPrincipal) -> Principal:
    """The account's own settings need a signed-in person: an API token, however scoped, could otherwise mint
    itself wider tokens, change the password or erase the account."""
    if principal.token_scopes is not None:
        raise Forbidden("API tokens cannot manage the account: sign in to do this.")
    return principal


SignedIn = Annotated[Principal, Depends(_signed_in)]
Pages = Annotated[PageParams, Depends(page_params)]


# Cookies


def _set_session_cookies(response: Response, settings: Settings, tokens: accounts.IssuedTokens) -> None:
    SESSION_COOKIES.set(
        response,
        settings,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )


def _pair(tokens: accounts.IssuedTokens) -> TokenPair:
    return TokenPair(access_token=tokens.access_token, refresh_token=tokens.refresh_token, expires_in=tokens.expires_in)


# Sign-up, sign-in, sessions


@router.post("/signup", status_code=status.HTTP_201_CREATED)
async def sign_up(body: SignUp, session: DbSession, resources: ResourcesDep) -> Account:
    """Create an account and mail a link that verifies its email address."""
    user = await accounts.sign_up(session, resources, email=body.email, password=body.password, name=body.name)
    return Account.model_validate(user)


@router.post("/login")
async def login(body: Credentials, response: Response, session: DbSession, resources: ResourcesDep) -> TokenPair:
    """Sign in: answers the tokens, and sets them as cookies for browsers."""
    tokens = await accounts.sign_in(session, resources, email=body.email, password=body.password)
    _set_session_cookies(response, resources.settings, tokens)
    return _pair(tokens)


@router.post("/refresh", response_model=TokenPair)
async def refresh(
    request: Request,
    response: Response,
    session: DbSession,
    resources: ResourcesDep,
    body: RefreshRequest | None = None,
) -> TokenPair | JSONResponse:
    """Exchange a refresh token (in the body, or the cookie with the CSRF header) for a new pair."""
    token, from_cookie = SESSION_COOKIES.presented_refresh_token(request, body.refresh_token if body else None)
    try:
        tokens = await accounts.refresh(session, resources.settings, token)
    except (accounts.RefreshTokenReused, accounts.InvalidRefreshToken) as error:
        return SESSION_COOKIES.ended(request, error, resources.settings)
    if from_cookie:
        _set_session_cookies(response, resources.settings, tokens)
    return _pair(tokens)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(principal: SignedIn, response: Response, session: DbSession, resources: ResourcesDep) -> None:
    """End this session."""
    await accounts.sign_out(session, principal)
    SESSION_COOKIES.clear(response, resources.settings)


@router.post("/logout-all", status_code=status.HTTP_204_NO_CONTENT)
async def logout_everywhere(
    principal: SignedIn, response: Response, session: DbSession, resources: ResourcesDep
) -> None:
    """End every session of the account, this one included."""
    await accounts.sign_out_everywhere(session, principal.user)
    SESSION_COOKIES.clear(response, resources.settings)


@router.get("/sessions")
async def list_sessions(principal: SignedIn, session: DbSession, params: Pages) -> Page[SessionInfo]:
    views, next_cursor = await accounts.list_sessions(session, principal, params)
    items = [
        SessionInfo(
            id=view.session.id,
            device=view.session.user_agent,
            ip=view.session.ip,
            created_at=view.session.created_at,
            last_active_at=view.session.last_active_at,
            expires_at=view.session.expires_at,
            current=view.current,
        )
        for view in views
    ]
    return Page(items=items, next_cursor=next_cursor)


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_session(session_id: uuid.UUID, principal: SignedIn, session: DbSession) -> None:
    await accounts.revoke_session(session, principal.user, session_id)


# The account


@router.get("/me")
async def me(principal: CurrentPrincipal) -> Account:
    return Account.model_validate(principal.user)


@router.patch("/me")
async def update_me(body: ProfileUpdate, principal: SignedIn, session: DbSession) -> Account:
    """Change the name, time zone (IANA), locale (en, it) or avatar URL."""
    user = await accounts.update_profile(session, principal.user, body.changes())
    return Account.model_validate(user)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
async def erase_me(
    body: AccountDeletion, principal: SignedIn, response: Response, session: DbSession, resources: ResourcesDep
) -> None:
    """Erase the account's personal data and sign out everywhere; workspaces you alone belong to go too."""
    await accounts.erase_account(session, resources, principal, password=body.password)
    SESSION_COOKIES.clear(response, resources.settings)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(
    body: PasswordChange, principal: SignedIn, session: DbSession, resources: ResourcesDep
) -> None:
    """Change the password; the account's other sessions end."""
    await accounts.change_password(
        session, resources, principal, current_password=body.current_password, new_password=body.new_password
    )


@router.post("/password/forgot", status_code=status.HTTP_202_ACCEPTED)
async def forgot_password(body: PasswordForgot, session: DbSession, resources: ResourcesDep) -> None:
    """Mail a reset link if an account has this address; the answer is the same either way."""
    await accounts.request_password_reset(session, resources, email=body.email)


@router.post("/password/reset", status_code=status.HTTP_204_NO_CONTENT)
async def reset_password(body: PasswordReset, session: DbSession) -> None:
    """Set a new password with a mailed token; every session of the account ends."""
    await accounts.reset_password(session, token=body.token, new_password=body.new_password)


@router.post("/verify-email", status_code=status.HTTP_204_NO_CONTENT)
async def verify_email(body: EmailVerification, session: DbSession) -> None:
    await accounts.verify_email(session, token=body.token)


@router.post("/verify-email/resend", status_code=status.HTTP_202_ACCEPTED)
async def resend_verification(principal: SignedIn, session: DbSession, resources: ResourcesDep) -> None:
    await accounts.resend_verification(session, resources, principal.user)


@router.get("/notifications")
async def get_notifications(principal: CurrentPrincipal) -> NotificationPreferences:
    return NotificationPreferences(events=accounts.notification_preferences(principal.user))


@router.put("/notifications")
async def set_notifications(
    body: NotificationPreferences, principal: SignedIn, session: DbSession
) -> NotificationPreferences:
    """Choose which events mail you; events left out go back to their defaults."""
    events = await accounts.set_notification_preferences(session, principal.user, body.events)
    return NotificationPreferences(events=events)


# Personal API tokens


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
async def create_token(body: ApiTokenCreate, principal: SignedIn, session: DbSession) -> ApiTokenCreated:
    """Create a token for scripts (`Authorization: Bearer …`); its secret is in this answer only."""
    api_token, secret = await accounts.create_api_token(
        session,
        principal.user,
        name=body.name,
        scopes=body.scopes,
        expires_at=body.expires_at,
        expires_in_days=body.expires_in_days,
    )
    return ApiTokenCreated(**ApiTokenInfo.model_validate(api_token).model_dump(), token=secret)


@router.get("/tokens")
async def list_tokens(principal: SignedIn, session: DbSession, params: Pages) -> Page[ApiTokenInfo]:
    tokens, next_cursor = await accounts.list_api_tokens(session, principal.user, params)
    return Page(items=[ApiTokenInfo.model_validate(token) for token in tokens], next_cursor=next_cursor)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_token(token_id: uuid.UUID, principal: SignedIn, session: DbSession) -> None:
    await accounts.revoke_api_token(session, principal.user, token_id)
