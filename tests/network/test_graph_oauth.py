"""The OAuth server through HTTP, as an app meets it: the authorisation request, the consent, the code's exchange
for a short-lived token, the long-lived exchange and refresh, and the person revoking the app."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from tests.conftest import make_settings
from viewfinder.kit.clock import utcnow
from viewfinder.network.graph.models import NetworkAuthorizationCode, NetworkGraphToken
from viewfinder.network.graph.service.apps import create_app

from .graph_helpers import GRAPH, graph_error, make_business
from .helpers import API, NetPerson, make_person

pytestmark = pytest.mark.anyio

REDIRECT = "https://suite.example/callback"
ALL_SCOPES = "instagram_business_basic,instagram_business_content_publish,instagram_business_manage_comments"


async def _new_app(
    app: FastAPI, name: str = "Viewfinder", redirect_uris: tuple[str, ...] = (REDIRECT,)
) -> tuple[str, str]:
    async with app.state.resources.db.unit_of_work() as session:
        made = await create_app(session, app.state.resources.settings, name=name, redirect_uris=list(redirect_uris))
    return str(made.app.id), made.secret


def _authorize_query(client_id: str, **overrides: str) -> dict[str, str]:
    return {
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": ALL_SCOPES,
        "response_type": "code",
        "state": "xyz-42",
        **overrides,
    }


def _query_of(address: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(address).query).items()}


async def _consent(client: httpx.AsyncClient, person: NetPerson, client_id: str, *, allow: bool = True) -> str:
    query = _authorize_query(client_id)
    answer = await client.post(f"{API}/oauth/consent", json={**query, "allow": allow}, headers=person.headers)
    assert answer.status_code == 200, answer.text
    redirect_to: str = answer.json()["redirect_to"]
    return redirect_to


async def _code(client: httpx.AsyncClient, person: NetPerson, client_id: str) -> str:
    """A code as the app's redirect receives it: `…?code=…&state=…#_`."""
    redirect_to = await _consent(client, person, client_id)
    assert redirect_to.startswith(REDIRECT + "?")
    assert redirect_to.endswith("#_")
    return _query_of(redirect_to.removesuffix("#_"))["code"]


def _exchange_form(client_id: str, secret: str, code: str, **overrides: str) -> dict[str, str]:
    return {
        "client_id": client_id,
        "client_secret": secret,
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT,
        "code": code,
        **overrides,
    }


def _oauth_error(response: httpx.Response, message: str) -> None:
    assert response.status_code == 400, response.text
    assert response.json() == {"error_type": "OAuthException", "code": 400, "error_message": message}


async def _short_lived(client: httpx.AsyncClient, person: NetPerson, client_id: str, secret: str) -> dict[str, Any]:
    code = await _code(client, person, client_id)
    answer = await client.post("/network/oauth/access_token", data=_exchange_form(client_id, secret, code))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def _age_tokens(app: FastAPI, by: timedelta) -> None:
    """Every token made `by` earlier, as if that much time had passed."""
    async with app.state.resources.db.unit_of_work() as session:
        for token in await session.scalars(select(NetworkGraphToken)):
            token.created_at -= by
            token.expires_at -= by


# The whole flow


