"""User tags: people tagged on a post's images, told of it, and shown on their profile's "Tagged" grid."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from .helpers import API, NetPerson, fields, make_person, problem
from .test_posts import counts, create, created, jpeg

pytestmark = pytest.mark.anyio


def _tags(*tags: dict[str, Any]) -> str:
    return json.dumps(list(tags))


async def _tagged(client: httpx.AsyncClient, username: str, who: NetPerson | None = None) -> list[str]:
    response = await client.get(f"{API}/people/{username}/tagged", headers=who.headers if who else {})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_tagged_people_show_on_the_post_are_told_and_find_it_on_their_profile(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    nina = await make_person(app, "nina")
    ada = await make_person(app, "ada")
    bob = await make_person(app, "Bob.B")
    tags = _tags(
        {"username": "bob.b", "x": 0.75, "y": 0.5, "media": 1},
        {"username": "@Ada", "x": 0.1, "y": 0.2},
    )
    post = await created(client, nina, jpeg(), jpeg(), caption="with friends", user_tags=tags)

    assert [(tag["person"]["username"], tag["media_position"], tag["x"], tag["y"]) for tag in post["user_tags"]] == [
        ("ada", 0, 0.1, 0.2),
        ("Bob.B", 1, 0.75, 0.5),
    ]
    fetched = await client.get(f"{API}/posts/{post['id']}", headers=ada.headers)
    assert fetched.json()["user_tags"] == post["user_tags"]

    for who in (ada, bob):
        notes = await client.get(f"{API}/notifications", headers=who.headers)
        assert [(note["kind"], note["actor"]["username"], note["post_id"]) for note in notes.json()["items"]] == [
            ("tag", "nina", post["id"])
        ]
    assert await _tagged(client, "ada") == [post["id"]]
    assert await _tagged(client, "bob.b", ada) == [post["id"]]
    assert await _tagged(client, "nina") == []

    assert (await client.post(f"{API}/people/nina/follow", headers=ada.headers)).status_code == 200
    feed = await client.get(f"{API}/feed", headers=ada.headers)
    [item] = feed.json()["items"]
    assert [tag["person"]["username"] for tag in item["user_tags"]] == ["ada", "Bob.B"]

    assert (await client.delete(f"{API}/posts/{post['id']}", headers=nina.headers)).status_code == 204
    assert await _tagged(client, "ada") == []


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (_tags({"username": "nobody", "x": 0.5, "y": 0.5}), "No account called @nobody"),
        ("not json", "JSON array"),
        (_tags({"username": "ada", "x": 1.5, "y": 0.5}), "JSON array"),
        (_tags({"username": "ada"}), "Say where @ada is"),
        (_tags({"username": "ada", "x": 0.5, "y": 0.5, "media": 1}), "image 2, but the post has 1"),
        (_tags({"username": "ada", "x": 0.5, "y": 0.5}, {"username": "ADA", "x": 0.1, "y": 0.1}), "tagged twice"),
        (_tags(*({"username": f"p{index}", "x": 0.5, "y": 0.5} for index in range(21))), "at most 20"),
    ],
)
async def test_bad_tags_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, app: FastAPI, tags: str, message: str
) -> None:
    nina = await make_person(app, "nina")
    await make_person(app, "ada")
    before = await counts(app)

    response = await create(client, nina, jpeg(), caption="hello", user_tags=tags)

    assert response.status_code == 422, response.text
    assert fields(response) == ["user_tags"]
    assert message in problem(response)["detail"]
    assert await counts(app) == before


async def test_blocked_people_cannot_be_tagged_either_way(client: httpx.AsyncClient, app: FastAPI) -> None:
    nina = await make_person(app, "nina")
    ada = await make_person(app, "ada")
    await make_person(app, "bob")
    assert (await client.post(f"{API}/people/nina/block", headers=ada.headers)).status_code == 200
    assert (await client.post(f"{API}/people/bob/block", headers=nina.headers)).status_code == 200
    for username in ("ada", "bob"):
        response = await create(client, nina, jpeg(), user_tags=_tags({"username": username, "x": 0.5, "y": 0.5}))
        assert response.status_code == 422, response.text
        assert f"@{username}" in problem(response)["detail"]


async def test_stories_cannot_tag(client: httpx.AsyncClient, app: FastAPI) -> None:
    nina = await make_person(app, "nina")
    await make_person(app, "ada")
    response = await create(client, nina, jpeg(), kind="story", user_tags=_tags({"username": "ada", "x": 0, "y": 0}))
    assert response.status_code == 422
    assert fields(response) == ["user_tags"]


async def test_the_tagged_grid_shows_a_post_only_where_its_author_is_seen(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    secret = await make_person(app, "secret", private=True)
    await make_person(app, "ada")
    reader = await make_person(app, "reader")
    post = await created(client, secret, jpeg(), user_tags=_tags({"username": "ada", "x": 0.5, "y": 0.5}))

    assert await _tagged(client, "ada", reader) == []
    assert await _tagged(client, "ada", secret) == [post["id"]]
