"""Posts: single images and carousels stored all or nothing, captions indexed, privacy, edits and deletes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import func, select

from viewfinder.network.social.models import (
    NetworkHashtag,
    NetworkMention,
    NetworkPost,
    NetworkPostHashtag,
    NetworkPostMedia,
)

from .helpers import API, NetPerson, fields, make_person, person_row, problem

pytestmark = pytest.mark.anyio

GPS_TAG = 0x8825


def jpeg(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 30, 30), *, gps: bool = False) -> bytes:
    image = Image.new("RGB", (width, height), color)
    out = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "Camera Maker"  # Make
        exif.get_ifd(GPS_TAG)[2] = (45.0, 27.0, 0.0)  # GPSLatitude
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def png(width: int = 40, height: int = 40) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 255, 128)).save(out, format="PNG")
    return out.getvalue()


def files_of(*images: bytes) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (f"image{index}.jpg", data, "image/jpeg")) for index, data in enumerate(images)]


async def create(client: httpx.AsyncClient, person: NetPerson, *images: bytes, **form: Any) -> httpx.Response:
    return await client.post(f"{API}/posts", headers=person.headers, files=files_of(*(images or (jpeg(),))), data=form)


async def created(client: httpx.AsyncClient, person: NetPerson, *images: bytes, **form: Any) -> dict[str, Any]:
    response = await create(client, person, *images, **form)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def counts(app: FastAPI) -> dict[str, int]:
    async with app.state.resources.db.sessions() as session:
        return {
            table.__tablename__: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (NetworkPost, NetworkPostMedia, NetworkHashtag, NetworkPostHashtag, NetworkMention)
        }


def stored_files(app: FastAPI) -> list[Path]:
    root = Path(app.state.resources.storage.root) / "network"
    # The local storage keeps each file's content type in a hidden file beside it.
    return [path for path in root.rglob("*") if path.is_file() and not path.name.startswith(".")]


async def test_a_single_image_post_is_stored_and_served(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    body = await created(
        client, grace, jpeg(2000, 1000, gps=True), caption="Sunset #Travel", location=" Rome ", alt_texts="A red sky"
    )
    assert body["author"]["username"] == "grace"
    assert isinstance(body["id"], str)
    assert body["location"] == "Rome"
    assert (body["like_count"], body["comment_count"], body["edited_at"]) == (0, 0, None)
    [media] = body["media"]
    assert (media["width"], media["height"], media["position"], media["alt_text"]) == (1080, 540, 0, "A red sky")

    full = await client.get(media["url"])
    assert full.status_code == 200
    assert full.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(full.content))
    assert (image.format, image.size) == ("JPEG", (1080, 540))
    assert not image.getexif()
    assert "comment" not in image.info
    assert "exif" not in image.info
    assert b"secret comment" not in full.content
    assert b"Camera Maker" not in full.content
    thumbnail = await client.get(media["thumbnail_url"])
    assert Image.open(io.BytesIO(thumbnail.content)).size == (320, 160)

    again = (await client.get(f"{API}/posts/{body['id']}")).json()

    def without_links(post: dict[str, Any]) -> dict[str, Any]:
        media = [{k: v for k, v in m.items() if not k.endswith("url")} for m in post["media"]]
        return post | {"media": media}

    assert without_links(again) == without_links(body)
    assert (await person_row(app, grace.id)).posts_count == 1
    assert (await client.get(f"{API}/people/grace")).json()["posts_count"] == 1
    assert len(stored_files(app)) == 2


async def test_a_carousel_keeps_the_files_order(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    body = await created(client, grace, jpeg(100, 100), png(), jpeg(30, 60), alt_texts=["one", "two", "three"])
    assert [(m["position"], m["alt_text"], m["width"]) for m in body["media"]] == [
        (0, "one", 100),
        (1, "two", 40),
        (2, "three", 30),
    ]
    png_copy = await client.get(body["media"][1]["url"])
    assert Image.open(io.BytesIO(png_copy.content)).format == "JPEG"
    ten = await create(client, grace, *[jpeg(20, 20)] * 10)
    assert ten.status_code == 201
    assert len(ten.json()["media"]) == 10
    assert (await person_row(app, grace.id)).posts_count == 2


async def test_refused_posts_write_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    before = await counts(app)
    none = await client.post(f"{API}/posts", headers=grace.headers, data={"caption": "nothing"})
    assert none.status_code == 422
    assert fields(none) == ["files"]
    eleven = await create(client, grace, *[jpeg(20, 20)] * 11)
    assert eleven.status_code == 422
    assert fields(eleven) == ["files"]
    not_an_image = await client.post(
        f"{API}/posts",
        headers=grace.headers,
        files=[*files_of(jpeg()), ("files", ("fake.jpg", b"<html>not an image</html>", "image/jpeg"))],
    )
    assert not_an_image.status_code == 422
    assert fields(not_an_image) == ["files[1]"]
    assert problem(not_an_image)["errors"][0]["code"] == "not_an_image"
    too_long = await create(client, grace, jpeg(), caption="x" * 2201)
    assert too_long.status_code == 422
    assert fields(too_long) == ["caption"]
    hashtags = " ".join(f"#tag{index}" for index in range(31))
    too_many = await create(client, grace, jpeg(), caption=hashtags)
    assert too_many.status_code == 422
    assert problem(too_many)["errors"][0]["code"] == "too_many_hashtags"
    alts = await create(client, grace, jpeg(), jpeg(), alt_texts=["only one"])
    assert fields(alts) == ["alt_texts"]
    long_alt = await create(client, grace, jpeg(), alt_texts="a" * 1001)
    assert fields(long_alt) == ["alt_texts[0]"]
    place = await create(client, grace, jpeg(), location="p" * 101)
    assert fields(place) == ["location"]
    anonymous = await client.post(f"{API}/posts", files=files_of(jpeg()))
    assert anonymous.status_code == 401

    assert await counts(app) == before
    assert stored_files(app) == []
    assert (await person_row(app, grace.id)).posts_count == 0


async def test_hashtags_and_mentions_are_indexed(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    await make_person(app, "Ada.L")
    caption = "Hi @ada.l and @nobody. #Rome #rome #Café mail@example.com"
    body = await created(client, grace, caption=caption)
    assert body["caption"] == caption
    assert body["caption_entities"] == [
        {"kind": "mention", "start": 3, "end": 9, "value": "ada.l"},
        {"kind": "hashtag", "start": 23, "end": 28, "value": "rome"},
        {"kind": "hashtag", "start": 29, "end": 34, "value": "rome"},
        {"kind": "hashtag", "start": 35, "end": 40, "value": "café"},
    ]
    async with app.state.resources.db.sessions() as session:
        names = set(await session.scalars(select(NetworkHashtag.name)))
        mentions = list(await session.scalars(select(NetworkMention.person_id)))
    assert names == {"rome", "café"}
    assert len(mentions) == 1
    assert (await client.get(f"{API}/hashtags/ROME")).json() == {"name": "rome", "post_count": 1}
    assert (await client.get(f"{API}/hashtags/%23café")).json() == {"name": "café", "post_count": 1}
    assert (await client.get(f"{API}/hashtags/unknown")).status_code == 404


async def test_private_posts_show_to_approved_followers_only(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace", private=True)
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    post = await created(client, grace, caption="#secret")
    url = f"{API}/posts/{post['id']}"
    assert (await client.get(url, headers=grace.headers)).status_code == 200
    assert (await client.get(url)).status_code == 404
    assert (await client.get(url, headers=ada.headers)).status_code == 404
    grid = await client.get(f"{API}/people/grace/posts", headers=ada.headers)
    assert grid.status_code == 403
    assert problem(grid)["type"].endswith("private-account")

    await client.post(f"{API}/people/grace/follow", headers=ada.headers)  # a request: not yet approved
    assert (await client.get(url, headers=ada.headers)).status_code == 404
    [request] = (await client.get(f"{API}/me/follow-requests", headers=grace.headers)).json()["items"]
    await client.post(f"{API}/me/follow-requests/{request['id']}/accept", headers=grace.headers)
    assert (await client.get(url, headers=ada.headers)).status_code == 200
    assert len((await client.get(f"{API}/people/grace/posts", headers=ada.headers)).json()["items"]) == 1

    # The hashtag lists it for her followers and herself only.
    for viewer, expected in [(None, 0), (bob, 0), (ada, 1), (grace, 1)]:
        headers = viewer.headers if viewer else {}
        items = (await client.get(f"{API}/hashtags/secret/posts", headers=headers)).json()["items"]
        assert len(items) == expected, viewer
    assert (await client.get(f"{API}/hashtags/secret")).json()["post_count"] == 1


async def test_blocked_viewers_do_not_see_posts(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    post = await created(client, grace, caption="#open")
    await client.post(f"{API}/people/ada/block", headers=grace.headers)
    assert (await client.get(f"{API}/posts/{post['id']}", headers=ada.headers)).status_code == 404
    assert (await client.get(f"{API}/people/grace/posts", headers=ada.headers)).status_code == 404
    assert (await client.get(f"{API}/hashtags/open/posts", headers=ada.headers)).json()["items"] == []
    assert len((await client.get(f"{API}/hashtags/open/posts")).json()["items"]) == 1
    assert (await client.get(f"{API}/posts/{post['id']}")).status_code == 200
    # Someone who blocked the author is not linked when mentioned.
    mention = await created(client, ada, caption="hello @grace")
    assert mention["caption_entities"] == []


async def test_edit_reindexes_the_caption(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    await make_person(app, "bob")
    post = await created(client, grace, caption="#old #kept @ada", location="Rome")
    url = f"{API}/posts/{post['id']}"
    refused = await client.patch(url, headers=ada.headers, json={"caption": "mine"})
    assert refused.status_code == 403
    assert (await client.patch(url, json={"caption": "x"})).status_code == 401
    edited = await client.patch(url, headers=grace.headers, json={"caption": "#kept #new @bob"})
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["edited_at"] is not None
    assert body["location"] == "Rome"
    assert [(e["kind"], e["value"]) for e in body["caption_entities"]] == [
        ("hashtag", "kept"),
        ("hashtag", "new"),
        ("mention", "bob"),
    ]
    assert (await client.get(f"{API}/hashtags/old")).json()["post_count"] == 0
    assert (await client.get(f"{API}/hashtags/new")).json()["post_count"] == 1
    assert (await client.get(f"{API}/hashtags/old/posts")).json()["items"] == []
    moved = await client.patch(url, headers=grace.headers, json={"location": None})
    assert moved.json()["location"] is None
    assert moved.json()["caption"] == "#kept #new @bob"
    too_many = await client.patch(url, headers=grace.headers, json={"caption": " ".join(f"#t{i}x" for i in range(31))})
    assert too_many.status_code == 422
    assert (await client.get(url)).json()["caption"] == "#kept #new @bob"
    assert (await client.patch(url, headers=grace.headers, json={"caption": None})).status_code == 422
    assert (await client.patch(url, headers=grace.headers, json={"likes": 3})).status_code == 422


async def test_delete_cleans_up_and_keeps_counts_exact(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    await created(client, ada, caption="#shared")
    kept = await created(client, grace, caption="#shared")
    post = await created(client, grace, jpeg(), jpeg(), caption="#shared #gone @ada")
    assert (await person_row(app, grace.id)).posts_count == 2
    url = f"{API}/posts/{post['id']}"
    assert (await client.delete(url, headers=ada.headers)).status_code == 403
    # A file already missing does not fail the delete.
    (Path(app.state.resources.storage.root) / post["media"][0]["url"].split("/media/")[1].split("?")[0]).unlink()
    assert (await client.delete(url, headers=grace.headers)).status_code == 204
    assert (await client.get(url)).status_code == 404
    assert (await client.delete(url, headers=grace.headers)).status_code == 404
    assert (await client.get(post["media"][1]["url"])).status_code == 404
    assert all(str(post["id"]) not in str(path) for path in stored_files(app))
    assert len(stored_files(app)) == 4  # the two posts that remain
    assert await counts(app) == {
        "network_posts": 2,
        "network_post_media": 2,
        "network_hashtags": 2,
        "network_post_hashtags": 2,
        "network_mentions": 0,
    }
    assert (await person_row(app, grace.id)).posts_count == 1
    assert (await person_row(app, ada.id)).posts_count == 1
    assert (await client.get(f"{API}/hashtags/shared")).json()["post_count"] == 2
    assert (await client.get(f"{API}/posts/{kept['id']}")).status_code == 200
    assert (await client.get(f"{API}/posts/not-a-number")).status_code == 404
    assert (await client.get(f"{API}/posts/123")).status_code == 404


async def test_grid_and_hashtag_lists_page_newest_first(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ids = [(await created(client, grace, *[jpeg(20, 20)] * (1 + n % 2), caption="#page"))["id"] for n in range(5)]
    expected = list(reversed(ids))
    for path in ("people/grace/posts", "hashtags/page/posts"):
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = (await client.get(f"{API}/{path}", params=params)).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == expected, path
    first = (await client.get(f"{API}/people/grace/posts", params={"limit": 1})).json()["items"][0]
    assert first["media_count"] == 1
    assert (first["like_count"], first["comment_count"]) == (0, 0)
    thumbnail = await client.get(first["thumbnail_url"])
    assert thumbnail.status_code == 200
    assert Image.open(io.BytesIO(thumbnail.content)).format == "JPEG"

    for name in ("ada", "bob"):
        await client.post(f"{API}/people/grace/follow", headers=(await make_person(app, name)).headers)
    foreign = (await client.get(f"{API}/people/grace/followers", params={"limit": 1})).json()
    grid_cursor = (await client.get(f"{API}/people/grace/posts", params={"limit": 1})).json()["next_cursor"]
    tag_cursor = (await client.get(f"{API}/hashtags/page/posts", params={"limit": 1})).json()["next_cursor"]
    for path, cursor in [
        ("people/grace/posts", tag_cursor),
        ("hashtags/page/posts", grid_cursor),
        ("people/grace/posts", "garbage"),
        ("hashtags/page/posts", "tag.garbage"),
    ]:
        response = await client.get(f"{API}/{path}", params={"cursor": cursor})
        assert response.status_code == 422, (path, cursor)
        assert fields(response) == ["cursor"]
    assert foreign["next_cursor"] is not None
    for path in ("people/grace/posts", "hashtags/page/posts"):
        response = await client.get(f"{API}/{path}", params={"cursor": foreign["next_cursor"]})
        assert response.status_code == 422, path
    assert (await client.get(f"{API}/people/nobody/posts")).status_code == 404


async def test_a_hashtag_too_long_to_index_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    refused = await create(client, grace, jpeg(), caption="#" + "a" * 101)
    assert refused.status_code == 422
    assert fields(refused) == ["caption"]
    assert (await created(client, grace, caption="#" + "a" * 100))["caption_entities"][0]["end"] == 101


async def test_files_are_removed_when_the_rows_cannot_be_written(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewfinder.network.social.service import posts

    grace = await make_person(app, "grace")

    async def broken(*args: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(posts, "_index_caption", broken)
    response = await create(client, grace, jpeg(), jpeg(), caption="#lost")
    assert response.status_code == 500
    assert stored_files(app) == []
    assert (await counts(app))["network_posts"] == 0
    assert (await person_row(app, grace.id)).posts_count == 0


async def test_counts_stay_exact_under_concurrent_posts_and_deletes(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    made: list[httpx.Response] = []

    async def post() -> None:
        made.append(await create(client, grace, jpeg(20, 20), caption="#same #together"))

    # The same new hashtags created by several posts at once.
    async with anyio.create_task_group() as group:
        for _ in range(6):
            group.start_soon(post)
    assert [response.status_code for response in made] == [201] * 6
    assert (await person_row(app, grace.id)).posts_count == 6
    assert (await client.get(f"{API}/hashtags/same")).json()["post_count"] == 6

    deleted: list[int] = []

    async def remove(post_id: str) -> None:
        deleted.append((await client.delete(f"{API}/posts/{post_id}", headers=grace.headers)).status_code)

    # Each of three posts deleted twice at once: it is counted down once.
    async with anyio.create_task_group() as group:
        for response in made[:3]:
            group.start_soon(remove, response.json()["id"])
            group.start_soon(remove, response.json()["id"])
    assert set(deleted) <= {204, 404}, deleted
    assert (await person_row(app, grace.id)).posts_count == 3 == (await counts(app))["network_posts"]
    assert (await client.get(f"{API}/hashtags/together")).json()["post_count"] == 3
