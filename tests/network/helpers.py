"""Test helpers: network people who exist and are signed in, made through the service in the database.

They skip the sign-up and sign-in routes (and their rate limits), so tests of profiles and follows do not
depend on them; the account tests exercise those routes themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from viewfinder.network.social.models import NetworkPerson
from viewfinder.network.social.service import accounts

API = "/network/api/v1"
PASSWORD = "a network passphrase 42"


@dataclass(frozen=True)
class NetPerson:
    id: str
    username: str
    email: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def make_person(
    app: FastAPI, username: str, *, name: str = "Test Person", private: bool = False, email: str | None = None
) -> NetPerson:
    resources = app.state.resources
    email = email or f"{username.lower()}@example.com"
    async with resources.db.unit_of_work() as session:
        person = await accounts.create_person(session, email=email, password=PASSWORD, username=username, name=name)
        person.is_private = private
        tokens = await accounts.open_session(session, resources.settings, person)
    return NetPerson(str(person.id), username, email, tokens.access_token, tokens.refresh_token)


async def person_row(app: FastAPI, person_id: str) -> NetworkPerson:
    async with app.state.resources.db.sessions() as session:
        row = await session.get(NetworkPerson, int(person_id))
    assert row is not None
    return row


def problem(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body: dict[str, Any] = response.json()
    return body


def fields(response: httpx.Response) -> list[str]:
    return [error["field"] for error in problem(response).get("errors", [])]
