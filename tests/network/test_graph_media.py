"""Media through the Graph: the account's media, stories and tags edges, media objects by id with their fields and
children, keyset paging to the end with absolute `next` links, and what stays out of sight (others' stories,
private and blocked accounts' posts)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from tests.kit.test_video import mp4
from viewfinder.kit.clock import utcnow
from viewfinder.network.social.models import NetworkPerson, NetworkPost, NetworkPostMedia, PostKind
from viewfinder.network.social.service import people
from viewfinder.network.social.service import posts as posts_service

from .graph_helpers import GRAPH, graph_error, graph_token, make_business
from .helpers import make_person
from .test_posts import jpeg

pytestmark = pytest.mark.anyio

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000")
BASE = "http://testserver"


async def make_post(
    app: FastAPI,
    username: str,
    caption: str = "",
    *,
    images: int = 1,
    kind: PostKind = PostKind.FEED,
    video: bytes | None = None,
    alt_texts: Sequence[str] | None = None,
    user_tags: str | None = None,
) -> str:
    """A post made by the network's own service, as its site makes them; its id."""
    resources = app.state.resources
    uploads = [posts_service.Upload(video)] if video else [posts_service.Upload(jpeg()) for _ in range(images)]
    async with resources.db.unit_of_work() as session:
        author = await session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == username.lower()))
        assert author is not None
        post = await posts_service.create_post(
            session,
            resources.storage,
            author,
            uploads=uploads,
            caption=caption or None,
            location=None,
            alt_texts=alt_texts,
            kind=kind,
            user_tags=user_tags,
        )
    return str(post.id)


async def media_ids(app: FastAPI, post_id: str) -> list[str]:
    async with app.state.resources.db.sessions() as session:
        rows = await session.scalars(
            select(NetworkPostMedia.id)
            .where(NetworkPostMedia.post_id == int(post_id))
            .order_by(NetworkPostMedia.position)
        )
        return [str(row) for row in rows]


async def get(client: httpx.AsyncClient, token: str, path: str, **params: str) -> httpx.Response:
    return await client.get(f"{GRAPH}/{path}", params={"access_token": token, **params})


