"""Publishing through the Graph: containers fetched from a real local HTTP server, their statuses, media_publish
making real network posts exactly once, the rolling quota and content_publishing_limit."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from tests.conftest import make_settings
from tests.kit.test_video import mp4
from viewfinder.kit import jobs
from viewfinder.kit.clock import utcnow
from viewfinder.network.graph import tasks
from viewfinder.network.graph.models import NetworkMediaContainer
from viewfinder.network.graph.service import publishing
from viewfinder.network.social.models import (
    NetworkHashtag,
    NetworkPost,
    NetworkPostHashtag,
    NetworkPostMedia,
    NetworkUserTag,
    PostKind,
)
from viewfinder.ops.service import record_heartbeat
from viewfinder.settings import Settings
from viewfinder.worker import runtime

from .graph_helpers import GRAPH, graph_error, graph_token, make_business
from .helpers import make_person
from .test_posts import jpeg, png

pytestmark = pytest.mark.anyio

FINISHED_TEXT = "Finished: Media has been uploaded and it is ready to be published."


# A real HTTP server the containers fetch from (what an app's CDN is to Instagram).


class _Files(BaseHTTPRequestHandler):
    files: dict[str, tuple[bytes, str]] = {}  # noqa: RUF012 - shared by the server's handler instances

    def do_GET(self) -> None:
        found = self.files.get(self.path)
        if found is None:
            self.send_error(404)
            return
        data, content_type = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def media_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def serve(server: str, path: str, data: bytes, content_type: str = "image/jpeg") -> str:
    _Files.files[path] = (data, content_type)
    return f"{server}{path}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    # The install's own host is 127.0.0.1 here: the outbound guard allows it although it is private.
    limit = getattr(request, "param", 50)
    return make_settings(
        tmp_path / "data", database_url, base_url="http://127.0.0.1:8000", network_graph_publishing_limit=limit
    )


@pytest.fixture
def sent_jobs() -> Iterator[list[jobs.Job]]:
    sent: list[jobs.Job] = []
    previous = jobs._sender  # put back the app's sender after the test
    jobs.set_sender(sent.append)
    yield sent
    jobs.set_sender(previous)


# Helpers


async def create(client: httpx.AsyncClient, token: str, **params: Any) -> httpx.Response:
    return await client.post(f"{GRAPH}/me/media", data={"access_token": token, **params})


async def container_id(client: httpx.AsyncClient, token: str, **params: Any) -> str:
    response = await create(client, token, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["id"]
    assert body["id"].isdigit()
    return str(body["id"])


async def worker_alive(app: FastAPI) -> None:
    """A worker's heartbeat, as a running worker records it: reads then leave new containers to its jobs."""
    async with app.state.resources.db.unit_of_work() as session:
        await record_heartbeat(session, "worker-1")


async def run_job(app: FastAPI, container: str) -> None:
    """What the worker's job does, run here."""
    resources = app.state.resources
    async with resources.db.unit_of_work() as session:
        await publishing.process_container(session, int(container), resources)


