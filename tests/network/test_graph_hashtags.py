"""Hashtag search through the Graph: `ig_hashtag_search` and its weekly quota, the Hashtag node, and the public
posts of its `recent_media` (last 24 hours) and `top_media` (most engaging) edges."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from viewfinder.kit.clock import utcnow
from viewfinder.network.graph.models import NetworkHashtagSearch
from viewfinder.network.graph.service import hashtags
from viewfinder.network.social.models import NetworkHashtag, NetworkPerson
from viewfinder.network.social.service import people

from .graph_helpers import graph_error, graph_token, make_business
from .helpers import API, NetPerson, make_person
from .test_graph_media import follow_next, get, make_post, ok

pytestmark = pytest.mark.anyio


async def search(client: httpx.AsyncClient, token: str, user_id: str, q: str) -> httpx.Response:
    return await get(client, token, "ig_hashtag_search", user_id=user_id, q=q)


async def hashtag_id(client: httpx.AsyncClient, token: str, user_id: str, q: str) -> str:
    response = await search(client, token, user_id, q)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    [found] = body["data"]
    assert list(found) == ["id"]
    return str(found["id"])


async def test_search_answers_one_stable_id_per_hashtag(client: httpx.AsyncClient, app: FastAPI) -> None:
    me = await make_business(app)
    token = await graph_token(app)
    await make_person(app, "poster")
    await make_post(app, "poster", "Morning #Coffee")

    coffee = await hashtag_id(client, token, me.id, "coffee")
    async with app.state.resources.db.sessions() as session:
        assert str(await session.scalar(select(NetworkHashtag.id).where(NetworkHashtag.name == "coffee"))) == coffee
    assert await hashtag_id(client, token, me.id, "#COFFEE") == coffee  # normalised as captions are
    fresh = await hashtag_id(client, token, me.id, "neverusedyet")  # made on first search
    assert fresh != coffee
    assert await ok(client, token, fresh, fields="id,name") == {"id": fresh, "name": "neverusedyet"}
    assert await ok(client, token, coffee) == {"id": coffee}

    graph_error(await search(client, token, me.id, "two words"), 100)
    graph_error(await search(client, token, me.id, "1234"), 100)
    graph_error(await get(client, token, "ig_hashtag_search", user_id=me.id), 100)  # no q
    graph_error(await get(client, token, "ig_hashtag_search", q="coffee"), 100)  # no user_id
    graph_error(await search(client, token, "17841400000000000", "coffee"), 100)  # not the token's account


async def test_thirty_distinct_hashtags_a_week_then_instagrams_error(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = await make_business(app)
    token = await graph_token(app)
    first = await hashtag_id(client, token, me.id, "tag0")
    for index in range(1, hashtags.SEARCH_QUOTA):
        await hashtag_id(client, token, me.id, f"tag{index}")
    assert await hashtag_id(client, token, me.id, "TAG0") == first  # searched already: free

    refused = await search(client, token, me.id, "onetoomany")
    assert refused.status_code == 400
    assert graph_error(refused, 24)["message"].startswith("(#24)")
    async with app.state.resources.db.sessions() as session:
        counted = await session.scalar(select(func.count()).select_from(NetworkHashtagSearch))
    assert counted == hashtags.SEARCH_QUOTA  # the refused search counted nothing, the repeat neither

    # The quota used, latest search first, paged by cursors.
    listed = await ok(client, token, "me/recently_searched_hashtags", fields="id,name", limit="20")
    pages = await follow_next(client, listed)
    names = [item["name"] for page in pages for item in page["data"]]
    assert names == [f"tag{index}" for index in reversed(range(hashtags.SEARCH_QUOTA))]
    assert pages[-1]["data"][-1] == {"id": first, "name": "tag0"}

    # Seven days after the first searches, the quota is free again.
    later = utcnow() + hashtags.SEARCH_WINDOW + timedelta(minutes=1)
    monkeypatch.setattr(hashtags, "utcnow", lambda: later)
    assert await hashtag_id(client, token, me.id, "onetoomany")


async def _like(client: httpx.AsyncClient, post_id: str, fans: list[NetPerson]) -> None:
    for fan in fans:
        assert (await client.post(f"{API}/posts/{post_id}/like", headers=fan.headers)).status_code == 200


async def test_recent_media_pages_the_last_days_public_posts(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = await make_business(app)
    token = await graph_token(app)
    for username, private in (("alice", False), ("bob", False), ("hidden", True), ("blocked", False)):
        await make_person(app, username, private=private)
    made = [
        await make_post(app, "alice" if index % 2 else "bob", f"#latte number {index}", images=2 if index == 0 else 1)
        for index in range(5)
    ]
    await make_post(app, "hidden", "#latte in private")
    await make_post(app, "blocked", "#latte from someone blocked")
    await make_post(app, "alice", "#espresso only")
    async with app.state.resources.db.unit_of_work() as session:
        blocker = await session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == "blocked"))
        assert blocker is not None
        await people.block(session, blocker, "lumen.coffee")
    latte = await hashtag_id(client, token, me.id, "latte")

    fields = "id,caption,media_type,media_url,permalink,timestamp,like_count,comments_count,children{id}"
    first = await ok(client, token, f"{latte}/recent_media", user_id=me.id, fields=fields, limit="2")
    assert list(first["paging"]["cursors"]) == ["after"]  # no `before`, as Instagram's hashtag lists
    pages = await follow_next(client, first)
    assert [item["id"] for page in pages for item in page["data"]] == list(reversed(made))
    assert "user_id=" in first["paging"]["next"]
    item = first["data"][0]
    assert list(item) == ["id", "caption", "media_type", "media_url", "permalink", "timestamp", "like_count",
                          "comments_count", "children"]  # fmt: skip
    assert (item["caption"], item["media_type"], item["like_count"]) == ("#latte number 4", "IMAGE", 0)

    # Instagram gives no owner of hashtag media.
    for refused_field in ("username", "owner{id}", "children{username}"):  # the oldest is a carousel
        graph_error(await get(client, token, f"{latte}/recent_media", user_id=me.id, fields=refused_field), 100)
    graph_error(await get(client, token, f"{latte}/recent_media"), 100)  # user_id is required

    later = utcnow() + timedelta(hours=25)
    monkeypatch.setattr(hashtags, "utcnow", lambda: later)
    assert (await ok(client, token, f"{latte}/recent_media", user_id=me.id))["data"] == []


async def test_top_media_ranks_public_posts_by_engagement(client: httpx.AsyncClient, app: FastAPI) -> None:
    me = await make_business(app)
    token = await graph_token(app)
    await make_person(app, "barista")
    await make_person(app, "secret", private=True)
    fans = [await make_person(app, f"fan{index}") for index in range(3)]
    quiet = await make_post(app, "barista", "#latte quiet")
    loved = await make_post(app, "barista", "#latte loved")
    liked = await make_post(app, "barista", "#latte liked")
    await make_post(app, "secret", "#latte secret")  # newer than `quiet` and as quiet, but private
    await _like(client, loved, fans)
    await _like(client, liked, fans[:1])
    latte = await hashtag_id(client, token, me.id, "latte")

    first = await ok(client, token, f"{latte}/top_media", user_id=me.id, fields="id,like_count", limit="2")
    assert first["data"] == [{"id": loved, "like_count": 3}, {"id": liked, "like_count": 1}]
    pages = await follow_next(client, first)
    assert [item["id"] for page in pages for item in page["data"]] == [loved, liked, quiet]

    nested = await ok(client, token, latte, fields=f"name,top_media.user_id({me.id}).limit(1){{id}}")
    assert nested["name"] == "latte"
    assert nested["top_media"]["data"] == [{"id": loved}]
    graph_error(await get(client, token, f"{latte}/top_media", user_id=me.id, fields="username"), 100)
