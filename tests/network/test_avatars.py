"""Uploaded profile pictures: the middle square as a JPEG, a new address per upload, the old file removed."""

from __future__ import annotations

import io

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from .helpers import API, fields, make_person
from .test_posts import jpeg, png

pytestmark = pytest.mark.anyio


async def _upload(client: httpx.AsyncClient, headers: dict[str, str], data: bytes) -> httpx.Response:
    return await client.put(f"{API}/me/avatar", headers=headers, files={"file": ("me.png", data, "image/png")})


async def test_a_picture_is_cropped_served_replaced_and_removed(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    response = await _upload(client, ada.headers, jpeg(900, 600))
    assert response.status_code == 200, response.text
    first = response.json()["avatar_url"]
    assert first.startswith(f"{API}/avatars/{ada.id}/")

    served = await client.get(first)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert "immutable" in served.headers["cache-control"]
    assert Image.open(io.BytesIO(served.content)).size == (320, 320)
    profile = await client.get(f"{API}/people/ada")
    assert profile.json()["avatar_url"] == first

    second = (await _upload(client, ada.headers, png(40, 40))).json()["avatar_url"]
    assert second != first
    assert Image.open(io.BytesIO((await client.get(second)).content)).size == (40, 40)
    assert (await client.get(first)).status_code == 404  # the replaced file is gone

    removed = await client.delete(f"{API}/me/avatar", headers=ada.headers)
    assert removed.status_code == 200
    assert removed.json()["avatar_url"] is None
    assert (await client.get(second)).status_code == 404


async def test_a_file_that_is_not_an_image_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    response = await _upload(client, ada.headers, b"%PDF-1.7 not a picture")
    assert response.status_code == 422
    assert fields(response) == ["file"]
    assert (await client.get(f"{API}/people/ada")).json()["avatar_url"] is None
    assert (await client.put(f"{API}/me/avatar", files={"file": ("a.png", png(), "image/png")})).status_code == 401


@pytest.mark.parametrize("path", ["1/2.jpg", "abc/1.jpg", "1/../secret.jpg", "1/x.png"])
async def test_unknown_pictures_answer_404(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(f"{API}/avatars/{path}")).status_code == 404