async def status(client: httpx.AsyncClient, token: str, container: str) -> dict[str, Any]:
    response = await client.get(
        f"{GRAPH}/{container}", params={"fields": "id,status_code,status", "access_token": token}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def publish(client: httpx.AsyncClient, token: str, container: str) -> httpx.Response:
    return await client.post(f"{GRAPH}/me/media_publish", data={"access_token": token, "creation_id": container})


async def ready(app: FastAPI, client: httpx.AsyncClient, token: str, **params: Any) -> str:
    made = await container_id(client, token, **params)
    await run_job(app, made)
    assert (await status(client, token, made))["status_code"] == "FINISHED"
    return made


async def row(app: FastAPI, container: str) -> NetworkMediaContainer:
    async with app.state.resources.db.sessions() as session:
        found = await session.get(NetworkMediaContainer, int(container))
    assert found is not None
    return found


async def count(app: FastAPI, model: Any) -> int:
    async with app.state.resources.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def age(app: FastAPI, container: str, by: timedelta) -> None:
    """Move a container back in time (made `by` ago, expiring 24 hours after that)."""
    async with app.state.resources.db.unit_of_work() as session:
        made = utcnow() - by
        await session.execute(
            update(NetworkMediaContainer)
            .where(NetworkMediaContainer.id == int(container))
            .values(created_at=made, expires_at=made + timedelta(hours=24))
        )


async def post_of(app: FastAPI, post_id: str) -> tuple[NetworkPost, list[NetworkPostMedia]]:
    async with app.state.resources.db.sessions() as session:
        post = await session.get(NetworkPost, int(post_id))
        media = list(
            await session.scalars(
                select(NetworkPostMedia).where(NetworkPostMedia.post_id == int(post_id)).order_by("position")
            )
        )
    assert post is not None
    return post, media


async def account(app: FastAPI, username: str = "lumen.coffee", **kwargs: Any) -> str:
    await make_business(app, username)
    return await graph_token(app, username, **kwargs)


# The flows


async def test_an_image_goes_from_container_to_post(
    client: httpx.AsyncClient, app: FastAPI, media_server: str, sent_jobs: list[jobs.Job]
) -> None:
    token = await account(app)
    await make_person(app, "ada")
    await worker_alive(app)
    url = serve(media_server, "/flow/latte.jpg", jpeg(400, 300))
    made = await container_id(
        client,
        token,
        image_url=url,
        caption="Morning #latte with @ada",
        alt_text="A latte on a wooden table",
        location_id="Lisbon",
        user_tags='[{"username": "ada", "x": 0.25, "y": 0.5}]',
        collaborators='["ada"]',
    )
    # The fetch is a job queued after the commit; until it runs the container is in progress.
    assert [(job.name, job.args) for job in sent_jobs] == [(publishing.PROCESS_JOB, (made,))]
    assert await status(client, token, made) == {
        "id": made,
        "status_code": "IN_PROGRESS",
        "status": "In Progress: Media is still being processed.",
    }
    await run_job(app, made)
    assert await status(client, token, made) == {"id": made, "status_code": "FINISHED", "status": FINISHED_TEXT}
    kept = await row(app, made)
    assert kept.storage_key is not None
    assert kept.collaborators == ["ada"]
    assert await app.state.resources.storage.get(kept.storage_key) == _Files.files["/flow/latte.jpg"][0]

    published = await publish(client, token, made)
    assert published.status_code == 200, published.text
    assert list(published.json()) == ["id"]
    post_id = published.json()["id"]
    post, media = await post_of(app, post_id)
    assert (post.kind, post.caption, post.location, post.media_count) == (
        PostKind.FEED,
        "Morning #latte with @ada",
        "Lisbon",
        1,
    )
    assert [(item.alt_text, item.width, item.height) for item in media] == [("A latte on a wooden table", 400, 300)]
    async with app.state.resources.db.sessions() as session:
        tags = list(
            await session.execute(
                select(NetworkUserTag.x, NetworkUserTag.y).where(NetworkUserTag.post_id == int(post_id))
            )
        )
        hashtags = list(
            await session.scalars(
                select(NetworkHashtag.name)
                .join(NetworkPostHashtag, NetworkPostHashtag.hashtag_id == NetworkHashtag.id)
                .where(NetworkPostHashtag.post_id == int(post_id))
            )
        )
    assert [(tag.x, tag.y) for tag in tags] == [(0.25, 0.5)]
    assert hashtags == ["latte"]
    assert await status(client, token, made) == {
        "id": made,
        "status_code": "PUBLISHED",
        "status": "Published: Media has been successfully published.",
    }
    assert (await row(app, made)).media_id == int(post_id)
    # The post is the account's media now, on the same edge that made the container.
    listed = await client.get(f"{GRAPH}/me/media", params={"fields": "id", "access_token": token})
    assert listed.json()["data"] == [{"id": post_id}]


async def test_a_carousel_waits_for_its_items_and_becomes_one_post(
    client: httpx.AsyncClient, app: FastAPI, media_server: str
) -> None:
    token = await account(app)
    await make_person(app, "ada")
    await worker_alive(app)
    first = await container_id(
        client,
        token,
        image_url=serve(media_server, "/carousel/1.jpg", jpeg(300, 300)),
        is_carousel_item="true",
        alt_text="first",
    )
    second = await container_id(
        client,
        token,
        image_url=serve(media_server, "/carousel/2.jpg", jpeg(320, 400)),
        is_carousel_item="true",
        user_tags='[{"username": "ada", "x": 0.5, "y": 0.75}]',
    )
    carousel = await container_id(
        client, token, media_type="CAROUSEL", children=f"{first},{second}", caption="Two #views"
    )
    await run_job(app, first)
    assert (await status(client, token, carousel))["status_code"] == "IN_PROGRESS"
    refused = await publish(client, token, carousel)
    graph_error(refused, 9007, 2207027)
    await run_job(app, second)
    assert (await status(client, token, carousel))["status_code"] == "FINISHED"
    graph_error(await publish(client, token, first), 100)  # an item is published in its carousel only

    published = await publish(client, token, carousel)
    assert published.status_code == 200, published.text
    post, media = await post_of(app, published.json()["id"])
    assert (post.kind, post.caption, post.media_count) == (PostKind.FEED, "Two #views", 2)
    assert [(item.alt_text, item.width, item.height) for item in media] == [("first", 300, 300), ("", 320, 400)]
    assert [(await status(client, token, item))["status_code"] for item in (first, second)] == ["PUBLISHED"] * 2
    async with app.state.resources.db.sessions() as session:
        tagged = list(
            await session.execute(
                select(NetworkUserTag.media_position, NetworkUserTag.x, NetworkUserTag.y).where(
                    NetworkUserTag.post_id == post.id
                )
            )
        )
    assert [tuple(tag) for tag in tagged] == [(1, 0.5, 0.75)]  # tagged on the second image, where it was given
    limit = await client.get(f"{GRAPH}/me/content_publishing_limit", params={"access_token": token})
    assert limit.json() == {"data": [{"quota_usage": 1}]}


async def test_carousel_children_are_checked(client: httpx.AsyncClient, app: FastAPI, media_server: str) -> None:
    token = await account(app)
    other = await account(app, "other.shop")
    url = serve(media_server, "/children/a.jpg", jpeg(300, 300))
    mine = await container_id(client, token, image_url=url, is_carousel_item="true")
    single = await container_id(client, token, image_url=url)
    theirs = await container_id(client, other, image_url=url, is_carousel_item="true")
    one = await create(client, token, media_type="CAROUSEL", children=mine)
    assert graph_error(one, 100, 2207028)["message"].startswith("(#100) Your post won't be shared as a carousel")
    eleven = ",".join([mine] * 11)
    graph_error(await create(client, token, media_type="CAROUSEL", children=eleven), 100, 2207028)
    graph_error(await create(client, token, media_type="CAROUSEL", children=f"{mine},{theirs}"), 100)
    graph_error(await create(client, token, media_type="CAROUSEL", children=f"{mine},{single}"), 100)
    as_json = await create(client, token, media_type="CAROUSEL", children=f'["{mine}", "{mine}"]')
    graph_error(as_json, 100)
    assert await count(app, NetworkMediaContainer) == 3


async def test_a_reel_and_stories_are_published(client: httpx.AsyncClient, app: FastAPI, media_server: str) -> None:
    token = await account(app)
    clip = serve(media_server, "/video/clip.mp4", mp4(seconds=4), "video/mp4")
    reel = await ready(
        app,
        client,
        token,
        media_type="REELS",
        video_url=clip,
        caption="Slow pour #reel",
        share_to_feed="true",
        thumb_offset="1000",
    )
    assert (await row(app, reel)).options == {"share_to_feed": True, "thumb_offset": 1000}
    video_story = await ready(app, client, token, media_type="STORIES", video_url=clip)
    image_story = await ready(
        app, client, token, media_type="STORIES", image_url=serve(media_server, "/story.jpg", jpeg(90, 160))
    )
    made = {}
    for name, container in (("reel", reel), ("video story", video_story), ("image story", image_story)):
        response = await publish(client, token, container)
        assert response.status_code == 200, response.text
        made[name] = await post_of(app, response.json()["id"])
    reel_post, reel_media = made["reel"]
    assert (reel_post.kind, reel_post.caption, reel_media[0].video_key is not None) == (
        PostKind.REEL,
        "Slow pour #reel",
        True,
    )
    story, story_media = made["video story"]
    assert (story.kind, story.expires_at is not None, story_media[0].video_key is not None) == (
        PostKind.STORY,
        True,
        True,
    )
    assert (made["image story"][0].kind, made["image story"][1][0].video_key) == (PostKind.STORY, None)


async def test_a_container_is_processed_by_the_worker_task(
    client: httpx.AsyncClient, app: FastAPI, media_server: str
) -> None:
    token = await account(app)
    made = await container_id(client, token, image_url=serve(media_server, "/task.jpg", jpeg(300, 300)))

    def work() -> None:
        try:
            tasks.process_container(made)
        finally:
            runtime.shutdown()

    await anyio.to_thread.run_sync(work)
    assert (await status(client, token, made))["status_code"] == "FINISHED"


async def test_a_container_the_worker_leaves_waiting_is_processed_by_a_status_read(
    client: httpx.AsyncClient, app: FastAPI, media_server: str
) -> None:
    token = await account(app)
    await worker_alive(app)
    made = await container_id(client, token, image_url=serve(media_server, "/waiting.jpg", jpeg(300, 300)))
    assert (await status(client, token, made))["status_code"] == "IN_PROGRESS"  # the worker's job may come
    await age(app, made, publishing.INLINE_PROCESSING_AFTER + timedelta(seconds=1))
    assert (await status(client, token, made))["status_code"] == "FINISHED"
    assert (await publish(client, token, made)).status_code == 200


async def test_without_a_worker_the_first_status_read_processes_the_container(
    client: httpx.AsyncClient, app: FastAPI, media_server: str
) -> None:
    token = await account(app)
    url = serve(media_server, "/alone/1.jpg", jpeg(300, 300))
    made = await container_id(client, token, image_url=url)
    assert await status(client, token, made) == {"id": made, "status_code": "FINISHED", "status": FINISHED_TEXT}
    # A publish attempt does the same, for clients that publish without reading the status first.
    item = await container_id(client, token, image_url=url, is_carousel_item="true")
    other = await container_id(client, token, image_url=url, is_carousel_item="true")
    carousel = await container_id(client, token, media_type="CAROUSEL", children=f"{item},{other}")
    assert (await publish(client, token, carousel)).status_code == 200
    assert await count(app, NetworkPost) == 1


async def test_publishing_before_the_media_is_ready_is_refused(
    client: httpx.AsyncClient, app: FastAPI, media_server: str
) -> None:
    token = await account(app)
    await worker_alive(app)
    made = await container_id(client, token, image_url=serve(media_server, "/early.jpg", jpeg(300, 300)))
    error = graph_error(await publish(client, token, made), 9007, 2207027)
    assert error["message"] == "Media ID is not available"
    assert error["error_user_msg"] == "The media is not ready for publishing, please wait for a moment."
    assert await count(app, NetworkPost) == 0
    assert (await row(app, made)).status_code == "IN_PROGRESS"


@pytest.mark.parametrize(
    ("path", "data", "content_type", "media_type", "code", "subcode"),
    [
        ("/missing.jpg", None, "image/jpeg", None, 9004, 2207052),
        ("/wide.jpg", jpeg(400, 100), "image/jpeg", None, 36003, 2207009),
        ("/tall.jpg", jpeg(100, 400), "image/jpeg", None, 36003, 2207009),
        ("/page.jpg", b"<html>not an image</html>", "text/html", None, 36001, 2207005),
        ("/picture.png", png(), "image/png", None, 36001, 2207005),
        ("/clip.mp4", b"\x00\x00\x00\x18ftypisom but broken", "video/mp4", "REELS", 352, 2207026),
    ],
)
async def test_media_that_cannot_be_used_ends_in_error(
    client: httpx.AsyncClient,
    app: FastAPI,
    media_server: str,
    path: str,
    data: bytes | None,
    content_type: str,
    media_type: str | None,
    code: int,
    subcode: int,
) -> None:
    token = await account(app)
    url = serve(media_server, f"/errors{path}", data, content_type) if data is not None else f"{media_server}{path}"
    params = {"media_type": media_type, "video_url": url} if media_type else {"image_url": url}
    made = await container_id(client, token, **params)
    await run_job(app, made)
    assert await status(client, token, made) == {"id": made, "status_code": "ERROR", "status": str(subcode)}
    graph_error(await publish(client, token, made), code, subcode)
    assert (await row(app, made)).storage_key is None
    assert await count(app, NetworkPost) == 0


async def test_a_private_address_is_not_fetched(client: httpx.AsyncClient, app: FastAPI) -> None:
    token = await account(app)
    made = await container_id(client, token, image_url="http://10.20.30.40/internal.jpg")
    await run_job(app, made)
    assert await status(client, token, made) == {"id": made, "status_code": "ERROR", "status": "2207052"}


async def test_a_container_expires_after_24_hours(client: httpx.AsyncClient, app: FastAPI, media_server: str) -> None:
    token = await account(app)
    made = await ready(app, client, token, image_url=serve(media_server, "/late.jpg", jpeg(300, 300)))
    key = (await row(app, made)).storage_key
    assert key is not None
    await age(app, made, timedelta(hours=24, seconds=1))
    assert (await status(client, token, made))["status_code"] == "EXPIRED"
    graph_error(await publish(client, token, made), -2, 2207020)

    resources = app.state.resources
    async with resources.db.unit_of_work() as session:
        removed = await publishing.sweep_containers(session, resources)
    assert removed == 1
    swept = await row(app, made)
    assert (swept.status_code, swept.storage_key) == ("EXPIRED", None)
    assert not await resources.storage.exists(key)


async def test_the_sweep_removes_published_files_and_requeues_lost_fetches(
    client: httpx.AsyncClient, app: FastAPI, media_server: str, sent_jobs: list[jobs.Job]
) -> None:
    token = await account(app)
    done = await ready(app, client, token, image_url=serve(media_server, "/swept.jpg", jpeg(300, 300)))
    assert (await publish(client, token, done)).status_code == 200
    lost = await container_id(client, token, image_url=serve(media_server, "/lost.jpg", jpeg(300, 300)))
    await age(app, lost, timedelta(minutes=5))
    sent_jobs.clear()
    resources = app.state.resources
    async with resources.db.unit_of_work() as session:
        assert await publishing.sweep_containers(session, resources) == 1
    assert (await row(app, done)).storage_key is None
    assert [(job.name, job.args) for job in sent_jobs] == [(publishing.PROCESS_JOB, (lost,))]


async def test_publishing_a_container_twice_makes_one_post(
    client: httpx.AsyncClient, app: FastAPI, media_server: str
) -> None:
    token = await account(app)
    made = await ready(app, client, token, image_url=serve(media_server, "/twice.jpg", jpeg(300, 300)))
    first, second = await asyncio.gather(publish(client, token, made), publish(client, token, made))
    answers = sorted([first, second], key=lambda response: response.status_code)
    assert [response.status_code for response in answers] == [200, 400]
    graph_error(answers[1], 24, 2207008)
    again = await publish(client, token, made)
    graph_error(again, 24, 2207008)
    assert await count(app, NetworkPost) == 1
    assert (await row(app, made)).media_id == int(answers[0].json()["id"])


@pytest.mark.parametrize("settings", [2], indirect=True)
async def test_the_quota_refuses_publishing_beyond_it(
    client: httpx.AsyncClient, app: FastAPI, media_server: str
) -> None:
    token = await account(app)
    url = serve(media_server, "/quota.jpg", jpeg(300, 300))
    made = [await ready(app, client, token, image_url=url) for _ in range(3)]
    for container in made[:2]:
        assert (await publish(client, token, container)).status_code == 200
    error = graph_error(await publish(client, token, made[2]), 9, 2207042)
    assert error["error_user_msg"].startswith("You reached maximum number of posts")
    assert await count(app, NetworkPost) == 2
    assert (await row(app, made[2])).status_code == "FINISHED"  # nothing was published: the claim rolled back
    limit = await client.get(
        f"{GRAPH}/me/content_publishing_limit", params={"fields": "config,quota_usage", "access_token": token}
    )
    assert limit.json() == {"data": [{"config": {"quota_total": 2, "quota_duration": 86400}, "quota_usage": 2}]}
    since = int((utcnow() - timedelta(minutes=5)).timestamp())
    recent = await client.get(
        f"{GRAPH}/me/content_publishing_limit", params={"since": str(since), "access_token": token}
    )
    assert recent.json() == {"data": [{"quota_usage": 2}]}
    # The window rolls: a publish older than 24 hours no longer counts.
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkMediaContainer)
            .where(NetworkMediaContainer.id == int(made[0]))
            .values(published_at=utcnow() - timedelta(hours=24, seconds=1))
        )
    assert (await publish(client, token, made[2])).status_code == 200
    later = await client.get(
        f"{GRAPH}/me/content_publishing_limit", params={"since": str(since), "access_token": token}
    )
    assert later.json() == {"data": [{"quota_usage": 2}]}  # one left the window, one came in


