"""Blocks: they end follows and requests both ways, and hide the blocker from the blocked person."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from .helpers import API, NetPerson, make_person, person_row, problem

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


async def test_comments_of_blocked_relations_are_left_out_both_ways(client: httpx.AsyncClient, app: FastAPI) -> None:
    from .test_posts import created, jpeg

    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    carl = await make_person(app, "carl")
    post_id = (await created(client, ada, jpeg(), caption="open to all"))["id"]

    async def comment(who: NetPerson, text: str, reply_to: str | None = None) -> str:
        body = {"text": text} | ({"reply_to": reply_to} if reply_to else {})
        response = await client.post(f"{API}/posts/{post_id}/comments", headers=who.headers, json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    by_bob = await comment(bob, "bob here")
    by_carl = await comment(carl, "carl here")
    await comment(bob, "bob replies to carl", by_carl)
    await comment(ada, "ada replies to carl", by_carl)
    assert (await client.post(f"{API}/people/ada/follow", headers=carl.headers)).status_code == 200
    assert (await client.post(f"{API}/people/bob/block", headers=carl.headers)).status_code == 200

    async def seen_by(who: NetPerson) -> list[str]:
        response = await client.get(f"{API}/posts/{post_id}/comments", headers=who.headers)
        assert response.status_code == 200, response.text
        return [
            text
            for item in response.json()["items"]
            for text in [item["text"], *(reply["text"] for reply in item["replies"])]
        ]

    assert await seen_by(carl) == ["carl here", "ada replies to carl"]
    assert await seen_by(bob) == ["bob here"]  # carl blocked him: carl's comment and its replies are gone
    assert await seen_by(ada) == ["bob here", "carl here", "bob replies to carl", "ada replies to carl"]
    replies = await client.get(f"{API}/comments/{by_carl}/replies", headers=carl.headers)
    assert [item["text"] for item in replies.json()["items"]] == ["ada replies to carl"]
    feed = await client.get(f"{API}/feed", headers=carl.headers)
    [item] = feed.json()["items"]
    assert [first["text"] for first in item["first_comments"]] == ["carl here"]
    assert by_bob not in [first["id"] for first in item["first_comments"]]