async def test_the_code_flow_ends_with_a_long_lived_token_that_reads_me(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    person = await make_business(app)
    client_id, secret = await _new_app(app)

    authorize = await client.get("/network/oauth/authorize", params=_authorize_query(client_id))
    assert authorize.status_code == 302
    consent_page = authorize.headers["location"]
    assert urlsplit(consent_page).path == "/network/authorize"
    assert _query_of(consent_page) == _authorize_query(client_id)

    details = await client.get(f"{API}/oauth/consent", params=_query_of(consent_page), headers=person.headers)
    assert details.json() == {
        "app_id": client_id,
        "app_name": "Viewfinder",
        "scopes": ALL_SCOPES.split(","),
        "redirect_uri": REDIRECT,
    }

    redirect_to = await _consent(client, person, client_id)
    sent_back = _query_of(redirect_to.removesuffix("#_"))
    assert sent_back["state"] == "xyz-42"
    assert sent_back["code"].startswith("AQ")

    # Clients that read the whole address send `#_` back with the code: it is accepted.
    exchanged = await client.post(
        "/network/oauth/access_token", data=_exchange_form(client_id, secret, sent_back["code"] + "#_")
    )
    assert exchanged.status_code == 200, exchanged.text
    short = exchanged.json()
    assert set(short) == {"access_token", "user_id", "permissions"}
    assert short["user_id"] == int(person.id)
    assert short["permissions"] == ALL_SCOPES.split(",")
    assert short["access_token"].startswith("IGAA")

    long_lived = await client.get(
        "/network/graph/access_token",
        params={"grant_type": "ig_exchange_token", "client_secret": secret, "access_token": short["access_token"]},
    )
    assert long_lived.status_code == 200, long_lived.text
    assert long_lived.json()["token_type"] == "bearer"
    assert long_lived.json()["expires_in"] == 60 * 86400
    assert long_lived.json()["access_token"] != short["access_token"]

    me = await client.get(
        f"{GRAPH}/me", params={"fields": "id,username", "access_token": long_lived.json()["access_token"]}
    )
    assert me.status_code == 200, me.text
    assert me.json() == {"id": person.id, "username": "lumen.coffee"}


async def test_the_short_lived_token_lasts_an_hour_and_works(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_business(app)
    client_id, secret = await _new_app(app)
    short = await _short_lived(client, person, client_id, secret)
    async with app.state.resources.db.sessions() as session:
        row = (await session.scalars(select(NetworkGraphToken))).one()
    assert row.long_lived is False
    assert row.expires_at - row.created_at == timedelta(hours=1)
    me = await client.get(f"{GRAPH}/me", headers={"Authorization": f"Bearer {short['access_token']}"})
    assert me.json() == {"id": person.id}


async def test_the_data_shape_is_chosen_by_a_setting(database_url: str, tmp_path: Path) -> None:
    from viewfinder.app import create_app as create_web_app

    app = create_web_app(make_settings(tmp_path / "data", database_url, network_oauth_token_shape="data"))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            person = await make_business(app)
            client_id, secret = await _new_app(app)
            body = await _short_lived(client, person, client_id, secret)
    finally:
        await app.state.resources.aclose()
    assert list(body) == ["data"]
    (granted,) = body["data"]
    assert set(granted) == {"access_token", "user_id", "permissions"}
    assert granted["user_id"] == person.id
    assert granted["permissions"] == ALL_SCOPES


# The authorisation request


async def test_an_unregistered_redirect_is_refused_without_redirecting(client: httpx.AsyncClient, app: FastAPI) -> None:
    client_id, _ = await _new_app(app)
    for redirect_uri in (REDIRECT + "/", "https://evil.example/callback", REDIRECT.upper()):
        answer = await client.get(
            "/network/oauth/authorize", params=_authorize_query(client_id, redirect_uri=redirect_uri)
        )
        assert answer.status_code == 400
        assert "location" not in answer.headers
        assert "redirect_uri" in answer.json()["detail"]
    unknown = await client.get("/network/oauth/authorize", params=_authorize_query("12345"))
    assert unknown.status_code == 400
    assert "client_id 12345" in unknown.json()["detail"]


async def test_unknown_scopes_go_back_to_the_app_with_an_error(client: httpx.AsyncClient, app: FastAPI) -> None:
    client_id, _ = await _new_app(app)
    answer = await client.get(
        "/network/oauth/authorize", params=_authorize_query(client_id, scope="instagram_business_basic,user_media")
    )
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(REDIRECT + "?")
    assert _query_of(location) == {
        "error": "invalid_scope",
        "error_reason": "invalid_scope",
        "error_description": "Invalid Scopes: user_media",
        "state": "xyz-42",
    }
    without_basic = await client.get(
        "/network/oauth/authorize", params=_authorize_query(client_id, scope="instagram_business_content_publish")
    )
    assert _query_of(without_basic.headers["location"])["error_description"] == "instagram_business_basic is required"


async def test_cancel_sends_access_denied(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_business(app)
    client_id, _ = await _new_app(app)
    redirect_to = await _consent(client, person, client_id, allow=False)
    assert _query_of(redirect_to) == {
        "error": "access_denied",
        "error_reason": "user_denied",
        "error_description": "The user denied your request",
        "state": "xyz-42",
    }
    async with app.state.resources.db.sessions() as session:
        assert (await session.scalars(select(NetworkAuthorizationCode))).all() == []


async def test_a_personal_account_cannot_allow(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_person(app, "ada")
    client_id, _ = await _new_app(app)
    answer = await client.post(
        f"{API}/oauth/consent", json={**_authorize_query(client_id), "allow": True}, headers=person.headers
    )
    assert answer.status_code == 403
    assert "personal account" in answer.json()["detail"]
    async with app.state.resources.db.sessions() as session:
        assert (await session.scalars(select(NetworkAuthorizationCode))).all() == []


async def test_consent_checks_the_request_again(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_business(app)
    client_id, _ = await _new_app(app)
    tampered = {**_authorize_query(client_id, redirect_uri="https://evil.example/callback"), "allow": True}
    answer = await client.post(f"{API}/oauth/consent", json=tampered, headers=person.headers)
    assert answer.status_code == 400
    assert "redirect_uri" in answer.json()["detail"]
    async with app.state.resources.db.sessions() as session:
        assert (await session.scalars(select(NetworkAuthorizationCode))).all() == []


async def test_consent_needs_a_network_sign_in(client: httpx.AsyncClient, app: FastAPI) -> None:
    client_id, _ = await _new_app(app)
    answer = await client.post(f"{API}/oauth/consent", json={**_authorize_query(client_id), "allow": True})
    assert answer.status_code == 401


# The code's exchange


async def test_a_code_is_used_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_business(app)
    client_id, secret = await _new_app(app)
    code = await _code(client, person, client_id)
    first = await client.post("/network/oauth/access_token", data=_exchange_form(client_id, secret, code))
    assert first.status_code == 200
    again = await client.post("/network/oauth/access_token", data=_exchange_form(client_id, secret, code))
    _oauth_error(again, "Matching code was not found or was already used")


async def test_the_exchange_takes_a_multipart_form(client: httpx.AsyncClient, app: FastAPI) -> None:
    """`curl -F`, as Meta's guide shows it, sends multipart/form-data."""
    person = await make_business(app)
    client_id, secret = await _new_app(app)
    code = await _code(client, person, client_id)
    fields = {name: (None, value) for name, value in _exchange_form(client_id, secret, code).items()}
    answer = await client.post("/network/oauth/access_token", files=fields)
    assert answer.status_code == 200, answer.text
    assert answer.json()["user_id"] == int(person.id)


async def test_a_code_expires_after_an_hour(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_business(app)
    client_id, secret = await _new_app(app)
    code = await _code(client, person, client_id)
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkAuthorizationCode).values(
                created_at=utcnow() - timedelta(minutes=61), expires_at=utcnow() - timedelta(minutes=1)
            )
        )
    answer = await client.post("/network/oauth/access_token", data=_exchange_form(client_id, secret, code))
    _oauth_error(answer, "This authorization code has expired.")


async def test_wrong_secret_redirect_grant_or_app_are_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_business(app)
    client_id, secret = await _new_app(app)
    other_id, other_secret = await _new_app(app, "Other", (REDIRECT,))
    code = await _code(client, person, client_id)
    exchange = "/network/oauth/access_token"

    _oauth_error(
        await client.post(exchange, data=_exchange_form(client_id, "0" * 32, code)), "Error validating client secret."
    )
    _oauth_error(
        await client.post(exchange, data=_exchange_form(client_id, secret, code, redirect_uri=REDIRECT + "/")),
        "Error validating verification code. Please make sure your redirect_uri is identical to the one you used "
        "in the OAuth dialog request",
    )
    _oauth_error(
        await client.post(exchange, data=_exchange_form(client_id, secret, code, grant_type="client_credentials")),
        "Invalid grant_type: use authorization_code",
    )
    # Another app, with its own right secret, cannot use this app's code.
    _oauth_error(
        await client.post(exchange, data=_exchange_form(other_id, other_secret, code)),
        "Matching code was not found or was already used",
    )
    _oauth_error(await client.post(exchange, data=_exchange_form("999", secret, code)), "Invalid platform app")
    missing = _exchange_form(client_id, secret, code)
    del missing["code"]
    _oauth_error(await client.post(exchange, data=missing), "You must provide a code")

    # None of those used the code up.
    assert (await client.post(exchange, data=_exchange_form(client_id, secret, code))).status_code == 200


# Long-lived tokens and refresh


async def test_the_exchange_needs_the_app_secret_a_short_lived_token_and_the_grant(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    person = await make_business(app)
    client_id, secret = await _new_app(app)
    short = (await _short_lived(client, person, client_id, secret))["access_token"]

    def exchange(**params: str) -> Any:
        return client.get("/network/graph/access_token", params={"access_token": short, **params})

    graph_error(await exchange(grant_type="ig_exchange_token", client_secret="0" * 32), 101)
    wrong_grant = graph_error(await exchange(grant_type="ig_refresh_token", client_secret=secret), 100)
    assert "grant_type" in wrong_grant["message"]
    graph_error(await exchange(grant_type="ig_exchange_token"), 100)

    long_lived = (await exchange(grant_type="ig_exchange_token", client_secret=secret)).json()["access_token"]
    again = await client.get(
        "/network/graph/access_token",
        params={"access_token": long_lived, "grant_type": "ig_exchange_token", "client_secret": secret},
    )
    assert "already long-lived" in graph_error(again, 100)["message"]


async def test_refresh_needs_a_long_lived_token_a_day_old(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_business(app)
    client_id, secret = await _new_app(app)
    short = (await _short_lived(client, person, client_id, secret))["access_token"]
    long_lived = (
        await client.get(
            "/network/graph/access_token",
            params={"access_token": short, "grant_type": "ig_exchange_token", "client_secret": secret},
        )
    ).json()["access_token"]

    def refresh(token: str, grant_type: str = "ig_refresh_token") -> Any:
        return client.get(
            "/network/graph/refresh_access_token", params={"access_token": token, "grant_type": grant_type}
        )

    assert "24 hours" in graph_error(await refresh(long_lived), 100)["message"]
    assert "long-lived" in graph_error(await refresh(short), 100)["message"]

    await _age_tokens(app, timedelta(hours=24, minutes=1))
    graph_error(await refresh(long_lived, "ig_exchange_token"), 100)
    refreshed = await refresh(long_lived)
    assert refreshed.status_code == 200, refreshed.text
    body = refreshed.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 60 * 86400
    assert (await client.get(f"{GRAPH}/me", params={"access_token": body["access_token"]})).json() == {"id": person.id}

    # An expired token is not refreshed: the Graph answers 190/463 before anything else.
    await _age_tokens(app, timedelta(days=61))
    graph_error(await refresh(body["access_token"]), 190, 463)


# Revoking


async def test_connected_apps_are_listed_and_revoked(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_business(app)
    client_id, secret = await _new_app(app)
    pending_id, _ = await _new_app(app, "Pending", (REDIRECT,))
    token = (await _short_lived(client, person, client_id, secret))["access_token"]
    await _code(client, person, pending_id)  # a code not yet exchanged counts too

    listed = await client.get(f"{API}/me/apps", headers=person.headers)
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [(item["id"], item["name"], item["scopes"]) for item in items] == [
        (client_id, "Viewfinder", ALL_SCOPES.split(",")),
        (pending_id, "Pending", ALL_SCOPES.split(",")),
    ]
    assert all(item["since"] for item in items)

    # Someone else sees none of them, and cannot revoke them.
    other = await make_business(app, "other.shop")
    assert (await client.get(f"{API}/me/apps", headers=other.headers)).json()["items"] == []
    assert (await client.delete(f"{API}/me/apps/{client_id}", headers=other.headers)).status_code == 404

    removed = await client.delete(f"{API}/me/apps/{client_id}", headers=person.headers)
    assert removed.status_code == 204
    graph_error(await client.get(f"{GRAPH}/me", params={"access_token": token}), 190, 458)
    assert [item["id"] for item in (await client.get(f"{API}/me/apps", headers=person.headers)).json()["items"]] == [
        pending_id
    ]
    assert (await client.delete(f"{API}/me/apps/{client_id}", headers=person.headers)).status_code == 404


async def test_revoking_voids_codes_not_yet_exchanged(client: httpx.AsyncClient, app: FastAPI) -> None:
    person = await make_business(app)
    client_id, secret = await _new_app(app)
    code = await _code(client, person, client_id)
    assert (await client.delete(f"{API}/me/apps/{client_id}", headers=person.headers)).status_code == 204
    answer = await client.post("/network/oauth/access_token", data=_exchange_form(client_id, secret, code))
    _oauth_error(answer, "Matching code was not found or was already used")