async def test_content_publishing_limit_answers_instagrams_shape(client: httpx.AsyncClient, app: FastAPI) -> None:
    token = await account(app)
    answer = await client.get(
        f"{GRAPH}/me/content_publishing_limit", params={"fields": "quota_usage,config", "access_token": token}
    )
    assert answer.status_code == 200
    assert answer.json() == {"data": [{"quota_usage": 0, "config": {"quota_total": 50, "quota_duration": 86400}}]}
    graph_error(
        await client.get(f"{GRAPH}/me/content_publishing_limit", params={"fields": "nope", "access_token": token}), 100
    )
    graph_error(
        await client.get(f"{GRAPH}/me/content_publishing_limit", params={"since": "yesterday", "access_token": token}),
        100,
    )


async def test_publishing_needs_the_content_publish_scope(
    client: httpx.AsyncClient, app: FastAPI, media_server: str
) -> None:
    full = await account(app)
    basic = await graph_token(app, "lumen.coffee", scopes=("instagram_business_basic",))
    url = serve(media_server, "/scope.jpg", jpeg(300, 300))
    graph_error(await create(client, basic, image_url=url), 10)
    assert await count(app, NetworkMediaContainer) == 0
    made = await ready(app, client, full, image_url=url)
    reading = await client.get(f"{GRAPH}/{made}", params={"fields": "status_code", "access_token": basic})
    graph_error(reading, 10)
    graph_error(await publish(client, basic, made), 10)
    graph_error(await client.get(f"{GRAPH}/me/content_publishing_limit", params={"access_token": basic}), 10)
    assert await count(app, NetworkPost) == 0


