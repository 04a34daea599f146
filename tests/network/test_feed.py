"""The home feed: followed people's posts and one's own, newest first, keyset-paginated, with likes and first
comments; blocked relations left out both ways; a page costs the same number of queries whatever it holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from viewfinder.kit.clock import utcnow
from viewfinder.network.social.ids import new_id
from viewfinder.network.social.models import NetworkBlock

from .helpers import API, NetPerson, fields, make_person
from .test_posts import created, jpeg

pytestmark = pytest.mark.anyio


async def _feed(client: httpx.AsyncClient, who: NetPerson, **params: Any) -> dict[str, Any]:
    response = await client.get(f"{API}/feed", headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _follow(client: httpx.AsyncClient, who: NetPerson, username: str) -> str:
    response = await client.post(f"{API}/people/{username}/follow", headers=who.headers)
    assert response.status_code == 200, response.text
    state: str = response.json()["state"]
    return state


async def _post(client: httpx.AsyncClient, who: NetPerson, caption: str = "", *images: bytes) -> str:
    post_id: str = (await created(client, who, *images, caption=caption))["id"]
    return post_id


async def _comment(client: httpx.AsyncClient, who: NetPerson, post_id: str, text: str) -> str:
    response = await client.post(f"{API}/posts/{post_id}/comments", headers=who.headers, json={"text": text})
    assert response.status_code == 201, response.text
    comment_id: str = response.json()["id"]
    return comment_id


async def _like(client: httpx.AsyncClient, who: NetPerson, post_id: str) -> None:
    assert (await client.post(f"{API}/posts/{post_id}/like", headers=who.headers)).status_code == 200


async def _block_row_only(app: FastAPI, blocker: NetPerson, blocked: NetPerson) -> None:
    """A block written without ending the follows, so that the feed's own block check is what hides it."""
    async with app.state.resources.db.unit_of_work() as session:
        session.add(
            NetworkBlock(id=new_id(), blocker_id=int(blocker.id), blocked_id=int(blocked.id), created_at=utcnow())
        )


