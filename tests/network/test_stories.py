"""Stories: an image or a video for 24 hours, never in the feed, the grid or posts_count; the tray (the viewer
first, unseen before seen, then newest) with its seen state, privacy and blocks; a constant cost per tray."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from tests.kit.test_video import mp4
from viewfinder.network.social.models import NetworkPost, NetworkStoryView

from .helpers import API, NetPerson, fields, make_person, person_row, problem
from .test_feed import _block_row_only, _counted
from .test_posts import counts, created, jpeg, stored_files

pytestmark = pytest.mark.anyio


async def post_story(client: httpx.AsyncClient, who: NetPerson, data: bytes, **form: Any) -> httpx.Response:
    name, content_type = ("story.mp4", "video/mp4") if data[4:8] == b"ftyp" else ("story.jpg", "image/jpeg")
    return await client.post(
        f"{API}/posts",
        headers=who.headers,
        files=[("files", (name, data, content_type))],
        data={"kind": "story"} | form,
    )


async def story(client: httpx.AsyncClient, who: NetPerson, data: bytes | None = None) -> dict[str, Any]:
    response = await post_story(client, who, data or jpeg())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def follow(client: httpx.AsyncClient, who: NetPerson, username: str) -> None:
    assert (await client.post(f"{API}/people/{username}/follow", headers=who.headers)).status_code == 200


async def tray(client: httpx.AsyncClient, who: NetPerson) -> list[tuple[str, bool]]:
    response = await client.get(f"{API}/stories", headers=who.headers)
    assert response.status_code == 200, response.text
    return [(item["person"]["username"], item["seen"]) for item in response.json()["items"]]


async def stories_of(client: httpx.AsyncClient, username: str, who: NetPerson | None = None) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/people/{username}/stories", headers=who.headers if who else None)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def seen(client: httpx.AsyncClient, who: NetPerson, story_id: str) -> int:
    return (await client.post(f"{API}/stories/{story_id}/seen", headers=who.headers)).status_code


async def expire(app: FastAPI, story_id: str) -> None:
    """Move the story's end into the past, as 24 hours passing would."""
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkPost)
            .where(NetworkPost.id == int(story_id))
            .values(expires_at=datetime.now().astimezone() - timedelta(seconds=1))
        )