async def test_containers_are_their_accounts_own(client: httpx.AsyncClient, app: FastAPI, media_server: str) -> None:
    token = await account(app)
    other = await account(app, "other.shop")
    made = await ready(app, client, token, image_url=serve(media_server, "/own.jpg", jpeg(300, 300)))
    graph_error(await client.get(f"{GRAPH}/{made}", params={"access_token": other}), 100, 33)
    graph_error(await publish(client, other, made), 24, 2207006)
    graph_error(await publish(client, token, "12345"), 24, 2207006)
    lumen_id = (await client.get(f"{GRAPH}/me", params={"access_token": token})).json()["id"]
    graph_error(
        await client.post(
            f"{GRAPH}/{lumen_id}/media", data={"access_token": other, "image_url": "https://x.example/a.jpg"}
        ),
        100,
        33,
    )
    assert await count(app, NetworkPost) == 0


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"image_url": "not a url"},
        {"image_url": "ftp://files.example/a.jpg"},
        {"video_url": "https://cdn.example/a.mp4"},
        {"media_type": "REELS", "image_url": "https://cdn.example/a.jpg"},
        {"media_type": "VIDEO", "video_url": "https://cdn.example/a.mp4"},
        {"media_type": "PANORAMA", "image_url": "https://cdn.example/a.jpg"},
        {"image_url": "https://cdn.example/a.jpg", "caption": "x" * 2201},
        {"image_url": "https://cdn.example/a.jpg", "caption": " ".join(f"#tag{n}" for n in range(31))},
        {"image_url": "https://cdn.example/a.jpg", "user_tags": "not json"},
        {"image_url": "https://cdn.example/a.jpg", "user_tags": '[{"username": "ada"}]'},
        {"image_url": "https://cdn.example/a.jpg", "user_tags": '[{"username": "ada", "x": 2, "y": 0.5}]'},
        {"image_url": "https://cdn.example/a.jpg", "collaborators": '["a", "b", "c", "d"]'},
        {"image_url": "https://cdn.example/a.jpg", "is_carousel_item": "maybe"},
        {"image_url": "https://cdn.example/a.jpg", "alt_text": "x" * 1001},
        {"media_type": "STORIES"},
        {"media_type": "CAROUSEL"},
        {"media_type": "CAROUSEL", "image_url": "https://cdn.example/a.jpg", "children": "1,2"},
        {"media_type": "REELS", "video_url": "https://cdn.example/a.mp4", "thumb_offset": "soon"},
    ],
)
async def test_bad_parameters_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, app: FastAPI, params: dict[str, str]
) -> None:
    token = await account(app)
    error = graph_error(await create(client, token, **params), 100, error_subcode_of(params))
    assert error["message"].startswith("(#100) ")
    assert await count(app, NetworkMediaContainer) == 0


def error_subcode_of(params: dict[str, str]) -> int | None:
    if params.get("media_type") in {"PANORAMA", "VIDEO"}:
        return 2207023
    return None
