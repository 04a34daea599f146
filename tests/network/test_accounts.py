"""The network's accounts through its API: sign-up rules, sign-in by email or username, cookies with CSRF,
rotating refresh tokens with reuse detection, sign-out, rate limits, and tokens apart from the suite's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from tests.conftest import make_settings
from tests.identity.helpers import make_person as make_suite_person
from viewfinder.kit.clock import utcnow
from viewfinder.kit.cookies import CSRF_HEADER
from viewfinder.network.social.deps import ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE
from viewfinder.network.social.models import NetworkPerson, NetworkSession, NetworkToken
from viewfinder.settings import Settings

from .helpers import API, PASSWORD, fields, make_person, problem

pytestmark = pytest.mark.anyio

AUTH = f"{API}/auth"


def _signup_body(**changes: Any) -> dict[str, Any]:
    return {"email": "ada@example.com", "password": PASSWORD, "username": "ada.lovelace", "name": "Ada"} | changes


async def _people(app: FastAPI) -> int:
    async with app.state.resources.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(NetworkPerson)) or 0)


async def _login(client: httpx.AsyncClient, login: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post(f"{AUTH}/login", json={"login": login, "password": password})


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h.lower() for h in response.headers.get_list("set-cookie")}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# Sign-up


async def test_sign_up_makes_an_account_with_a_numeric_string_id(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{AUTH}/signup", json=_signup_body(email=" Ada@Example.COM "))
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], str)
    assert body["id"].isdigit()
    assert int(body["id"]) > 2**40
    assert body["username"] == "ada.lovelace"
    assert body["email"] == "ada@example.com"
    assert body["account_type"] == "personal"
    assert body["is_private"] is False
    assert (body["followers_count"], body["following_count"], body["posts_count"]) == (0, 0, 0)
    assert "password" not in response.text
    assert "password_hash" not in body
    assert _set_cookies(response) == {}


@pytest.mark.parametrize(
    "username",
    [
        "",
        ".ada",
        "ada.",
        "ada..lovelace",
        "ada lovelace",
        "ada-lovelace",
        "ada@home",
        "àda",
        "a" * 31,
    ],
)
async def test_sign_up_refuses_usernames_against_the_rules(
    client: httpx.AsyncClient, app: FastAPI, username: str
) -> None:
    response = await client.post(f"{AUTH}/signup", json=_signup_body(username=username))
    assert response.status_code == 422, response.text
    assert fields(response) == ["username"]
    assert await _people(app) == 0


@pytest.mark.parametrize("username", ["a", "A_1", "ada.love_lace", "_", "__init__", "a" * 30, "9.9"])
async def test_sign_up_takes_usernames_within_the_rules(client: httpx.AsyncClient, username: str) -> None:
    response = await client.post(f"{AUTH}/signup", json=_signup_body(username=username))
    assert response.status_code == 201, response.text
    assert response.json()["username"] == username


async def test_usernames_and_emails_are_unique_whatever_their_case(client: httpx.AsyncClient, app: FastAPI) -> None:
    assert (await client.post(f"{AUTH}/signup", json=_signup_body())).status_code == 201
    same_name = await client.post(
        f"{AUTH}/signup", json=_signup_body(email="other@example.com", username="Ada.LoveLace")
    )
    assert same_name.status_code == 409, same_name.text
    assert fields(same_name) == ["username"]
    same_email = await client.post(f"{AUTH}/signup", json=_signup_body(email="ADA@example.com", username="other"))
    assert same_email.status_code == 409
    assert fields(same_email) == ["email"]
    assert await _people(app) == 1


async def test_sign_up_refuses_bad_input_with_field_errors(client: httpx.AsyncClient, app: FastAPI) -> None:
    cases = {
        "password": _signup_body(password="short"),
        "email": _signup_body(email="not-an-email"),
        "name": _signup_body(name="   "),
    }
    for field, body in cases.items():
        response = await client.post(f"{AUTH}/signup", json=body)
        assert response.status_code == 422, response.text
        assert fields(response) == [field]
    common = await client.post(f"{AUTH}/signup", json=_signup_body(password="password123"))
    assert fields(common) == ["password"]
    assert "most common" in common.json()["errors"][0]["message"]
    missing = await client.post(f"{AUTH}/signup", json={"email": "ada@example.com"})
    assert set(fields(missing)) == {"password", "username", "name"}
    assert await _people(app) == 0


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data", database_url, signup_rate_limit="3/hour", signin_rate_limit="3/15 minutes")


async def test_sign_up_is_limited_per_ip(client: httpx.AsyncClient) -> None:
    for n in range(3):
        body = _signup_body(email=f"p{n}@example.com", username=f"p{n}")
        assert (await client.post(f"{AUTH}/signup", json=body)).status_code == 201
    limited = await client.post(f"{AUTH}/signup", json=_signup_body(email="p9@example.com", username="p9"))
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert problem(limited)["type"].endswith("/rate-limited")


# Sign-in


async def test_sign_in_by_email_or_username_in_any_case(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_person(app, "Grace_H", email="grace@example.com")
    for login in ("grace@example.com", "GRACE@example.com", "Grace_H", "grace_h"):
        response = await _login(client, login)
        assert response.status_code == 200, (login, response.text)
        pair = response.json()
        assert pair["access_token"].startswith("vfna_")
        assert pair["refresh_token"].startswith("vfnr_")
        assert pair["token_type"] == "bearer"
        assert pair["expires_in"] == 15 * 60
        client.cookies.clear()
        me = await client.get(f"{AUTH}/me", headers=_bearer(pair["access_token"]))
        assert me.json()["username"] == "Grace_H"
    by_field = await client.post(f"{AUTH}/login", json={"username": "grace_h", "password": PASSWORD})
    assert by_field.status_code == 200
    by_email = await client.post(f"{AUTH}/login", json={"email": "grace@example.com", "password": PASSWORD})
    assert by_email.status_code == 200


async def test_a_wrong_password_answers_like_an_unknown_account(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_person(app, "grace", email="grace@example.com")
    answers = []
    for login, password in [
        ("grace@example.com", "the wrong passphrase"),
        ("nobody@example.com", PASSWORD),
        ("grace", "the wrong passphrase"),
        ("nobody", PASSWORD),
    ]:
        response = await _login(client, login, password)
        assert response.status_code == 401
        body = problem(response)
        answers.append((body["type"], body["title"], body["detail"]))
        assert not _set_cookies(response)
    assert len(set(answers)) == 1, answers


async def test_sign_in_is_limited_per_person(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_person(app, "grace", email="grace@example.com")
    # Guesses by email and by username count alike: they name the same person.
    for login in ("grace@example.com", "grace", "GRACE"):
        assert (await _login(client, login, "the wrong passphrase")).status_code == 401
    limited = await _login(client, "grace", PASSWORD)
    assert limited.status_code == 429
    # Someone else from the same address is not held up by it.
    await make_person(app, "ada")
    assert (await _login(client, "ada")).status_code == 200


# Cookies and CSRF


async def test_sign_in_sets_the_network_cookies(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_person(app, "grace")
    response = await _login(client, "grace")
    cookies = _set_cookies(response)
    assert set(cookies) == {ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE} == {"vfn_access", "vfn_refresh", "vfn_csrf"}
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        assert "httponly" in cookies[name]
        assert "samesite=lax" in cookies[name]
        assert "secure" not in cookies[name]
    assert "httponly" not in cookies[CSRF_COOKIE]
    assert "path=/network/api/v1/auth" in cookies[REFRESH_COOKIE]
    # The cookies alone sign a browser in for reading.
    assert (await client.get(f"{AUTH}/me")).json()["username"] == "grace"


async def test_unsafe_cookie_requests_need_the_csrf_header(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_person(app, "grace")
    await _login(client, "grace")
    refused = await client.patch(f"{API}/me", json={"bio": "hello"})
    assert refused.status_code == 403
    assert CSRF_HEADER in problem(refused)["detail"]
    wrong = await client.patch(f"{API}/me", json={"bio": "hello"}, headers={CSRF_HEADER: "guess"})
    assert wrong.status_code == 403
    csrf = client.cookies[CSRF_COOKIE]
    accepted = await client.patch(f"{API}/me", json={"bio": "hello"}, headers={CSRF_HEADER: csrf})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["bio"] == "hello"
    refresh = await client.post(f"{AUTH}/refresh")
    assert refresh.status_code == 403
    refreshed = await client.post(f"{AUTH}/refresh", headers={CSRF_HEADER: csrf})
    assert refreshed.status_code == 200
    assert set(_set_cookies(refreshed)) == {ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE}


async def test_cookies_are_secure_when_the_site_is_https(database_url: str, tmp_path: Path) -> None:
    from viewfinder.app import create_app

    app = create_app(make_settings(tmp_path / "data", database_url, base_url="https://network.example.com"))
    try:
        await make_person(app, "grace")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as http:
            cookies = _set_cookies(await _login(http, "grace"))
        assert all("secure" in cookie for cookie in cookies.values())
    finally:
        await app.state.resources.aclose()


# Refresh tokens and sessions


async def test_refresh_rotates_and_a_reused_token_ends_the_session(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    first = await client.post(f"{AUTH}/refresh", json={"refresh_token": grace.refresh_token})
    assert first.status_code == 200, first.text
    pair = first.json()
    assert pair["refresh_token"] != grace.refresh_token
    assert (await client.get(f"{AUTH}/me", headers=_bearer(pair["access_token"]))).status_code == 200

    reused = await client.post(f"{AUTH}/refresh", json={"refresh_token": grace.refresh_token})
    assert reused.status_code == 401
    assert problem(reused)["title"] == "The refresh token was already used"
    # The whole family is over: the newest tokens too.
    assert (await client.get(f"{AUTH}/me", headers=_bearer(pair["access_token"]))).status_code == 401
    again = await client.post(f"{AUTH}/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 401
    async with app.state.resources.db.sessions() as session:
        reasons = list(await session.scalars(select(NetworkSession.revoked_reason)))
    assert reasons == ["refresh_token_reused"]


async def test_unknown_refresh_tokens_are_refused(client: httpx.AsyncClient) -> None:
    for body in ({"refresh_token": "vfnr_nothing"}, {}, None):
        response = await client.post(f"{AUTH}/refresh", json=body)
        assert response.status_code == 401, response.text


async def test_sign_out_ends_the_session_at_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    assert (await client.post(f"{AUTH}/logout", headers=grace.headers)).status_code == 204
    assert (await client.get(f"{AUTH}/me", headers=grace.headers)).status_code == 401
    refused = await client.post(f"{AUTH}/refresh", json={"refresh_token": grace.refresh_token})
    assert refused.status_code == 401


async def test_expired_access_tokens_are_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(update(NetworkToken).values(access_expires_at=utcnow() - timedelta(seconds=1)))
    response = await client.get(f"{AUTH}/me", headers=grace.headers)
    assert response.status_code == 401
    assert "refresh" in problem(response)["detail"]


async def test_me_needs_a_sign_in(client: httpx.AsyncClient) -> None:
    for headers in ({}, _bearer("vfna_made-up"), _bearer("garbage")):
        response = await client.get(f"{AUTH}/me", headers=headers)
        assert response.status_code == 401
        problem(response)


# The network and the suite keep apart


async def test_suite_tokens_are_refused_by_the_network(client: httpx.AsyncClient, app: FastAPI) -> None:
    suite_person = await make_suite_person(app, "suite@example.com")
    assert (await client.get("/api/v1/auth/me", headers=suite_person.headers)).status_code == 200
    assert (await client.get(f"{AUTH}/me", headers=suite_person.headers)).status_code == 401
    token = suite_person.headers["Authorization"].removeprefix("Bearer ")
    client.cookies.set("vf_access", token)
    assert (await client.get(f"{AUTH}/me")).status_code == 401
    client.cookies.set(ACCESS_COOKIE, token)
    assert (await client.get(f"{AUTH}/me")).status_code == 401


async def test_network_tokens_are_refused_by_the_suite(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace", email="grace@example.com")
    assert (await client.get(f"{AUTH}/me", headers=grace.headers)).status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=grace.headers)).status_code == 401
    client.cookies.set("vf_access", grace.access_token)
    assert (await client.get("/api/v1/auth/me")).status_code == 401
    client.cookies.clear()
    # Nor does a network account sign in to the suite.
    suite_login = await client.post("/api/v1/auth/login", json={"email": "grace@example.com", "password": PASSWORD})
    assert suite_login.status_code == 401
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": grace.refresh_token})
    assert refresh.status_code == 401


async def test_a_session_notes_its_activity_at_most_once_a_minute(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    earlier = utcnow() - timedelta(minutes=5)
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(update(NetworkSession).values(last_active_at=earlier))

    async def last_active() -> Any:
        async with app.state.resources.db.sessions() as session:
            return await session.scalar(select(NetworkSession.last_active_at))

    assert (await client.get(f"{API}/auth/me", headers=ada.headers)).status_code == 200
    noted = await last_active()
    assert noted > earlier + timedelta(minutes=4)
    assert (await client.get(f"{API}/feed", headers=ada.headers)).status_code == 200
    assert await last_active() == noted  # within the minute: no write at all
