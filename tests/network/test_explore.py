"""Explore: the most engaging posts of public accounts of the last week, and the hashtags most used lately."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from viewfinder.kit.clock import utcnow
from viewfinder.network.social.service import explore

from .helpers import API, NetPerson, make_person
from .test_posts import created, jpeg

pytestmark = pytest.mark.anyio


async def _get(client: httpx.AsyncClient, path: str, who: NetPerson | None = None, **params: int) -> list[Any]:
    response = await client.get(f"{API}{path}", headers=who.headers if who else {}, params=params)
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    items: list[Any] = response.json()["items"]
    return items


async def _like(client: httpx.AsyncClient, post_id: str, fans: list[NetPerson]) -> None:
    for fan in fans:
        assert (await client.post(f"{API}/posts/{post_id}/like", headers=fan.headers)).status_code == 200


async def _forget_rankings(app: FastAPI) -> None:
    await app.state.resources.cache.delete(explore.POSTS_KEY, explore.HASHTAGS_KEY)


async def test_explore_ranks_public_recent_posts_without_ones_own_or_blocked(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    hidden = await make_person(app, "hidden", private=True)
    fans = [await make_person(app, f"fan{index}") for index in range(3)]
    top = (await created(client, ada, jpeg(), caption="#sunset over the bay"))["id"]
    middle = (await created(client, bob, jpeg(), caption="#sunset again #beach"))["id"]
    low = (await created(client, ada, jpeg(), caption="#beach day"))["id"]
    private = (await created(client, hidden, jpeg(), caption="#sunset #sunset secret"))["id"]
    await _like(client, top, fans)
    await _like(client, middle, fans[:2])
    await _like(client, private, [hidden])  # its author may; others do not see it

    posts = await _get(client, "/explore/posts")
    assert [item["id"] for item in posts] == [top, middle, low]
    assert posts[0]["like_count"] == 3
    assert posts[0]["thumbnail_url"]
    assert [item["id"] for item in await _get(client, "/explore/posts", ada)] == [middle]  # not one's own
    assert [item["id"] for item in await _get(client, "/explore/posts", fans[0], limit=1)] == [top]

    assert (await client.post(f"{API}/people/bob/block", headers=fans[0].headers)).status_code == 200
    assert [item["id"] for item in await _get(client, "/explore/posts", fans[0])] == [top, low]
    assert [item["id"] for item in await _get(client, "/explore/posts", bob)] == [top, low]
    # A deleted post leaves at once, though the ranking is cached.
    assert (await client.delete(f"{API}/posts/{top}", headers=ada.headers)).status_code == 204
    assert [item["id"] for item in await _get(client, "/explore/posts")] == [middle, low]

    hashtags = await _get(client, "/explore/hashtags")
    assert hashtags == [{"name": "beach", "recent_post_count": 2}, {"name": "sunset", "recent_post_count": 1}]

    later = utcnow() + timedelta(days=explore.EXPLORE_DAYS + 1)
    monkeypatch.setattr(explore, "utcnow", lambda: later)
    await _forget_rankings(app)
    assert await _get(client, "/explore/posts") == []
    assert await _get(client, "/explore/hashtags") == []


async def test_limits_are_checked(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{API}/explore/posts", params={"limit": 0})).status_code == 422
    assert (await client.get(f"{API}/explore/hashtags", params={"limit": 51})).status_code == 422
