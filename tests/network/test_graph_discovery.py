"""Business discovery (another professional account's public profile and media, with nested paging) and the media
and comments that mention the token's account, read through the Graph."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from viewfinder.network.social.models import NetworkPerson
from viewfinder.network.social.service import people

from .graph_helpers import graph_error, graph_token, make_business
from .helpers import API, make_person
from .test_graph_media import get, make_post, ok

pytestmark = pytest.mark.anyio

PROFILE = "id,username,name,biography,followers_count,media_count"


def discovery(username: str, inner: str) -> str:
    return f"business_discovery.username({username}){{{inner}}}"


async def test_business_discovery_reads_a_public_profile_and_pages_its_media(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    me = await make_business(app)
    rival = await make_business(app, "rival.roasters", name="Rival Roasters")
    token = await graph_token(app)
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkPerson).where(NetworkPerson.id == int(rival.id)).values(bio="Beans since 1990")
        )
    made = [await make_post(app, "rival.roasters", f"Roast {index}") for index in range(5)]

    fields = discovery("Rival.Roasters", f"{PROFILE},media.limit(2){{id,caption,like_count,comments_count}}")
    body = await ok(client, token, "me", fields=fields)
    assert list(body) == ["business_discovery", "id"]  # Graph names the node answered, asked or not
    assert body["id"] == me.id
    found = body["business_discovery"]
    assert {key: found[key] for key in PROFILE.split(",")} == {
        "id": rival.id,
        "username": "rival.roasters",
        "name": "Rival Roasters",
        "biography": "Beans since 1990",
        "followers_count": 0,
        "media_count": 5,
    }
    media = found["media"]
    assert [item["id"] for item in media["data"]] == [made[4], made[3]]
    assert media["data"][0] == {"id": made[4], "caption": "Roast 4", "like_count": 0, "comments_count": 0}
    assert "next" not in media["paging"]  # nested lists page by their cursors, as in Instagram's answers

    # Following the `after` cursor reaches every post exactly once.
    seen = [item["id"] for item in media["data"]]
    after = media["paging"]["cursors"]["after"]
    for _ in range(5):
        nested = discovery("rival.roasters", f"media.limit(2).after({after}){{id}}")
        page = (await ok(client, token, me.id, fields=f"id,{nested}"))["business_discovery"]["media"]
        seen += [item["id"] for item in page["data"]]
        if len(page["data"]) < 2:
            break
        after = page["paging"]["cursors"]["after"]
    assert seen == list(reversed(made))


async def test_business_discovery_refuses_personal_unknown_and_blocked_accounts(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await make_business(app)
    await make_person(app, "just.a.person")
    await make_business(app, "grumpy.shop", name="Grumpy")
    token = await graph_token(app)
    async with app.state.resources.db.unit_of_work() as session:
        grumpy = await session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == "grumpy.shop"))
        assert grumpy is not None
        await people.block(session, grumpy, "lumen.coffee")

    for username in ("just.a.person", "nobody.here", "grumpy.shop"):
        response = await get(client, token, "me", fields=discovery(username, "id,username"))
        assert response.status_code == 400
        error = graph_error(response, 110, 2207013)
        assert error["error_user_title"] == "Cannot find User"
        assert error["error_user_msg"] == f"The user with username: {username} cannot be found."
    graph_error(await get(client, token, "me", fields="business_discovery{id}"), 100)  # no username given


async def test_mentioned_media_and_mentioned_comment(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    token = await graph_token(app)
    fan = await make_person(app, "fan")
    await make_person(app, "quiet", private=True)
    mention = await make_post(app, "fan", "Best cup at @lumen.coffee today")
    plain = await make_post(app, "fan", "No mention here")
    private = await make_post(app, "quiet", "Hidden shout-out to @lumen.coffee")

    fields = f"mentioned_media.media_id({mention}){{id,caption,media_type,like_count,username}}"
    body = await ok(client, token, "me", fields=fields)
    assert body["mentioned_media"] == {
        "id": mention,
        "caption": "Best cup at @lumen.coffee today",
        "media_type": "IMAGE",
        "like_count": 0,
        "username": "fan",
    }
    for other in (plain, private, "123"):
        graph_error(await get(client, token, "me", fields=f"mentioned_media.media_id({other}){{id}}"), 100)
    graph_error(await get(client, token, "me", fields="mentioned_media{id}"), 100)

    said = await client.post(f"{API}/posts/{plain}/comments", headers=fan.headers, json={"text": "@lumen.coffee hi"})
    assert said.status_code == 201, said.text
    unrelated = await client.post(f"{API}/posts/{plain}/comments", headers=fan.headers, json={"text": "just a comment"})
    comment_id, other_id = said.json()["id"], unrelated.json()["id"]
    answer: dict[str, Any] = await ok(
        client, token, "me", fields=f"mentioned_comment.comment_id({comment_id}){{id,text,username}}"
    )
    assert answer["mentioned_comment"] == {"id": comment_id, "text": "@lumen.coffee hi", "username": "fan"}
    graph_error(await get(client, token, "me", fields=f"mentioned_comment.comment_id({other_id}){{id}}"), 100)
