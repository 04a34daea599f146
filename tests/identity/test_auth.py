"""Accounts through the HTTP API: sign-up and verification, sign-in, rotating refresh tokens with reuse detection,
cookies with CSRF, passwords, sessions, API tokens, notification preferences and erasure."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from tests.conftest import make_settings
from tests.identity.helpers import PASSWORD as HELPER_PASSWORD
from tests.identity.helpers import Person, add_member, make_person, make_workspace
from viewfinder.identity.deps import ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE
from viewfinder.identity.models import (
    ApiToken,
    AuditEntry,
    Membership,
    OneTimeToken,
    User,
    UserSession,
    Workspace,
)
from viewfinder.identity.permissions import Role
from viewfinder.identity.service.audit import verify_chain
from viewfinder.kit.clock import utcnow
from viewfinder.kit.cookies import CSRF_HEADER
from viewfinder.kit.mail import OutboxMail, links_in
from viewfinder.kit.security import hash_token

pytestmark = pytest.mark.anyio

PASSWORD = "a long and unusual passphrase"
NEW_PASSWORD = "another quite unusual passphrase"
AUTH = "/api/v1/auth"


# Helpers


async def _sign_up(client: httpx.AsyncClient, email: str, name: str = "Ada") -> httpx.Response:
    return await client.post(f"{AUTH}/signup", json={"email": email, "password": PASSWORD, "name": name})


async def _log_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD, **kwargs: Any) -> httpx.Response:
    return await client.post(f"{AUTH}/login", json={"email": email, "password": password}, **kwargs)


async def _tokens(client: httpx.AsyncClient, email: str, password: str = PASSWORD, **kwargs: Any) -> dict[str, Any]:
    """Sign in as an API client: the tokens, and no cookies left in the client."""
    response = await _log_in(client, email, password, **kwargs)
    assert response.status_code == 200, response.text
    client.cookies.clear()
    body: dict[str, Any] = response.json()
    return body


def _bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def _refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post(f"{AUTH}/refresh", json={"refresh_token": refresh_token})


async def _mails(app: FastAPI, to: str, template: str) -> list[OutboxMail]:
    async with app.state.resources.db.sessions() as session:
        statement = (
            select(OutboxMail)
            .where(OutboxMail.to_address == to, OutboxMail.template == template)
            .order_by(OutboxMail.created_at, OutboxMail.id)
        )
        return list(await session.scalars(statement))


async def _mailed_token(app: FastAPI, to: str, template: str, page: str) -> str:
    mails = await _mails(app, to, template)
    assert mails, f"no {template} mail to {to}"
    link = links_in(mails[-1].text_body)[0]
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"http://testserver/{page}"
    assert parts.query.startswith("token=")
    return parts.query.removeprefix("token=")


async def _user(app: FastAPI, user_id: uuid.UUID | str) -> User:
    async with app.state.resources.db.sessions() as session:
        user = await session.get(User, uuid.UUID(str(user_id)))
    assert user is not None
    return user


async def _actions(app: FastAPI, actor_id: uuid.UUID | str) -> list[str]:
    async with app.state.resources.db.sessions() as session:
        statement = select(AuditEntry.action).where(AuditEntry.actor_id == uuid.UUID(str(actor_id)))
        return list(await session.scalars(statement.order_by(AuditEntry.chain, AuditEntry.seq)))


def _problem(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body: dict[str, Any] = response.json()
    return body


def _fields(response: httpx.Response) -> list[str]:
    return [error["field"] for error in _problem(response).get("errors", [])]


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    """Each Set-Cookie header of an answer, by cookie name, lowercased for attribute checks."""
    cookies = {}
    for header in response.headers.get_list("set-cookie"):
        name = header.split("=", 1)[0]
        cookies[name] = header.lower()
    return cookies


# The whole life of an account


async def test_an_account_signs_up_verifies_signs_in_rotates_and_signs_out(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    signup = await _sign_up(client, "Ada@Example.COM")
    assert signup.status_code == 201, signup.text
    account = signup.json()
    assert account["email"] == "ada@example.com"
    assert account["name"] == "Ada"
    assert account["email_verified"] is False
    assert "password" not in signup.text
    assert "hash" not in signup.text

    # The verification link is mailed; the web app's page posts its token, once.
    token = await _mailed_token(app, "ada@example.com", "verify_email", "verify-email")
    assert (await client.post(f"{AUTH}/verify-email", json={"token": token})).status_code == 204
    again = await client.post(f"{AUTH}/verify-email", json={"token": token})
    assert again.status_code == 422
    assert _fields(again) == ["token"]

    first = await _tokens(client, "ADA@example.com")
    assert first["token_type"] == "bearer"
    assert first["expires_in"] == 15 * 60
    me = await client.get(f"{AUTH}/me", headers=_bearer(first))
    assert me.status_code == 200
    assert me.json()["email_verified"] is True
    assert me.json()["id"] == account["id"]

    # Rotation: each refresh token works once and is replaced.
    rotated = await _refresh(client, first["refresh_token"])
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get(f"{AUTH}/me", headers=_bearer(second))).status_code == 200

    # The first token, presented again (a thief's copy), ends the whole family: thief and victim alike.
    reused = await _refresh(client, first["refresh_token"])
    assert reused.status_code == 401
    assert _problem(reused)["status"] == 401
    assert (await _refresh(client, second["refresh_token"])).status_code == 401
    assert (await client.get(f"{AUTH}/me", headers=_bearer(second))).status_code == 401
    assert (await client.get(f"{AUTH}/me", headers=_bearer(first))).status_code == 401

    # Signing out ends this session only; signing out everywhere ends them all.
    laptop = await _tokens(client, "ada@example.com")
    phone = await _tokens(client, "ada@example.com")
    assert (await client.post(f"{AUTH}/logout", headers=_bearer(laptop))).status_code == 204
    assert (await client.get(f"{AUTH}/me", headers=_bearer(laptop))).status_code == 401
    assert (await _refresh(client, laptop["refresh_token"])).status_code == 401
    assert (await client.get(f"{AUTH}/me", headers=_bearer(phone))).status_code == 200
    tablet = await _tokens(client, "ada@example.com")
    assert (await client.post(f"{AUTH}/logout-all", headers=_bearer(tablet))).status_code == 204
    for pair in (phone, tablet):
        assert (await client.get(f"{AUTH}/me", headers=_bearer(pair))).status_code == 401
        assert (await _refresh(client, pair["refresh_token"])).status_code == 401

    actions = await _actions(app, account["id"])
    for action in (
        "user.signed_up",
        "user.verification_mailed",
        "user.email_verified",
        "user.signed_in",
        "session.reuse_detected",
        "user.signed_out",
        "user.signed_out_everywhere",
    ):
        assert action in actions
    async with app.state.resources.db.sessions() as session:
        assert (await verify_chain(session, None)).valid
        stolen = await session.scalar(select(UserSession).where(UserSession.revoked_reason == "refresh_token_reused"))
    assert stolen is not None


async def test_an_expired_session_cannot_be_refreshed(app: FastAPI, client: httpx.AsyncClient) -> None:
    await _sign_up(client, "ada@example.com")
    pair = await _tokens(client, "ada@example.com")
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    refused = await _refresh(client, pair["refresh_token"])
    assert refused.status_code == 401
    assert (await _refresh(client, "not-a-token")).status_code == 401
    assert (await client.post(f"{AUTH}/refresh", json={})).status_code == 401


# Cookies and CSRF


async def test_browsers_get_cookies_and_must_echo_the_csrf_token(app: FastAPI, client: httpx.AsyncClient) -> None:
    await _sign_up(client, "ada@example.com")
    login = await _log_in(client, "ada@example.com")
    assert login.status_code == 200
    cookies = _set_cookies(login)
    assert set(cookies) == {ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE}
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        assert "httponly" in cookies[name]
        assert "samesite=lax" in cookies[name]
        assert "secure" not in cookies[name]  # BASE_URL is http here
    assert "path=/api/v1/auth" in cookies[REFRESH_COOKIE]
    assert "httponly" not in cookies[CSRF_COOKIE]
    assert "path=/;" in cookies[ACCESS_COOKIE] + ";"
    csrf = client.cookies[CSRF_COOKIE]

    # Reading needs no CSRF token; changing does, and it must be the cookie's.
    assert (await client.get(f"{AUTH}/me")).status_code == 200
    missing = await client.patch(f"{AUTH}/me", json={"name": "Ada L."})
    assert missing.status_code == 403
    assert CSRF_HEADER in _problem(missing)["detail"]
    wrong = await client.patch(f"{AUTH}/me", json={"name": "Ada L."}, headers={CSRF_HEADER: "forged"})
    assert wrong.status_code == 403
    assert (await _user(app, (await client.get(f"{AUTH}/me")).json()["id"])).name == "Ada"
    ok = await client.patch(f"{AUTH}/me", json={"name": "Ada L."}, headers={CSRF_HEADER: csrf})
    assert ok.status_code == 200
    assert ok.json()["name"] == "Ada L."

    # The refresh cookie is rotated with the CSRF header, and the cookies are set again.
    old_refresh = client.cookies[REFRESH_COOKIE]
    assert (await client.post(f"{AUTH}/refresh")).status_code == 403
    refreshed = await client.post(f"{AUTH}/refresh", headers={CSRF_HEADER: csrf})
    assert refreshed.status_code == 200, refreshed.text
    assert set(_set_cookies(refreshed)) == {ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE}
    assert client.cookies[REFRESH_COOKIE] == refreshed.json()["refresh_token"] != old_refresh
    assert (await client.get(f"{AUTH}/me")).status_code == 200

    # API clients send Bearer and need no CSRF token, even with cookies around.
    bearer = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert (await client.patch(f"{AUTH}/me", json={"locale": "it"}, headers=bearer)).status_code == 200

    # Signing out clears the cookies.
    out = await client.post(f"{AUTH}/logout", headers={CSRF_HEADER: client.cookies[CSRF_COOKIE]})
    assert out.status_code == 204
    assert ACCESS_COOKIE not in client.cookies
    assert (await client.get(f"{AUTH}/me")).status_code == 401


async def test_cookies_are_secure_when_the_base_url_is_https(database_url: str, tmp_path: Path) -> None:
    from viewfinder.app import create_app

    app = create_app(make_settings(tmp_path / "data", database_url, base_url="https://vf.example"))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://vf.example") as client:
            await _sign_up(client, "ada@example.com")
            cookies = _set_cookies(await _log_in(client, "ada@example.com"))
    finally:
        await app.state.resources.aclose()
    assert set(cookies) == {ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE}
    assert all("; secure" in cookie for cookie in cookies.values())


# Bad input at sign-up and sign-in


async def test_wrong_password_and_unknown_email_get_the_same_answer(client: httpx.AsyncClient) -> None:
    await _sign_up(client, "ada@example.com")
    wrong = await _log_in(client, "ada@example.com", "not the right passphrase")
    unknown = await _log_in(client, "nobody@example.com", "not the right passphrase")
    assert wrong.status_code == unknown.status_code == 401
    assert "set-cookie" not in wrong.headers
    comparable = [{k: v for k, v in _problem(r).items() if k != "request_id"} for r in (wrong, unknown)]
    assert comparable[0] == comparable[1]
    assert "ada@example.com" not in wrong.text


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short1!", "at least 10"), ("qwertyuiop", "common"), ("ada@example.com", "common"), ("x" * 300, "at most")],
)
async def test_weak_passwords_are_refused_with_the_field(
    app: FastAPI, client: httpx.AsyncClient, password: str, reason: str
) -> None:
    response = await client.post(f"{AUTH}/signup", json={"email": "ada@example.com", "password": password, "name": "A"})
    assert response.status_code == 422
    assert _fields(response) == ["password"]
    assert reason in _problem(response)["errors"][0]["message"]
    async with app.state.resources.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
        assert await session.scalar(select(func.count()).select_from(OutboxMail)) == 0


async def test_emails_are_unique_whatever_their_case(app: FastAPI, client: httpx.AsyncClient) -> None:
    assert (await _sign_up(client, "ada@example.com")).status_code == 201
    duplicate = await _sign_up(client, "ADA@Example.com", name="Impostor")
    assert duplicate.status_code == 409
    assert _fields(duplicate) == ["email"]
    bad = await _sign_up(client, "not-an-email")
    assert bad.status_code == 422
    assert _fields(bad) == ["email"]
    async with app.state.resources.db.sessions() as session:
        assert list(await session.scalars(select(User.name))) == ["Ada"]


async def test_failed_sign_ins_are_limited_per_email_and_ip(app: FastAPI, client: httpx.AsyncClient) -> None:
    await _sign_up(client, "ada@example.com")
    # Successful sign-ins never count.
    for _ in range(6):
        assert (await _log_in(client, "ada@example.com")).status_code == 200
    for _ in range(5):
        assert (await _log_in(client, "ada@example.com", "wrong passphrase!")).status_code == 401
    limited = await _log_in(client, "ada@example.com", "wrong passphrase!")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 15 * 60
    # Spent, even the right password waits: guessing must not go on.
    assert (await _log_in(client, "ada@example.com")).status_code == 429
    # Another email from this IP, and this email from another IP, are not affected.
    assert (await _log_in(client, "grace@example.com", "wrong passphrase!")).status_code == 401
    other_ip = httpx.ASGITransport(app=app, client=("198.51.100.7", 4000))
    async with httpx.AsyncClient(transport=other_ip, base_url="http://testserver") as elsewhere:
        assert (await _log_in(elsewhere, "ada@example.com")).status_code == 200


async def test_sign_ups_are_limited_per_ip(client: httpx.AsyncClient) -> None:
    # Every attempt counts, refused ones included: the limit bounds probing for taken addresses.
    for attempt in range(10):
        weak = {"email": f"person{attempt}@example.com", "password": "short", "name": "P"}
        assert (await client.post(f"{AUTH}/signup", json=weak)).status_code == 422
    limited = await _sign_up(client, "ada@example.com")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1


# Passwords


async def test_a_forgotten_password_is_reset_once_from_the_mailed_link(app: FastAPI, client: httpx.AsyncClient) -> None:
    await _sign_up(client, "ada@example.com")
    before = await _tokens(client, "ada@example.com")

    unknown = await client.post(f"{AUTH}/password/forgot", json={"email": "nobody@example.com"})
    known = await client.post(f"{AUTH}/password/forgot", json={"email": "ADA@example.com"})
    assert unknown.status_code == known.status_code == 202
    assert unknown.content == known.content
    assert await _mails(app, "nobody@example.com", "reset_password") == []
    token = await _mailed_token(app, "ada@example.com", "reset_password", "reset-password")

    weak = await client.post(f"{AUTH}/password/reset", json={"token": token, "new_password": "password123"})
    assert weak.status_code == 422
    assert _fields(weak) == ["new_password"]
    reset = await client.post(f"{AUTH}/password/reset", json={"token": token, "new_password": NEW_PASSWORD})
    assert reset.status_code == 204
    reused = await client.post(f"{AUTH}/password/reset", json={"token": token, "new_password": PASSWORD})
    assert reused.status_code == 422
    assert _fields(reused) == ["token"]

    # Every session ended; only the new password works.
    assert (await client.get(f"{AUTH}/me", headers=_bearer(before))).status_code == 401
    assert (await _refresh(client, before["refresh_token"])).status_code == 401
    assert (await _log_in(client, "ada@example.com")).status_code == 401
    assert (await _log_in(client, "ada@example.com", NEW_PASSWORD)).status_code == 200

    # A link older than an hour is refused.
    await client.post(f"{AUTH}/password/forgot", json={"email": "ada@example.com"})
    late = await _mailed_token(app, "ada@example.com", "reset_password", "reset-password")
    async with app.state.resources.db.unit_of_work() as session:
        row = await session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == hash_token(late)))
        assert row is not None
        assert timedelta(minutes=59) < row.expires_at - row.created_at <= timedelta(hours=1)
        row.expires_at = utcnow() - timedelta(seconds=1)
    expired = await client.post(f"{AUTH}/password/reset", json={"token": late, "new_password": PASSWORD})
    assert expired.status_code == 422
    assert (await _log_in(client, "ada@example.com", NEW_PASSWORD)).status_code == 200


async def test_changing_the_password_ends_the_other_sessions(app: FastAPI, client: httpx.AsyncClient) -> None:
    await _sign_up(client, "ada@example.com")
    here = await _tokens(client, "ada@example.com")
    there = await _tokens(client, "ada@example.com")
    change = f"{AUTH}/password"

    wrong = await client.post(
        change, json={"current_password": "not my passphrase", "new_password": NEW_PASSWORD}, headers=_bearer(here)
    )
    assert wrong.status_code == 422
    assert _fields(wrong) == ["current_password"]
    weak = await client.post(
        change, json={"current_password": PASSWORD, "new_password": "1234567890"}, headers=_bearer(here)
    )
    assert weak.status_code == 422
    assert _fields(weak) == ["new_password"]
    assert (await client.get(f"{AUTH}/me", headers=_bearer(there))).status_code == 200

    done = await client.post(
        change, json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=_bearer(here)
    )
    assert done.status_code == 204
    assert (await client.get(f"{AUTH}/me", headers=_bearer(here))).status_code == 200
    assert (await client.get(f"{AUTH}/me", headers=_bearer(there))).status_code == 401
    assert (await _log_in(client, "ada@example.com")).status_code == 401
    assert (await _log_in(client, "ada@example.com", NEW_PASSWORD)).status_code == 200
    assert "user.password_changed" in await _actions(app, (await _user_by_email(app, "ada@example.com")).id)


async def _user_by_email(app: FastAPI, email: str) -> User:
    async with app.state.resources.db.sessions() as session:
        user = await session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


async def test_verification_can_be_mailed_again_until_verified(app: FastAPI, client: httpx.AsyncClient) -> None:
    await _sign_up(client, "ada@example.com")
    pair = await _tokens(client, "ada@example.com")
    resent = await client.post(f"{AUTH}/verify-email/resend", headers=_bearer(pair))
    assert resent.status_code == 202
    assert len(await _mails(app, "ada@example.com", "verify_email")) == 2
    token = await _mailed_token(app, "ada@example.com", "verify_email", "verify-email")
    assert (await client.post(f"{AUTH}/verify-email", json={"token": token})).status_code == 204
    assert (await client.post(f"{AUTH}/verify-email/resend", headers=_bearer(pair))).status_code == 409
    assert (await client.post(f"{AUTH}/verify-email", json={"token": "made-up"})).status_code == 422


# Profile


async def test_the_profile_is_validated_and_updated(app: FastAPI, client: httpx.AsyncClient) -> None:
    person = await make_person(app, "ada@example.com", "Ada")
    for body, field in [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"locale": "fr"}, "locale"),
        ({"name": None}, "name"),
        ({"name": "   "}, "name"),
        ({"avatar_url": "javascript:alert(1)"}, "avatar_url"),
        ({"email": "eve@example.com"}, "email"),
    ]:
        refused = await client.patch(f"{AUTH}/me", json=body, headers=person.headers)
        assert refused.status_code == 422, body
        assert _fields(refused) == [field], body

    changed = await client.patch(
        f"{AUTH}/me",
        json={"name": " Ada Lovelace ", "timezone": "Europe/Rome", "locale": "it", "avatar_url": "https://a.example/1"},
        headers=person.headers,
    )
    assert changed.status_code == 200
    assert {k: changed.json()[k] for k in ("name", "timezone", "locale", "avatar_url", "email")} == {
        "name": "Ada Lovelace",
        "timezone": "Europe/Rome",
        "locale": "it",
        "avatar_url": "https://a.example/1",
        "email": "ada@example.com",
    }
    cleared = await client.patch(f"{AUTH}/me", json={"avatar_url": None}, headers=person.headers)
    assert cleared.json()["avatar_url"] is None
    assert cleared.json()["timezone"] == "Europe/Rome"
    assert (await _user(app, person.user_id)).avatar_url is None
    assert (await _actions(app, person.user_id)).count("user.profile_updated") == 2


# Sessions


async def test_sessions_are_listed_and_revoked_by_their_owner_only(app: FastAPI, client: httpx.AsyncClient) -> None:
    await _sign_up(client, "ada@example.com")
    laptop = await _tokens(client, "ada@example.com", headers={"User-Agent": "Laptop Firefox"})
    phone = await _tokens(client, "ada@example.com", headers={"User-Agent": "Phone Safari"})
    listed = await client.get(f"{AUTH}/sessions", headers=_bearer(laptop))
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [(item["device"], item["current"]) for item in items] == [("Phone Safari", False), ("Laptop Firefox", True)]
    assert all(item["ip"] == "127.0.0.1" and item["created_at"] and item["last_active_at"] for item in items)
    assert listed.json()["next_cursor"] is None
    page = await client.get(f"{AUTH}/sessions", params={"limit": 1}, headers=_bearer(laptop))
    assert len(page.json()["items"]) == 1
    assert page.json()["next_cursor"]

    # Someone else's session, or one that does not exist, is not found.
    eve = await make_person(app, "eve@example.com")
    phone_id = items[0]["id"]
    assert (await client.delete(f"{AUTH}/sessions/{phone_id}", headers=eve.headers)).status_code == 404
    assert (await client.delete(f"{AUTH}/sessions/{uuid.uuid4()}", headers=_bearer(laptop))).status_code == 404
    assert (await client.get(f"{AUTH}/me", headers=_bearer(phone))).status_code == 200

    assert (await client.delete(f"{AUTH}/sessions/{phone_id}", headers=_bearer(laptop))).status_code == 204
    assert (await client.get(f"{AUTH}/me", headers=_bearer(phone))).status_code == 401
    assert (await _refresh(client, phone["refresh_token"])).status_code == 401
    remaining = (await client.get(f"{AUTH}/sessions", headers=_bearer(laptop))).json()["items"]
    assert [item["device"] for item in remaining] == ["Laptop Firefox"]
    assert (await client.delete(f"{AUTH}/sessions/{phone_id}", headers=_bearer(laptop))).status_code == 404


# Personal API tokens


async def test_api_tokens_are_shown_once_stored_hashed_and_revocable(app: FastAPI, client: httpx.AsyncClient) -> None:
    ada = await make_person(app, "ada@example.com")
    created = await client.post(
        f"{AUTH}/tokens",
        json={"name": "CI", "scopes": ["content:write", "reports:read"], "expires_in_days": 30},
        headers=ada.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    secret = body["token"]
    assert secret.startswith("vfp_")
    assert secret.startswith(body["display_prefix"])
    assert body["scopes"] == ["content:write", "reports:read"]
    assert timedelta(days=29) < datetime.fromisoformat(body["expires_at"]) - utcnow() <= timedelta(days=30)

    listed = await client.get(f"{AUTH}/tokens", headers=ada.headers)
    assert [item["name"] for item in listed.json()["items"]] == ["CI"]
    assert secret not in listed.text
    assert "token" not in listed.json()["items"][0]
    async with app.state.resources.db.sessions() as session:
        stored = await session.scalar(select(ApiToken))
    assert stored is not None
    assert stored.token_hash == hash_token(secret)
    assert secret not in (stored.token_hash, stored.display_prefix)

    # Usable as Bearer, for what tokens may do; the account itself is managed signed in only.
    token_headers = {"Authorization": f"Bearer {secret}"}
    assert (await client.get(f"{AUTH}/me", headers=token_headers)).json()["email"] == "ada@example.com"
    escalate = await client.post(f"{AUTH}/tokens", json={"name": "x", "scopes": ["audit:read"]}, headers=token_headers)
    assert escalate.status_code == 403

    # Someone else cannot revoke it; its owner can, and then it stops working.
    eve = await make_person(app, "eve@example.com")
    assert (await client.delete(f"{AUTH}/tokens/{body['id']}", headers=eve.headers)).status_code == 404
    assert (await client.get(f"{AUTH}/me", headers=token_headers)).status_code == 200
    assert (await client.delete(f"{AUTH}/tokens/{body['id']}", headers=ada.headers)).status_code == 204
    assert (await client.get(f"{AUTH}/me", headers=token_headers)).status_code == 401
    assert (await client.get(f"{AUTH}/tokens", headers=ada.headers)).json()["items"] == []
    assert {"api_token.created", "api_token.revoked"} <= set(await _actions(app, ada.user_id))


async def test_api_token_requests_are_checked(app: FastAPI, client: httpx.AsyncClient) -> None:
    ada = await make_person(app, "ada@example.com")
    unknown = await client.post(
        f"{AUTH}/tokens", json={"name": "x", "scopes": ["content:read", "everything:write"]}, headers=ada.headers
    )
    assert unknown.status_code == 422
    assert _fields(unknown) == ["scopes[1]"]
    assert "everything:write" in unknown.json()["errors"][0]["message"]
    past = (utcnow() - timedelta(days=1)).isoformat()
    for body, field in [
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "", "scopes": ["content:read"]}, "name"),
        ({"name": "x", "scopes": ["content:read"], "expires_at": past}, "expires_at"),
        ({"name": "x", "scopes": ["content:read"], "expires_at": "2031-01-01T00:00:00"}, "expires_at"),
        ({"name": "x", "scopes": ["content:read"], "expires_in_days": 0}, "expires_in_days"),
    ]:
        refused = await client.post(f"{AUTH}/tokens", json=body, headers=ada.headers)
        assert refused.status_code == 422, body
        assert _fields(refused) == [field], (body, refused.text)
    both = await client.post(
        f"{AUTH}/tokens",
        json={"name": "x", "scopes": ["content:read"], "expires_in_days": 1, "expires_at": "2031-01-01T00:00:00Z"},
        headers=ada.headers,
    )
    assert both.status_code == 422
    no_expiry = await client.post(f"{AUTH}/tokens", json={"name": "x", "scopes": ["content:read"]}, headers=ada.headers)
    assert no_expiry.status_code == 201
    assert no_expiry.json()["expires_at"] is None
    async with app.state.resources.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ApiToken)) == 1


# Notification preferences


async def test_notification_preferences(app: FastAPI, client: httpx.AsyncClient) -> None:
    ada = await make_person(app, "ada@example.com")
    defaults = (await client.get(f"{AUTH}/notifications", headers=ada.headers)).json()["events"]
    assert defaults["post_failed"] is True
    assert defaults["post_published"] is False
    assert {"invitation_accepted", "approval_requested", "channel_needs_reconnect", "weekly_report"} <= set(defaults)

    chosen = await client.put(
        f"{AUTH}/notifications", json={"events": {"post_failed": False, "weekly_report": True}}, headers=ada.headers
    )
    assert chosen.status_code == 200
    assert chosen.json()["events"] == {**defaults, "post_failed": False, "weekly_report": True}
    assert (await client.get(f"{AUTH}/notifications", headers=ada.headers)).json() == chosen.json()
    assert (await _user(app, ada.user_id)).notification_preferences == {"post_failed": False, "weekly_report": True}

    unknown = await client.put(f"{AUTH}/notifications", json={"events": {"lottery_won": True}}, headers=ada.headers)
    assert unknown.status_code == 422
    assert _fields(unknown) == ["events.lottery_won"]
    not_bool = await client.put(f"{AUTH}/notifications", json={"events": {"post_failed": "nope"}}, headers=ada.headers)
    assert not_bool.status_code == 422
    assert (await client.get(f"{AUTH}/notifications", headers=ada.headers)).json() == chosen.json()


# Erasure


@pytest.fixture
async def ada(app: FastAPI) -> Person:
    return await make_person(app, "ada@example.com", "Ada")


async def test_erasing_an_account_keeps_a_pseudonym_and_ends_everything(
    app: FastAPI, client: httpx.AsyncClient, ada: Person
) -> None:
    alone = await make_workspace(app, ada, "Ada's own")
    grace = await make_person(app, "grace@example.com", "Grace")
    shared = await make_workspace(app, grace, "Grace's")
    await add_member(app, shared, ada, Role.EDITOR)
    token = await client.post(f"{AUTH}/tokens", json={"name": "CI", "scopes": ["content:read"]}, headers=ada.headers)
    token_headers = {"Authorization": f"Bearer {token.json()['token']}"}
    other = await _tokens(client, "ada@example.com", HELPER_PASSWORD)

    wrong = await client.request("DELETE", f"{AUTH}/me", json={"password": "not my passphrase"}, headers=ada.headers)
    assert wrong.status_code == 422
    assert _fields(wrong) == ["password"]
    erased = await client.request("DELETE", f"{AUTH}/me", json={"password": HELPER_PASSWORD}, headers=ada.headers)
    assert erased.status_code == 204, erased.text

    user = await _user(app, ada.user_id)
    assert user.email == f"erased-{ada.user_id}@erased.invalid"
    assert user.name == "Deleted user"
    assert user.password_hash is None
    assert user.avatar_url is None
    assert user.erased_at is not None
    for headers in (ada.headers, _bearer(other), token_headers):
        assert (await client.get(f"{AUTH}/me", headers=headers)).status_code == 401
    assert (await _refresh(client, other["refresh_token"])).status_code == 401
    assert (await _log_in(client, "ada@example.com", HELPER_PASSWORD)).status_code == 401

    async with app.state.resources.db.sessions() as session:
        assert await session.get(Workspace, alone) is None
        assert await session.get(Workspace, shared) is not None
        assert list(await session.scalars(select(Membership.user_id).where(Membership.workspace_id == shared))) == [
            grace.user_id
        ]
        # Devices, IPs, tokens and mails to the old address are gone, not merely revoked.
        assert (
            await session.scalar(
                select(func.count()).select_from(UserSession).where(UserSession.user_id == ada.user_id)
            )
            == 0
        )
        assert await session.scalar(select(func.count()).select_from(ApiToken)) == 0
        mails = select(func.count()).select_from(OutboxMail).where(OutboxMail.to_address == "ada@example.com")
        assert await session.scalar(mails) == 0
        # The audit log keeps the actor's id, which now leads to the pseudonym; no entry names the person.
        entries = list(await session.scalars(select(AuditEntry).where(AuditEntry.actor_id == ada.user_id)))
        assert {"api_token.created", "workspace.deleted", "member.left", "user.erased"} <= {e.action for e in entries}
        assert not any("ada@example.com" in e.summary or "Ada" in e.summary for e in entries)
        for chain in (None, alone, shared):
            assert (await verify_chain(session, chain)).valid

    # The address is free again.
    assert (await _sign_up(client, "ada@example.com")).status_code == 201


async def test_the_last_owner_of_a_shared_workspace_cannot_erase_their_account(
    app: FastAPI, client: httpx.AsyncClient, ada: Person
) -> None:
    grace = await make_person(app, "grace@example.com", "Grace")
    shared = await make_workspace(app, ada, "Acme")
    await add_member(app, shared, grace, Role.ADMIN)
    refused = await client.request("DELETE", f"{AUTH}/me", json={"password": HELPER_PASSWORD}, headers=ada.headers)
    assert refused.status_code == 409
    assert "Acme" in _problem(refused)["detail"]
    assert "owner" in _problem(refused)["detail"]
    assert (await _user(app, ada.user_id)).erased_at is None
    assert (await client.get(f"{AUTH}/me", headers=ada.headers)).status_code == 200

    # With another owner, the account can go and the workspace stays with them.
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(Membership)
            .where(Membership.workspace_id == shared, Membership.user_id == grace.user_id)
            .values(role=Role.OWNER)
        )
    erased = await client.request("DELETE", f"{AUTH}/me", json={"password": HELPER_PASSWORD}, headers=ada.headers)
    assert erased.status_code == 204
    async with app.state.resources.db.sessions() as session:
        assert await session.get(Workspace, shared) is not None


async def test_account_routes_refuse_api_tokens_and_anonymous_callers(app: FastAPI, client: httpx.AsyncClient) -> None:
    ada = await make_person(app, "ada@example.com")
    created = await client.post(f"{AUTH}/tokens", json={"name": "CI", "scopes": ["content:write"]}, headers=ada.headers)
    token_headers = {"Authorization": f"Bearer {created.json()['token']}"}
    for method, path, body in [
        ("POST", "/logout", None),
        ("POST", "/logout-all", None),
        ("PATCH", "/me", {"name": "Mallory"}),
        ("DELETE", "/me", {"password": HELPER_PASSWORD}),
        ("POST", "/password", {"current_password": HELPER_PASSWORD, "new_password": NEW_PASSWORD}),
        ("GET", "/sessions", None),
        ("GET", "/tokens", None),
    ]:
        assert (await client.request(method, AUTH + path, json=body, headers=token_headers)).status_code == 403
        anonymous = await client.request(method, AUTH + path, json=body)
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"] == "Bearer"
    assert (await _user(app, ada.user_id)).name == "Test Person"


async def test_parallel_guesses_cannot_outrun_the_sign_in_limit(client: httpx.AsyncClient, ada: Person) -> None:
    answers: list[int] = []

    async def guess() -> None:
        answers.append((await _log_in(client, "ada@example.com", "wrong password, again")).status_code)

    async with anyio.create_task_group() as group:
        for _ in range(12):
            group.start_soon(guess)
    assert sorted(set(answers)) == [401, 429]
    assert answers.count(401) == 5


async def test_api_tokens_need_a_verified_address_and_die_with_a_password_reset(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    unverified = await make_person(app, "claimed@example.com", verified=False)
    refused = await client.post(
        f"{AUTH}/tokens", json={"name": "CI", "scopes": ["content:read"]}, headers=unverified.headers
    )
    assert refused.status_code == 403

    owner = await make_person(app, "owner@example.com")
    created = await client.post(
        f"{AUTH}/tokens", json={"name": "CI", "scopes": ["workspace:read"]}, headers=owner.headers
    )
    assert created.status_code == 201, created.text
    token_headers = {"Authorization": f"Bearer {created.json()['token']}"}
    assert (await client.get("/api/v1/workspaces", headers=token_headers)).status_code == 200
    assert (await client.post(f"{AUTH}/password/forgot", json={"email": "owner@example.com"})).status_code == 202
    reset_token = await _mailed_token(app, "owner@example.com", "reset_password", "reset-password")
    reset = await client.post(
        f"{AUTH}/password/reset", json={"token": reset_token, "new_password": "a brand new long passphrase"}
    )
    assert reset.status_code in (200, 204), reset.text
    assert (await client.get("/api/v1/workspaces", headers=token_headers)).status_code == 401


async def test_a_hash_made_with_older_costs_is_replaced_at_the_next_sign_in(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    from viewfinder.kit.security import PASSWORD_HASHER, Argon2id

    weaker = Argon2id(memory_kib=8 * 1024, iterations=1)
    old_hash = weaker.hash(PASSWORD)
    person = await make_person(app, "rehash@example.com")
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(update(User).where(User.id == person.user_id).values(password_hash=old_hash))

    assert PASSWORD_HASHER.needs_rehash(old_hash)
    assert (await _log_in(client, "rehash@example.com", "not the password at all")).status_code == 401
    async with app.state.resources.db.unit_of_work() as session:
        assert (await session.get_one(User, person.user_id)).password_hash == old_hash  # only a right password

    assert (await _log_in(client, "rehash@example.com")).status_code == 200
    async with app.state.resources.db.unit_of_work() as session:
        new_hash = (await session.get_one(User, person.user_id)).password_hash
    assert new_hash is not None
    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert not PASSWORD_HASHER.needs_rehash(new_hash)
    assert (await _log_in(client, "rehash@example.com")).status_code == 200


async def test_a_browser_whose_session_ended_elsewhere_loses_its_cookies_at_refresh(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser,
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as other_device,
    ):
        await _sign_up(browser, "ended@example.com")
        assert (await _log_in(browser, "ended@example.com")).status_code == 200
        elsewhere = await _tokens(other_device, "ended@example.com")
        assert (await other_device.post(f"{AUTH}/logout-all", headers=_bearer(elsewhere))).status_code == 204

        refused = await browser.post(f"{AUTH}/refresh", headers={CSRF_HEADER: browser.cookies[CSRF_COOKIE]})
        assert refused.status_code == 401
        assert _problem(refused)["title"] == "The refresh token is not valid"
        cleared = _set_cookies(refused)
        assert set(cleared) == {ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE}
        assert all("max-age=0" in header for header in cleared.values())
        assert CSRF_COOKIE not in browser.cookies
