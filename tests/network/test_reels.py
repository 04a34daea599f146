"""Reels: one MP4 with a poster (given, or a frame of the video), served beside the poster's image links, shown in
the feed, the grid and hashtag lists like posts; a video that cannot be used writes nothing."""

from __future__ import annotations

import io
from typing import Any

import av
import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from tests.kit.test_video import mp4
from viewfinder.kit import video
from viewfinder.network.social import api

from .helpers import API, NetPerson, fields, make_person, person_row, problem
from .test_posts import counts, jpeg, stored_files

pytestmark = pytest.mark.anyio


def upload(data: bytes, name: str = "clip.mp4", content_type: str = "video/mp4") -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, data, content_type))


async def post_reel(
    client: httpx.AsyncClient,
    who: NetPerson,
    data: bytes,
    *,
    poster: bytes | None = None,
    extra_files: int = 0,
    **form: Any,
) -> httpx.Response:
    files = [upload(data)] + [upload(data) for _ in range(extra_files)]
    if poster is not None:
        files.append(("poster", ("poster.jpg", poster, "image/jpeg")))
    return await client.post(f"{API}/posts", headers=who.headers, files=files, data={"kind": "reel"} | form)


async def reel(client: httpx.AsyncClient, who: NetPerson, data: bytes, **options: Any) -> dict[str, Any]:
    response = await post_reel(client, who, data, **options)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_reel_stores_its_video_and_a_poster_from_a_frame(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    body = await reel(
        client, grace, mp4(4, size=(96, 64), color_at=0.5, metadata={"title": "home"}), caption="Waves #sea"
    )
    assert (body["kind"], body["expires_at"], body["caption"]) == ("reel", None, "Waves #sea")
    [media] = body["media"]
    assert (media["media_type"], media["duration_ms"], media["width"], media["height"]) == ("video", 4000, 96, 64)

    stored = await client.get(media["video_url"])
    assert stored.status_code == 200
    assert stored.headers["content-type"] == "video/mp4"
    assert b"home" not in stored.content  # re-muxed: the file's metadata is not kept
    with av.open(io.BytesIO(stored.content)) as container:
        [stream] = container.streams.video
        assert (stream.codec_context.name, stream.codec_context.width) == ("h264", 96)
    # Browsers play videos by ranges (Safari insists on it).
    part = await client.get(media["video_url"], headers={"Range": "bytes=0-9"})
    assert part.status_code == 206
    assert part.content == stored.content[:10]

    poster = Image.open(io.BytesIO((await client.get(media["url"])).content))
    assert (poster.format, poster.size) == ("JPEG", (96, 64))
    red, green, _ = poster.convert("RGB").getpixel((48, 32))  # type: ignore[misc]
    # The frame half a second in.
    assert green > 150
    assert red < 80
    thumbnail = await client.get(media["thumbnail_url"])
    assert thumbnail.headers["content-type"] == "image/jpeg"

    again = (await client.get(f"{API}/posts/{body['id']}")).json()
    assert (again["kind"], again["media"][0]["media_type"], again["media"][0]["duration_ms"]) == ("reel", "video", 4000)
    assert len(stored_files(app)) == 3
    assert (await person_row(app, grace.id)).posts_count == 1


async def test_a_reel_takes_the_poster_it_is_given(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    body = await reel(client, grace, mp4(3), poster=jpeg(200, 100, color=(0, 0, 250)), alt_texts="A blue poster")
    [media] = body["media"]
    assert (media["width"], media["height"], media["duration_ms"]) == (200, 100, 3000)
    assert media["alt_text"] == "A blue poster"
    poster = Image.open(io.BytesIO((await client.get(media["url"])).content))
    assert poster.size == (200, 100)
    assert poster.convert("RGB").getpixel((100, 50))[2] > 200  # type: ignore[index]

    deleted = await client.delete(f"{API}/posts/{body['id']}", headers=grace.headers)
    assert deleted.status_code == 204
    assert stored_files(app) == []  # the video goes with the images
    assert (await person_row(app, grace.id)).posts_count == 0


async def test_reels_show_in_the_feed_the_grid_and_hashtag_lists(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    assert (await client.post(f"{API}/people/grace/follow", headers=ada.headers)).status_code == 200
    body = await reel(client, grace, mp4(3), caption="#Sea")

    feed = (await client.get(f"{API}/feed", headers=ada.headers)).json()["items"]
    assert [(item["id"], item["kind"], item["media"][0]["media_type"]) for item in feed] == [
        (body["id"], "reel", "video")
    ]
    assert feed[0]["media"][0]["video_url"]
    grid = (await client.get(f"{API}/people/grace/posts")).json()["items"]
    assert [(item["id"], item["kind"], item["expires_at"]) for item in grid] == [(body["id"], "reel", None)]
    assert grid[0]["thumbnail_url"]
    tagged = (await client.get(f"{API}/hashtags/sea/posts")).json()["items"]
    assert [item["id"] for item in tagged] == [body["id"]]


async def test_refused_reels_write_nothing(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    grace = await make_person(app, "grace")
    before = await counts(app)

    def refused(response: httpx.Response, field: str, code: str | None = None) -> str:
        assert response.status_code == 422, response.text
        assert fields(response) == [field]
        if code is not None:
            assert problem(response)["errors"][0]["code"] == code
        detail: str = problem(response)["detail"]
        return detail

    too_long = await post_reel(client, grace, mp4(91, fps=1))
    assert refused(too_long, "files[0]", "too_long") == (
        "This video is 1 minute 31 seconds long: reels can be at most 90 seconds."
    )
    too_short = await post_reel(client, grace, mp4(2))
    assert refused(too_short, "files[0]", "too_short") == (
        "This video is 2 seconds long: reels must be at least 3 seconds."
    )
    named_mp4 = await post_reel(client, grace, jpeg())
    assert refused(named_mp4, "files[0]", "not_a_video") == "This file is not an MP4 video."
    refused(await post_reel(client, grace, mp4(3, codec="mpeg4")), "files[0]", "codec")
    refused(await post_reel(client, grace, mp4(3), extra_files=1), "files", "count")
    refused(await post_reel(client, grace, mp4(3), poster=b"not an image"), "poster", "not_an_image")
    refused(await post_reel(client, grace, mp4(3), caption="x" * 2201), "caption")
    refused(await post_reel(client, grace, mp4(3), kind="movie"), "kind")
    as_feed_post = await post_reel(client, grace, mp4(3), kind="feed")
    refused(as_feed_post, "kind", "video")
    poster_on_a_post = await client.post(
        f"{API}/posts",
        headers=grace.headers,
        files=[upload(jpeg(), "a.jpg", "image/jpeg"), ("poster", ("p.jpg", jpeg(), "image/jpeg"))],
    )
    refused(poster_on_a_post, "poster", "not_allowed")

    monkeypatch.setattr(video, "MAX_UPLOAD_BYTES", 1024 * 1024)
    monkeypatch.setattr(api, "MAX_VIDEO_UPLOAD_BYTES", 1024 * 1024)
    data = mp4(3)
    too_big = await post_reel(client, grace, data + bytes(1024 * 1024 + 1 - len(data)))
    assert refused(too_big, "files[0]", "too_large") == "The video is larger than 1 MB."

    assert await counts(app) == before
    assert stored_files(app) == []
    assert (await person_row(app, grace.id)).posts_count == 0