async def ok(client: httpx.AsyncClient, token: str, path: str, **params: str) -> dict[str, Any]:
    response = await get(client, token, path, **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


async def follow_next(client: httpx.AsyncClient, first: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page from the first, following `paging.next` (absolute) until it is absent."""
    pages = [first]
    while "next" in pages[-1].get("paging", {}):
        link = pages[-1]["paging"]["next"]
        assert link.startswith(f"{BASE}/network/graph/v21.0/")
        response = await client.get(link)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        assert len(pages) < 20
    return pages


MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,media_url,thumbnail_url,permalink,shortcode,timestamp,like_count,"
    "comments_count,username,is_comment_enabled,alt_text,owner{id,username},"
    "children{id,media_type,media_url,permalink,timestamp}"
)


async def test_the_media_edge_answers_posts_reels_and_carousels_in_instagrams_shape(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await make_business(app)
    token = await graph_token(app)
    album = await make_post(app, "lumen.coffee", "Two cups", images=2, alt_texts=["Left cup", "Right cup"])
    single = await make_post(app, "lumen.coffee", "Flat white #coffee")
    reel = await make_post(app, "lumen.coffee", "Pouring", kind=PostKind.REEL, video=mp4(3))
    await make_post(app, "lumen.coffee", kind=PostKind.STORY)  # a story is never in `media`

    body = await ok(client, token, "me/media", fields=MEDIA_FIELDS)
    assert [item["id"] for item in body["data"]] == [reel, single, album]  # newest first
    assert set(body["paging"]["cursors"]) == {"before", "after"}
    assert "next" not in body["paging"]  # one page holds them all

    reel_item, single_item, album_item = body["data"]
    assert list(single_item) == [
        "id",
        "caption",
        "media_type",
        "media_product_type",
        "media_url",
        "permalink",
        "shortcode",
        "timestamp",
        "like_count",
        "comments_count",
        "username",
        "is_comment_enabled",
        "owner",
        "children",
    ]  # in the order asked; no thumbnail (not a video), no alt text (none given)
    assert single_item["caption"] == "Flat white #coffee"
    assert (single_item["media_type"], single_item["media_product_type"]) == ("IMAGE", "FEED")
    assert single_item["permalink"] == f"{BASE}/network/p/{single}"
    assert TIMESTAMP.fullmatch(single_item["timestamp"])
    assert (single_item["like_count"], single_item["comments_count"], single_item["is_comment_enabled"]) == (0, 0, True)
    assert single_item["username"] == "lumen.coffee"
    assert single_item["owner"] == {"id": owner.id, "username": "lumen.coffee"}
    assert re.fullmatch(r"[A-Za-z0-9_-]+", single_item["shortcode"])
    image = await client.get(single_item["media_url"])  # absolute, and served by the network
    assert single_item["media_url"].startswith(BASE)
    assert (image.status_code, image.headers["content-type"]) == (200, "image/jpeg")

    assert (reel_item["media_type"], reel_item["media_product_type"]) == ("VIDEO", "REELS")
    video = await client.get(reel_item["media_url"])
    assert (video.status_code, video.headers["content-type"]) == (200, "video/mp4")
    poster = await client.get(reel_item["thumbnail_url"])
    assert (poster.status_code, poster.headers["content-type"]) == (200, "image/jpeg")

    assert (album_item["media_type"], album_item["media_product_type"]) == ("CAROUSEL_ALBUM", "FEED")
    assert "alt_text" not in album_item  # the album has none of its own; its items do
    children = album_item["children"]
    assert list(children) == ["data"]  # no paging for a carousel's items, as on Instagram
    first, second = await media_ids(app, album)
    assert [child["id"] for child in children["data"]] == [first, second]
    assert list(children["data"][0]) == ["id", "media_type", "media_url", "permalink", "timestamp"]
    assert children["data"][0]["media_type"] == "IMAGE"
    assert children["data"][1]["permalink"] == f"{BASE}/network/p/{album}?img_index=2"
    assert album_item["media_url"] == children["data"][0]["media_url"]  # an album shows its first item

    # Without fields, each item is its id alone.
    plain = await ok(client, token, f"{owner.id}/media")
    assert plain["data"] == [{"id": reel}, {"id": single}, {"id": album}]


async def test_paging_through_all_media_with_next_links_and_cursors(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    token = await graph_token(app)
    made = [await make_post(app, "lumen.coffee", f"Post {index}") for index in range(7)]

    first = await ok(client, token, "me/media", fields="id,caption", limit="3")
    pages = await follow_next(client, first)
    assert [len(page["data"]) for page in pages] == [3, 3, 1]
    seen = [item["id"] for page in pages for item in page["data"]]
    assert seen == list(reversed(made))  # every post exactly once, newest first
    assert "fields=id%2Ccaption" in first["paging"]["next"]
    assert "limit=3" in first["paging"]["next"]

    # `before` goes back to the page before.
    second = pages[1]
    back = await ok(client, token, "me/media", fields="id", limit="3", before=second["paging"]["cursors"]["before"])
    assert [item["id"] for item in back["data"]] == seen[:3]
    # `after` by hand, as clients following cursors do.
    after = await ok(client, token, "me/media", limit="3", after=first["paging"]["cursors"]["after"])
    assert [item["id"] for item in after["data"]] == seen[3:6]

    graph_error(await get(client, token, "me/media", after="not a cursor!"), 100)
    graph_error(await get(client, token, "me/media", limit="many"), 100)


async def test_media_objects_by_id_and_what_the_token_may_see(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    token = await graph_token(app)
    await make_person(app, "neighbour")
    await make_person(app, "hidden", private=True)
    await make_person(app, "blocker")
    own = await make_post(app, "lumen.coffee", "Ours", images=2)
    public = await make_post(app, "neighbour", "Hello @lumen.coffee")
    private = await make_post(app, "hidden", "Only followers")
    blocked = await make_post(app, "blocker", "Not for you")
    others_story = await make_post(app, "neighbour", kind=PostKind.STORY)
    async with app.state.resources.db.unit_of_work() as session:
        blocker = await session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == "blocker"))
        assert blocker is not None
        await people.block(session, blocker, "lumen.coffee")

    mine = await ok(client, token, own, fields="id,media_type,children{id}")
    assert mine["media_type"] == "CAROUSEL_ALBUM"
    child_id = mine["children"]["data"][1]["id"]
    child = await ok(client, token, child_id, fields="id,media_type,permalink,caption,like_count")
    assert child == {"id": child_id, "media_type": "IMAGE", "permalink": f"{BASE}/network/p/{own}?img_index=2"}

    theirs = await ok(client, token, public, fields="id,caption,username")
    assert theirs == {"id": public, "caption": "Hello @lumen.coffee", "username": "neighbour"}
    for hidden in (private, blocked, others_story, "99999999"):
        assert graph_error(await get(client, token, hidden, fields="id"), 100, 33)
    graph_error(await get(client, token, own, fields="id,view_count_of_everything"), 100)


async def test_stories_are_the_owners_and_only_while_they_last(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    await make_business(app, "other.shop", name="Other Shop")
    token = await graph_token(app)
    expired = await make_post(app, "lumen.coffee", kind=PostKind.STORY)
    live = await make_post(app, "lumen.coffee", kind=PostKind.STORY)
    clip = await make_post(app, "lumen.coffee", kind=PostKind.STORY, video=mp4(2))
    await make_post(app, "lumen.coffee", "A feed post")
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkPost).where(NetworkPost.id == int(expired)).values(expires_at=utcnow() - timedelta(minutes=1))
        )

    body = await ok(client, token, "me/stories", fields="id,media_type,media_product_type,permalink,username")
    assert [item["id"] for item in body["data"]] == [clip, live]
    assert body["data"][1] == {
        "id": live,
        "media_type": "IMAGE",
        "media_product_type": "STORY",
        "permalink": f"{BASE}/network/stories/lumen.coffee",
        "username": "lumen.coffee",
    }
    assert body["data"][0]["media_type"] == "VIDEO"
    assert (await ok(client, token, live, fields="media_product_type"))["media_product_type"] == "STORY"
    graph_error(await get(client, token, expired, fields="id"), 100, 33)  # gone after 24 hours, even for its owner

    # Another account's stories are not the token's to read, even through business discovery.
    refused = await get(client, token, "me", fields="business_discovery.username(other.shop){stories{id}}")
    graph_error(refused, 10)


async def test_the_tags_edge_lists_posts_the_account_is_tagged_in_that_it_may_see(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await make_business(app)
    token = await graph_token(app)
    for username, private in (("friend", False), ("secret", True), ("rude", False)):
        await make_person(app, username, private=private)
    tag = '[{"username": "lumen.coffee", "x": 0.5, "y": 0.5}]'
    first = await make_post(app, "friend", "With Lumen", user_tags=tag)
    await make_post(app, "friend", "Without tags")
    await make_post(app, "secret", "Private tag", user_tags=tag)
    await make_post(app, "rude", "Later blocked", user_tags=tag)
    second = await make_post(app, "friend", "Again", user_tags=tag)
    async with app.state.resources.db.unit_of_work() as session:
        business = await session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == "lumen.coffee"))
        assert business is not None
        await people.block(session, business, "rude")

    body = await ok(client, token, "me/tags", fields="id,caption,username,media_type", limit="1")
    pages = await follow_next(client, body)
    assert [item["id"] for page in pages for item in page["data"]] == [second, first]
    assert pages[0]["data"][0] == {"id": second, "caption": "Again", "username": "friend", "media_type": "IMAGE"}


async def test_several_nodes_at_once_by_ids(client: httpx.AsyncClient, app: FastAPI) -> None:
    me = await make_business(app)
    token = await graph_token(app)
    first, second = await make_post(app, "lumen.coffee", "One"), await make_post(app, "lumen.coffee", "Two")

    body = await ok(client, token, "", ids=f"{first},{second},{me.id}", fields="id")
    assert body == {first: {"id": first}, second: {"id": second}, me.id: {"id": me.id}}
    captions = await ok(client, token, "", ids=f"{second},{first}", fields="caption")
    # Each node names itself even when `id` is not asked for.
    assert captions == {second: {"caption": "Two", "id": second}, first: {"caption": "One", "id": first}}

    graph_error(await get(client, token, "", ids=f"{first},123"), 100, 33)
    graph_error(await get(client, token, ""), 2500)