async def test_a_story_lasts_24_hours_and_stays_out_of_posts(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    await follow(client, ada, "grace")
    post = await created(client, grace, caption="a post")
    image = await story(client, grace)
    clip = await story(client, grace, mp4(2))

    assert image["kind"] == "story"
    created_at = datetime.fromisoformat(image["created_at"])
    assert datetime.fromisoformat(image["expires_at"]) - created_at == timedelta(hours=24)
    assert image["media"][0]["media_type"] == "image"
    assert image["media"][0]["video_url"] is None
    assert (clip["media"][0]["media_type"], clip["media"][0]["duration_ms"]) == ("video", 2000)

    items = await stories_of(client, "grace", ada)
    assert [item["id"] for item in items] == [image["id"], clip["id"]]  # oldest first
    assert items[0]["person"]["username"] == "grace"
    assert items[0]["expires_at"] == image["expires_at"]
    assert (items[0]["seen"], items[1]["media"]["media_type"]) == (False, "video")
    assert (await client.get(items[1]["media"]["video_url"])).headers["content-type"] == "video/mp4"

    feed = (await client.get(f"{API}/feed", headers=ada.headers)).json()["items"]
    assert [item["id"] for item in feed] == [post["id"]]
    grid = (await client.get(f"{API}/people/grace/posts")).json()["items"]
    assert [item["id"] for item in grid] == [post["id"]]
    assert (await person_row(app, grace.id)).posts_count == 1
    assert (await client.get(f"{API}/people/grace")).json()["posts_count"] == 1

    assert (await client.delete(f"{API}/posts/{clip['id']}", headers=grace.headers)).status_code == 204
    assert (await person_row(app, grace.id)).posts_count == 1  # a story never counted, so its deletion does not


async def test_refused_stories_write_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    before = await counts(app)
    with_caption = await post_story(client, grace, jpeg(), caption="hello")
    assert (with_caption.status_code, fields(with_caption)) == (422, ["caption"])
    assert problem(with_caption)["detail"] == "A story has no caption."
    two = await client.post(
        f"{API}/posts",
        headers=grace.headers,
        files=[("files", ("a.jpg", jpeg(), "image/jpeg")), ("files", ("b.jpg", jpeg(), "image/jpeg"))],
        data={"kind": "story"},
    )
    assert (two.status_code, fields(two)) == (422, ["files"])
    poster = await client.post(
        f"{API}/posts",
        headers=grace.headers,
        files=[("files", ("a.jpg", jpeg(), "image/jpeg")), ("poster", ("p.jpg", jpeg(), "image/jpeg"))],
        data={"kind": "story"},
    )
    assert (poster.status_code, fields(poster)) == (422, ["poster"])
    too_long = await post_story(client, grace, mp4(61, fps=1))
    assert (too_long.status_code, fields(too_long)) == (422, ["files[0]"])
    assert problem(too_long)["detail"] == (
        "This video is 1 minute 1 second long: story videos can be at most 60 seconds."
    )
    not_media = await post_story(client, grace, b"<html></html>")
    assert (not_media.status_code, fields(not_media)) == (422, ["files[0]"])
    assert await counts(app) == before

    # Nor can a caption come later: its hashtags would put the story in the hashtag's list.
    kept = await story(client, grace)
    edit = await client.patch(f"{API}/posts/{kept['id']}", headers=grace.headers, json={"caption": "#later"})
    assert (edit.status_code, fields(edit)) == (422, ["caption"])
    assert (await client.get(f"{API}/hashtags/later/posts")).json()["items"] == []
    assert (await client.delete(f"{API}/posts/{kept['id']}", headers=grace.headers)).status_code == 204

    assert await counts(app) == before
    assert stored_files(app) == []


async def test_an_expired_story_is_gone_for_everyone_but_its_author(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    await follow(client, ada, "grace")
    old = await story(client, grace)
    assert await tray(client, ada) == [("grace", False)]
    await expire(app, old["id"])

    assert await tray(client, ada) == []
    assert await tray(client, grace) == []
    assert await stories_of(client, "grace", ada) == []
    assert await stories_of(client, "grace", grace) == []
    url = f"{API}/posts/{old['id']}"
    assert (await client.get(url, headers=ada.headers)).status_code == 404
    assert (await client.get(url)).status_code == 404
    assert (await client.post(f"{url}/like", headers=ada.headers)).status_code == 404
    assert await seen(client, ada, old["id"]) == 404
    mine = await client.get(url, headers=grace.headers)
    assert mine.status_code == 200
    assert mine.json()["kind"] == "story"

    fresh = await story(client, grace)
    assert [item["id"] for item in await stories_of(client, "grace", ada)] == [fresh["id"]]


async def test_the_tray_puts_the_viewer_first_then_unseen_then_newest(client: httpx.AsyncClient, app: FastAPI) -> None:
    viewer = await make_person(app, "viewer")
    ann, bea, cat = [await make_person(app, name) for name in ("ann", "bea", "cat")]
    quiet = await make_person(app, "quiet")  # followed, no stories
    stranger = await make_person(app, "stranger")  # not followed
    for person in (ann, bea, cat, quiet):
        await follow(client, viewer, person.username)
    assert await tray(client, viewer) == []

    ann_story = (await story(client, ann))["id"]
    bea_story = (await story(client, bea))["id"]
    await story(client, cat)
    await story(client, stranger)
    assert await tray(client, viewer) == [("cat", False), ("bea", False), ("ann", False)]
    own = (await story(client, viewer))["id"]
    assert await tray(client, viewer) == [("viewer", True), ("cat", False), ("bea", False), ("ann", False)]

    assert await seen(client, viewer, bea_story) == 204
    assert await seen(client, viewer, bea_story) == 204  # again: nothing changes
    assert await seen(client, viewer, own) == 204  # the author's own view is not recorded
    assert await tray(client, viewer) == [("viewer", True), ("cat", False), ("ann", False), ("bea", True)]
    assert [item["seen"] for item in await stories_of(client, "bea", viewer)] == [True]
    assert [item["seen"] for item in await stories_of(client, "viewer", viewer)] == [True]
    async with app.state.resources.db.sessions() as session:
        views = (await session.execute(select(NetworkStoryView.story_id, NetworkStoryView.viewer_id))).all()
    assert views == [(int(bea_story), int(viewer.id))]

    # A new story makes the person unseen again, and the newest.
    await story(client, bea)
    assert await tray(client, viewer) == [("viewer", True), ("bea", False), ("cat", False), ("ann", False)]
    assert [item["seen"] for item in await stories_of(client, "bea", viewer)] == [True, False]
    assert await seen(client, viewer, ann_story) == 204
    tray_body = (await client.get(f"{API}/stories", headers=viewer.headers)).json()
    assert set(tray_body) == {"items"}
    assert tray_body["items"][-1]["person"]["username"] == "ann"
    assert datetime.fromisoformat(tray_body["items"][1]["latest_at"]) > datetime.fromisoformat(
        tray_body["items"][2]["latest_at"]
    )

    assert (await client.get(f"{API}/stories")).status_code == 401
    assert await seen(client, viewer, "not-a-number") == 404
    assert await seen(client, viewer, (await created(client, ann))["id"]) == 404  # a post is not a story


async def test_private_stories_show_to_followers_only(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace", private=True)
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    secret = (await story(client, grace))["id"]
    await follow(client, ada, "grace")  # a request, until grace accepts it

    for who in (ada, bob, None):
        response = await client.get(f"{API}/people/grace/stories", headers=who.headers if who else None)
        assert response.status_code == 403
        assert problem(response)["type"].endswith("private-account")
    assert await tray(client, ada) == []
    assert await seen(client, ada, secret) == 404

    requests = (await client.get(f"{API}/me/follow-requests", headers=grace.headers)).json()["items"]
    accepted = await client.post(f"{API}/me/follow-requests/{requests[0]['id']}/accept", headers=grace.headers)
    assert accepted.status_code == 204
    assert await tray(client, ada) == [("grace", False)]
    assert [item["id"] for item in await stories_of(client, "grace", ada)] == [secret]
    assert await seen(client, ada, secret) == 204
    assert await tray(client, ada) == [("grace", True)]


async def test_blocked_people_are_left_out_both_ways(client: httpx.AsyncClient, app: FastAPI) -> None:
    viewer = await make_person(app, "viewer")
    blocker = await make_person(app, "blocker")
    blocked = await make_person(app, "blocked")
    for person in (blocker, blocked):
        await follow(client, viewer, person.username)
        await story(client, person)
    assert {name for name, _ in await tray(client, viewer)} == {"blocker", "blocked"}

    # Block rows alone (the follows stay), so that the tray's own block check is what hides them.
    await _block_row_only(app, blocker, viewer)
    await _block_row_only(app, viewer, blocked)
    assert await tray(client, viewer) == []
    assert (await client.get(f"{API}/people/blocker/stories", headers=viewer.headers)).status_code == 404
    blocker_story = (await stories_of(client, "blocker"))[0]["id"]
    assert await seen(client, viewer, blocker_story) == 404


async def test_a_tray_costs_the_same_queries_however_long(client: httpx.AsyncClient, app: FastAPI) -> None:
    small = await make_person(app, "small")
    friend = await make_person(app, "friend")
    await follow(client, small, "friend")
    await story(client, friend)

    big = await make_person(app, "big")
    await story(client, big)
    for index in range(6):
        author = await make_person(app, f"author{index}")
        await follow(client, big, author.username)
        for _ in range(2):
            story_id = (await story(client, author))["id"]
        if index % 2:
            assert await seen(client, big, story_id) == 204

    # The first request of a session may record its activity; count the ones after it.
    await tray(client, small)
    await tray(client, big)
    with _counted(app) as few:
        assert len(await tray(client, small)) == 1
    with _counted(app) as many:
        assert len(await tray(client, big)) == 7
    assert len(few) == len(many)
    async with app.state.resources.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(NetworkStoryView)) == 3
