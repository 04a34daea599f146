"""Blocks: they end follows and requests both ways, and hide the blocker from the blocked person."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from .helpers import API, make_person, person_row, problem

pytestmark = pytest.mark.anyio


async def test_blocking_removes_follows_both_ways_and_requests(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob", private=True)
    await client.post(f"{API}/people/ada/follow", headers=grace.headers)
    await client.post(f"{API}/people/grace/follow", headers=ada.headers)
    await client.post(f"{API}/people/bob/follow", headers=grace.headers)  # a request: bob is private
    await client.post(f"{API}/people/grace/follow", headers=bob.headers)

    assert (await client.post(f"{API}/people/ada/block", headers=grace.headers)).json() == {"blocked": True}
    assert (await client.post(f"{API}/people/bob/block", headers=grace.headers)).status_code == 200
    again = await client.post(f"{API}/people/ada/block", headers=grace.headers)
    assert again.status_code == 200
    for person in (grace, ada, bob):
        row = await person_row(app, person.id)
        assert (row.followers_count, row.following_count) == (0, 0), person.username
    assert (await client.get(f"{API}/me/follow-requests", headers=bob.headers)).json()["items"] == []
    view = (await client.get(f"{API}/people/ada", headers=grace.headers)).json()
    assert view["blocked_by_viewer"] is True
    assert view["followed_by_viewer"] is False


async def test_a_blocked_person_cannot_see_or_follow_the_blocker(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    await client.post(f"{API}/people/ada/block", headers=grace.headers)
    for method, path in [
        ("GET", "people/grace"),
        ("GET", "people/grace/followers"),
        ("GET", "people/grace/following"),
        ("POST", "people/grace/follow"),
        ("POST", "people/grace/block"),
    ]:
        response = await client.request(method, f"{API}/{path}", headers=ada.headers)
        assert response.status_code == 404, (method, path, response.text)
        assert problem(response)["detail"] == problem(await client.get(f"{API}/people/nobody"))["detail"]
    assert (await client.get(f"{API}/people", params={"prefix": "gr"}, headers=ada.headers)).json()["items"] == []
    # Others still see her.
    assert (await client.get(f"{API}/people/grace")).status_code == 200
    assert [i["username"] for i in (await client.get(f"{API}/people", params={"prefix": "gr"})).json()["items"]] == [
        "grace"
    ]
    assert (await person_row(app, grace.id)).followers_count == 0


async def test_the_blocker_must_unblock_to_follow(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    await client.post(f"{API}/people/ada/block", headers=grace.headers)
    refused = await client.post(f"{API}/people/ada/follow", headers=grace.headers)
    assert refused.status_code == 409
    assert "unblock" in problem(refused)["detail"]
    assert (await client.delete(f"{API}/people/ada/block", headers=grace.headers)).json() == {"blocked": False}
    assert (await client.delete(f"{API}/people/ada/block", headers=grace.headers)).status_code == 200
    assert (await client.get(f"{API}/people/grace", headers=ada.headers)).status_code == 200
    assert (await client.post(f"{API}/people/ada/follow", headers=grace.headers)).json()["state"] == "following"
    assert (await client.post(f"{API}/people/grace/follow", headers=ada.headers)).json()["state"] == "following"


async def test_blocking_needs_sign_in_and_someone_else(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    assert (await client.post(f"{API}/people/grace/block")).status_code == 401
    assert (await client.post(f"{API}/people/nobody/block", headers=grace.headers)).status_code == 404
    itself = await client.post(f"{API}/people/grace/block", headers=grace.headers)
    assert itself.status_code == 422
