"""The Graph API's first node, `me`: a token issued for a professional account, its fields, and Instagram's errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput, NotFound
from viewfinder.network.graph.models import NetworkGraphToken
from viewfinder.network.graph.service.apps import create_app
from viewfinder.network.graph.service.tokens import issue_token
from viewfinder.network.social.models import AccountType, NetworkPerson

from .helpers import make_person

pytestmark = pytest.mark.anyio

BASIC = ["instagram_business_basic"]


async def _business(app: FastAPI, username: str = "lumen.coffee") -> str:
    person = await make_person(app, username, name="Lumen Coffee")
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkPerson)
            .where(NetworkPerson.id == int(person.id))
            .values(
                account_type=AccountType.BUSINESS, bio="Roasted in Turin", avatar_url="/network/api/v1/avatars/1/2.jpg"
            )
        )
    return person.id


async def _token(app: FastAPI, username: str = "lumen.coffee", scopes: list[str] = BASIC) -> str:
    async with app.state.resources.db.unit_of_work() as session:
        made = await create_app(
            session, app.state.resources.settings, name="Viewfinder", redirect_uris=["https://suite.example/callback"]
        )
        issued = await issue_token(session, app_id=str(made.app.id), username=username, scopes=scopes)
    assert issued.access_token.startswith("IGAA")
    assert issued.expires_in == 60 * 86400
    return issued.access_token


def _error(response: httpx.Response, code: int) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json"), response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert error["type"] == ("GraphMethodException" if error.get("error_subcode") == 33 else "OAuthException")
    assert error["fbtrace_id"]
    return error


async def test_me_answers_the_fields_asked_for(client: httpx.AsyncClient, app: FastAPI) -> None:
    person_id = await _business(app)
    token = await _token(app)

    fields = "id,user_id,username,name,account_type,biography,followers_count,follows_count,media_count"
    response = await client.get("/network/graph/v21.0/me", params={"fields": fields, "access_token": token})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": person_id,
        "user_id": person_id,
        "username": "lumen.coffee",
        "name": "Lumen Coffee",
        "account_type": "Business",
        "biography": "Roasted in Turin",
        "followers_count": 0,
        "follows_count": 0,
        "media_count": 0,
    }
    # Without a version, with the token as a header, and with no fields: the id alone.
    plain = await client.get("/network/graph/me", headers={"Authorization": f"Bearer {token}"})
    assert plain.json() == {"id": person_id}
    picture = await client.get(
        "/network/graph/me", params={"fields": "profile_picture_url,website", "access_token": token}
    )
    url = picture.json()["profile_picture_url"]
    assert url.startswith("http")
    assert url.endswith("/network/api/v1/avatars/1/2.jpg")  # the uploaded picture, as an absolute address
    assert "website" not in picture.json()  # no value: left out, as Instagram does


async def test_me_refuses_as_instagram_does(client: httpx.AsyncClient, app: FastAPI) -> None:
    await _business(app)
    token = await _token(app)

    _error(await client.get("/network/graph/v21.0/me"), 2500)
    _error(await client.get("/network/graph/v21.0/me", params={"access_token": "IGAAnot-a-token"}), 190)
    _error(await client.get("/network/graph/v21.0/me", params={"access_token": token, "fields": "id,secret"}), 100)
    _error(await client.get("/network/graph/v12.0/me", params={"access_token": token}), 2635)
    # An unknown first segment is read as an object id, as Graph reads it.
    assert (
        _error(await client.get("/network/graph/latest/me", params={"access_token": token}), 100)["error_subcode"] == 33
    )
    _error(await client.get("/network/graph/v21.0/me/media/extra", params={"access_token": token}), 2500)

    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(update(NetworkGraphToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert _error(await client.get("/network/graph/me", params={"access_token": token}), 190)["error_subcode"] == 463
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkGraphToken).values(expires_at=utcnow() + timedelta(days=1), revoked_at=utcnow())
        )
    assert _error(await client.get("/network/graph/me", params={"access_token": token}), 190)["error_subcode"] == 458


async def test_a_call_outside_the_granted_scopes_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    await _business(app)
    token = await _token(app, scopes=["instagram_business_content_publish"])
    response = await client.get("/network/graph/me", params={"access_token": token})
    assert response.status_code == 403
    _error(response, 10)


async def test_tokens_are_only_for_professional_accounts_and_known_scopes(app: FastAPI) -> None:
    await make_person(app, "personal.ada")
    await _business(app)
    async with app.state.resources.db.unit_of_work() as session:
        made = await create_app(
            session, app.state.resources.settings, name="Viewfinder", redirect_uris=["https://suite.example/callback"]
        )
    app_id = str(made.app.id)
    async with app.state.resources.db.sessions() as session:
        with pytest.raises(InvalidInput, match="personal account"):
            await issue_token(session, app_id=app_id, username="personal.ada", scopes=BASIC)
        with pytest.raises(InvalidInput, match="not instagram_basic"):
            await issue_token(session, app_id=app_id, username="lumen.coffee", scopes=["instagram_basic"])
        with pytest.raises(NotFound):
            await issue_token(session, app_id="123", username="lumen.coffee", scopes=BASIC)
        with pytest.raises(NotFound):
            await issue_token(session, app_id=app_id, username="nobody", scopes=BASIC)
