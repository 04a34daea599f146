"""Follows: public accounts at once, private ones by request; lists and their privacy; exact counts, also
under concurrent follows on PostgreSQL."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from viewfinder.network.social.models import NetworkFollow, NetworkPerson

from .helpers import API, NetPerson, make_person, person_row, problem

pytestmark = pytest.mark.anyio


async def _follow(client: httpx.AsyncClient, who: NetPerson, username: str) -> httpx.Response:
    return await client.post(f"{API}/people/{username}/follow", headers=who.headers)


async def _unfollow(client: httpx.AsyncClient, who: NetPerson, username: str) -> httpx.Response:
    return await client.delete(f"{API}/people/{username}/follow", headers=who.headers)


async def _names(client: httpx.AsyncClient, path: str, who: NetPerson | None = None, **params: Any) -> list[str]:
    response = await client.get(f"{API}/{path}", headers=who.headers if who else {}, params=params)
    assert response.status_code == 200, response.text
    return [item["username"] for item in response.json()["items"]]


async def _counts(app: FastAPI, person: NetPerson) -> tuple[int, int]:
    row = await person_row(app, person.id)
    return row.followers_count, row.following_count


async def _true_counts(app: FastAPI, person: NetPerson) -> tuple[int, int]:
    """Counted from the follow rows, to hold the stored counters to."""
    async with app.state.resources.db.sessions() as session:
        active = select(func.count()).select_from(NetworkFollow).where(NetworkFollow.state == "active")
        followers = await session.scalar(active.where(NetworkFollow.followee_id == int(person.id)))
        following = await session.scalar(active.where(NetworkFollow.follower_id == int(person.id)))
    return int(followers or 0), int(following or 0)


async def test_following_a_public_account_is_immediate(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    grace = await make_person(app, "grace")
    response = await _follow(client, ada, "Grace")
    assert response.status_code == 200, response.text
    assert response.json() == {"state": "following", "followers_count": 1}
    # Again: nothing changes.
    assert (await _follow(client, ada, "grace")).json() == {"state": "following", "followers_count": 1}
    assert await _counts(app, grace) == (1, 0)
    assert await _counts(app, ada) == (0, 1)
    assert await _names(client, "people/grace/followers") == ["ada"]
    assert await _names(client, "people/ada/following") == ["grace"]

    assert (await _unfollow(client, ada, "grace")).json() == {"state": "none", "followers_count": 0}
    assert (await _unfollow(client, ada, "grace")).json() == {"state": "none", "followers_count": 0}
    assert await _counts(app, grace) == (0, 0)
    assert await _counts(app, ada) == (0, 0)
    assert await _names(client, "people/grace/followers") == []


async def test_follow_needs_sign_in_and_a_person(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    await make_person(app, "grace")
    assert (await client.post(f"{API}/people/grace/follow")).status_code == 401
    assert (await _follow(client, ada, "nobody")).status_code == 404
    itself = await _follow(client, ada, "ADA")
    assert itself.status_code == 422
    assert problem(itself)["title"] == "You cannot follow yourself"
    assert await _counts(app, ada) == (0, 0)


async def test_a_private_account_gets_requests_it_can_accept_or_decline(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    grace = await make_person(app, "grace", private=True)
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    assert (await _follow(client, ada, "grace")).json() == {"state": "requested", "followers_count": 0}
    assert (await _follow(client, bob, "grace")).json()["state"] == "requested"
    view = (await client.get(f"{API}/people/grace", headers=ada.headers)).json()
    assert view["requested_by_viewer"] is True
    assert view["followed_by_viewer"] is False

    requests = (await client.get(f"{API}/me/follow-requests", headers=grace.headers)).json()
    assert [r["person"]["username"] for r in requests["items"]] == ["bob", "ada"]
    by_name = {r["person"]["username"]: r["id"] for r in requests["items"]}
    assert all(isinstance(i, str) and i.isdigit() for i in by_name.values())
    assert await _counts(app, grace) == (0, 0)

    accept = await client.post(f"{API}/me/follow-requests/{by_name['ada']}/accept", headers=grace.headers)
    assert accept.status_code == 204
    decline = await client.post(f"{API}/me/follow-requests/{by_name['bob']}/decline", headers=grace.headers)
    assert decline.status_code == 204
    assert await _counts(app, grace) == (1, 0)
    assert await _counts(app, ada) == (0, 1)
    assert await _counts(app, bob) == (0, 0)
    assert (await client.get(f"{API}/me/follow-requests", headers=grace.headers)).json()["items"] == []
    # Answered requests are gone; nobody else can answer them either.
    again = await client.post(f"{API}/me/follow-requests/{by_name['ada']}/accept", headers=grace.headers)
    assert again.status_code == 404
    for bad in ("nope", "0", "99999999999999999999999"):
        assert (await client.post(f"{API}/me/follow-requests/{bad}/accept", headers=grace.headers)).status_code == 404
    view = (await client.get(f"{API}/people/grace", headers=ada.headers)).json()
    assert view["followed_by_viewer"] is True
    assert view["requested_by_viewer"] is False


async def test_only_the_account_answers_its_requests(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace", private=True)
    ada = await make_person(app, "ada")
    await _follow(client, ada, "grace")
    request_id = (await client.get(f"{API}/me/follow-requests", headers=grace.headers)).json()["items"][0]["id"]
    for action in ("accept", "decline"):
        response = await client.post(f"{API}/me/follow-requests/{request_id}/{action}", headers=ada.headers)
        assert response.status_code == 404
    assert (await client.post(f"{API}/me/follow-requests/{request_id}/accept")).status_code == 401
    assert await _counts(app, grace) == (0, 0)


async def test_a_request_can_be_withdrawn(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace", private=True)
    ada = await make_person(app, "ada")
    await _follow(client, ada, "grace")
    assert (await _unfollow(client, ada, "grace")).json()["state"] == "none"
    assert (await client.get(f"{API}/me/follow-requests", headers=grace.headers)).json()["items"] == []
    assert await _counts(app, grace) == (0, 0)
    assert await _counts(app, ada) == (0, 0)


async def test_going_public_accepts_waiting_requests(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace", private=True)
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    await _follow(client, ada, "grace")
    await _follow(client, bob, "grace")
    response = await client.patch(f"{API}/me", json={"is_private": False}, headers=grace.headers)
    assert response.json()["followers_count"] == 2
    assert await _counts(app, ada) == (0, 1)
    assert await _counts(app, bob) == (0, 1)
    assert sorted(await _names(client, "people/grace/followers")) == ["ada", "bob"]


async def test_a_private_accounts_lists_are_for_its_followers(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace", private=True)
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    await _follow(client, ada, "grace")
    request_id = (await client.get(f"{API}/me/follow-requests", headers=grace.headers)).json()["items"][0]["id"]
    await client.post(f"{API}/me/follow-requests/{request_id}/accept", headers=grace.headers)
    await _follow(client, grace, "bob")

    for path in ("followers", "following"):
        for headers in ({}, bob.headers):
            response = await client.get(f"{API}/people/grace/{path}", headers=headers)
            assert response.status_code == 403, response.text
            body = problem(response)
            assert body["title"] == "This account is private"
            assert body["type"].endswith("/private-account")
    # Its profile stays visible, counts and all, as on Instagram.
    profile = (await client.get(f"{API}/people/grace", headers=bob.headers)).json()
    assert (profile["followers_count"], profile["following_count"], profile["is_private"]) == (1, 1, True)
    assert await _names(client, "people/grace/followers", ada) == ["ada"]
    assert await _names(client, "people/grace/following", ada) == ["bob"]
    assert await _names(client, "people/grace/following", grace) == ["bob"]
    # A pending request is not enough.
    carl = await make_person(app, "carl")
    await _follow(client, carl, "grace")
    assert (await client.get(f"{API}/people/grace/followers", headers=carl.headers)).status_code == 403


async def test_lists_are_paginated_newest_first(client: httpx.AsyncClient, app: FastAPI) -> None:
    star = await make_person(app, "star")
    fans = [await make_person(app, f"fan{n}") for n in range(5)]
    for fan in fans:
        await _follow(client, fan, "star")
    first = (await client.get(f"{API}/people/star/followers", params={"limit": 2})).json()
    assert [i["username"] for i in first["items"]] == ["fan4", "fan3"]
    assert first["next_cursor"]
    second = (
        await client.get(f"{API}/people/star/followers", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    third = (
        await client.get(f"{API}/people/star/followers", params={"limit": 2, "cursor": second["next_cursor"]})
    ).json()
    assert [i["username"] for i in second["items"] + third["items"]] == ["fan2", "fan1", "fan0"]
    assert third["next_cursor"] is None
    assert (await client.get(f"{API}/people/star/followers", params={"cursor": "junk"})).status_code == 422
    assert (await client.get(f"{API}/people/star/followers", params={"limit": 0})).status_code == 422
    assert await _counts(app, star) == (5, 0)


async def test_counts_stay_exact_under_concurrent_follows(client: httpx.AsyncClient, app: FastAPI) -> None:
    star = await make_person(app, "star")
    fans = [await make_person(app, f"fan{n}") for n in range(12)]
    results: list[int] = []

    async def act(method: str, fan: NetPerson, username: str) -> None:
        response = await client.request(method, f"{API}/people/{username}/follow", headers=fan.headers)
        results.append(response.status_code)

    # Everyone follows the star at once, several times each, and follows one another both ways.
    async with anyio.create_task_group() as group:
        for fan in fans:
            for _ in range(3):
                group.start_soon(act, "POST", fan, "star")
            group.start_soon(act, "POST", fan, fans[(fans.index(fan) + 1) % len(fans)].username)
            group.start_soon(act, "POST", fan, fans[(fans.index(fan) - 1) % len(fans)].username)
    assert set(results) == {200}, results
    assert await _counts(app, star) == (12, 0) == await _true_counts(app, star)
    for fan in fans:
        assert await _counts(app, fan) == (2, 3) == await _true_counts(app, fan)

    # Then half unfollow while the others follow again and unfollow, at once.
    results.clear()
    async with anyio.create_task_group() as group:
        for n, fan in enumerate(fans):
            group.start_soon(act, "DELETE", fan, "star")
            if n % 2:
                group.start_soon(act, "POST", fan, "star")
                group.start_soon(act, "DELETE", fan, "star")
    assert set(results) == {200}, results
    async with app.state.resources.db.sessions() as session:
        rows = list(await session.scalars(select(NetworkPerson)))
    for row in rows:
        person = NetPerson(str(row.id), row.username, row.email, "", "")
        assert (row.followers_count, row.following_count) == await _true_counts(app, person), row.username