async def test_the_feed_shows_followed_and_own_posts_newest_first(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    grace = await make_person(app, "grace")
    hidden = await make_person(app, "hidden", private=True)
    gone = await make_person(app, "gone")
    blocked = await make_person(app, "blocked")
    blocker = await make_person(app, "blocker")
    quiet_block = await make_person(app, "quietblock")
    stranger = await make_person(app, "stranger")

    assert await _follow(client, ada, "grace") == "following"
    assert await _follow(client, ada, "hidden") == "requested"  # private: asked, not accepted
    for username in ("gone", "blocked", "blocker", "quietblock"):
        assert await _follow(client, ada, username) == "following"
    assert await _follow(client, grace, "ada") == "following"

    expected = []
    for who in (grace, ada, hidden, gone, blocked, blocker, quiet_block, stranger, grace, ada):
        post_id = await _post(client, who, f"by {who.username}")
        if who in (ada, grace):
            expected.append(post_id)
    expected.reverse()

    assert (await client.delete(f"{API}/people/gone/follow", headers=ada.headers)).status_code == 200
    assert (await client.post(f"{API}/people/blocked/block", headers=ada.headers)).status_code == 200
    assert (await client.post(f"{API}/people/ada/block", headers=blocker.headers)).status_code == 200
    await _block_row_only(app, quiet_block, ada)

    body = await _feed(client, ada)
    assert [item["id"] for item in body["items"]] == expected
    assert body["next_cursor"] is None
    first = body["items"][0]
    assert first["author"]["username"] == "ada"
    assert first["caption"] == "by ada"
    assert [set(media) >= {"url", "thumbnail_url", "width", "height", "alt_text"} for media in first["media"]] == [True]
    assert first["media"][0]["url"]
    # The same shape as the post's page, plus the first comments.
    page = (await client.get(f"{API}/posts/{first['id']}", headers=ada.headers)).json()
    assert {key: value for key, value in first.items() if key not in ("first_comments", "media")} == {
        key: value for key, value in page.items() if key != "media"
    }

    # Grace follows ada only: ada's posts and her own.
    assert len((await _feed(client, grace))["items"]) == 4
    # Someone who follows nobody sees only their own post; with none, the feed is empty.
    assert [item["caption"] for item in (await _feed(client, stranger))["items"]] == ["by stranger"]
    nobody = await make_person(app, "nobody")
    assert await _feed(client, nobody) == {"items": [], "next_cursor": None}


async def test_pages_have_no_gaps_or_repeats(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    grace = await make_person(app, "grace")
    await _follow(client, ada, "grace")
    posted = [await _post(client, grace if index % 2 else ada, f"post {index}") for index in range(7)]

    seen: list[str] = []
    cursor = None
    sizes = []
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = await _feed(client, ada, **params)
        sizes.append(len(body["items"]))
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert cursor.startswith("feed.")
        # A post added meanwhile is newer than every page: it does not shift the pages that follow.
        if len(seen) == 3:
            await _post(client, grace, "late")
    assert sizes == [3, 3, 1]
    assert seen == list(reversed(posted))

    for bad in ({"limit": 0}, {"limit": 51}, {"cursor": "grid.abc"}, {"cursor": "feed.!!"}):
        response = await client.get(f"{API}/feed", headers=ada.headers, params=bad)
        assert response.status_code == 422, (bad, response.text)
    grid_cursor = (await client.get(f"{API}/people/ada/posts", params={"limit": 1})).json()["next_cursor"]
    refused = await client.get(f"{API}/feed", headers=ada.headers, params={"cursor": grid_cursor})
    assert refused.status_code == 422
    assert fields(refused) == ["cursor"]
    assert len((await _feed(client, ada, limit=50))["items"]) == 8


async def test_likes_and_first_comments(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    grace = await make_person(app, "grace")
    bob = await make_person(app, "bob")
    await _follow(client, ada, "grace")
    liked_post = await _post(client, grace, "liked")
    other_post = await _post(client, grace, "other, with @ada and #tags")
    await _like(client, ada, liked_post)
    await _like(client, bob, other_post)

    rude = await _comment(client, bob, liked_post, "rude")
    assert (await client.post(f"{API}/comments/{rude}/hide", headers=grace.headers)).status_code == 200
    first = await _comment(client, grace, liked_post, "first")
    reply = await client.post(
        f"{API}/posts/{liked_post}/comments", headers=bob.headers, json={"text": "a reply", "reply_to": first}
    )
    assert reply.status_code == 201
    await _comment(client, ada, liked_post, "second")
    await _comment(client, bob, liked_post, "third")

    items = {item["caption"]: item for item in (await _feed(client, ada))["items"]}
    assert items["liked"]["liked_by_viewer"] is True
    assert items["liked"]["like_count"] == 1
    assert items["liked"]["comment_count"] == 4  # the hidden comment is not counted
    assert [(c["author"]["username"], c["text"]) for c in items["liked"]["first_comments"]] == [
        ("grace", "first"),
        ("ada", "second"),
    ]
    assert items["other, with @ada and #tags"]["liked_by_viewer"] is False
    assert items["other, with @ada and #tags"]["like_count"] == 1
    assert items["other, with @ada and #tags"]["first_comments"] == []
    assert [e["value"] for e in items["other, with @ada and #tags"]["caption_entities"]] == ["ada", "tags"]

    # The owner's own feed leaves the hidden comment out of the first comments too.
    own = {item["caption"]: item for item in (await _feed(client, grace))["items"]}
    assert [c["text"] for c in own["liked"]["first_comments"]] == ["first", "second"]
    assert own["liked"]["liked_by_viewer"] is False


async def test_the_feed_needs_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/feed")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@contextmanager
def _counted(app: FastAPI) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = app.state.resources.db.engine.sync_engine

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_a_page_costs_the_same_queries_whatever_it_holds(client: httpx.AsyncClient, app: FastAPI) -> None:
    small_viewer = await make_person(app, "small")
    small_author = await make_person(app, "smallauthor")
    await _follow(client, small_viewer, "smallauthor")
    for index in range(5):
        await _post(client, small_author, f"plain {index}")

    big_viewer = await make_person(app, "big")
    authors = [await make_person(app, f"author{index}") for index in range(3)]
    fans = [await make_person(app, f"fan{index}") for index in range(2)]
    for author in authors:
        await _follow(client, big_viewer, author.username)
    for index in range(21):
        author = authors[index % len(authors)]
        post_id = await _post(client, author, f"#busy {index} with @big", jpeg(), jpeg(), jpeg())
        await _like(client, big_viewer, post_id)
        for fan in fans:
            await _like(client, fan, post_id)
            await _comment(client, fan, post_id, f"comment by {fan.username}")
        await _comment(client, author, post_id, "thanks")

    # The first request of a session may record its activity; count the ones after it.
    await _feed(client, small_viewer, limit=5)
    await _feed(client, big_viewer)

    with _counted(app) as small:
        small_page = await _feed(client, small_viewer, limit=5)
    with _counted(app) as big:
        big_page = await _feed(client, big_viewer)

    assert len(small_page["items"]) == 5
    assert all(len(item["media"]) == 1 and not item["first_comments"] for item in small_page["items"])
    assert len(big_page["items"]) == 20  # the default page
    assert big_page["next_cursor"] is not None
    assert all(len(item["media"]) == 3 and len(item["first_comments"]) == 2 for item in big_page["items"])
    assert all(item["liked_by_viewer"] and item["like_count"] == 3 for item in big_page["items"])
    assert len(small) == len(big), (small, big)
    assert len(big) <= 12, big


async def test_what_never_changes_is_cached_and_an_edit_shows_at_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    viewer = await make_person(app, "reader")
    author = await make_person(app, "writer")
    await _follow(client, viewer, "writer")
    post_id = await _post(client, author, "first words #coffee with @reader", jpeg(), jpeg())
    await _feed(client, viewer)  # a session's first request may record its activity

    cache = app.state.resources.cache
    await cache.delete(f"network:post-media:{post_id}", f"network:caption-entities:{post_id}:never")
    with _counted(app) as cold:
        first = await _feed(client, viewer)
    with _counted(app) as warm:
        again = await _feed(client, viewer)
    assert again == first
    # The media and the caption's mentions come from the cache the second time.
    assert len(warm) == len(cold) - 2, (cold, warm)
    assert not any("network_post_media" in statement for statement in warm)
    [item] = again["items"]
    assert [entity["value"] for entity in item["caption_entities"]] == ["coffee", "reader"]
    assert len(item["media"]) == 2

    response = await client.patch(
        f"{API}/posts/{post_id}", headers=author.headers, json={"caption": "new words #tea, no mention"}
    )
    assert response.status_code == 200, response.text
    [edited] = (await _feed(client, viewer))["items"]
    assert edited["caption"] == "new words #tea, no mention"
    assert [entity["value"] for entity in edited["caption_entities"]] == ["tea"]

    assert (await client.delete(f"{API}/posts/{post_id}", headers=author.headers)).status_code == 204
    assert (await _feed(client, viewer))["items"] == []
