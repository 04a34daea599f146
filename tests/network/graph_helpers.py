"""Helpers for tests of the Graph API: a professional account, an app and a token for it, and Instagram's error
body checked."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from viewfinder.network.graph.service.apps import create_app
from viewfinder.network.graph.service.tokens import SCOPES, issue_token
from viewfinder.network.social.models import AccountType, NetworkPerson

from .helpers import NetPerson, make_person

GRAPH = "/network/graph/v21.0"


async def make_business(app: FastAPI, username: str = "lumen.coffee", *, name: str = "Lumen Coffee") -> NetPerson:
    """A network person with a business account."""
    person = await make_person(app, username, name=name)
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkPerson).where(NetworkPerson.id == int(person.id)).values(account_type=AccountType.BUSINESS)
        )
    return person


async def graph_token(app: FastAPI, username: str = "lumen.coffee", scopes: tuple[str, ...] = SCOPES) -> str:
    """A long-lived token of a new app for the account, with the scopes given (all five by default)."""
    async with app.state.resources.db.unit_of_work() as session:
        made = await create_app(
            session, app.state.resources.settings, name="Suite", redirect_uris=["https://suite.example/callback"]
        )
        issued = await issue_token(session, app_id=str(made.app.id), username=username, scopes=scopes)
    return issued.access_token


def graph_error(response: httpx.Response, code: int, subcode: int | None = None) -> dict[str, Any]:
    """The error of an answer, checked to be Instagram's shape with that code (and subcode)."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    assert error.get("error_subcode") == subcode, error
    assert error["type"] in {"OAuthException", "GraphMethodException"}
    assert error["fbtrace_id"]
    return error
