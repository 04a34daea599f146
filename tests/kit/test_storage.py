"""Storage: the shared behaviour on both backends (a local folder, and a real S3-protocol server run by moto),
then the local backend's signed links through the media route."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError
from fastapi import FastAPI
from moto.server import ThreadedMotoServer

from viewfinder.kit import storage as storage_module
from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import PROBLEM_JSON, InvalidInput, install_error_handlers
from viewfinder.kit.storage import (
    InvalidStorageKey,
    LocalStorage,
    S3Storage,
    Storage,
    StorageObjectMissing,
    create_storage,
    media_router,
    validate_key,
)
from viewfinder.settings import Settings, load_settings

pytestmark = pytest.mark.anyio

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
S3_PREFIX = "some/prefix"


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    return load_settings(data_dir=tmp_path, secret_key="x" * 32, base_url="http://testserver", **overrides)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_settings(tmp_path: Path, s3_endpoint: str) -> Settings:
    # A bucket per test, so no test sees another's objects on the shared server.
    return make_settings(
        tmp_path,
        storage_url=f"s3://test-{uuid.uuid4().hex[:12]}/{S3_PREFIX}",
        s3_endpoint_url=s3_endpoint,
        s3_access_key_id="testing",
        s3_secret_access_key="testing",
    )


@pytest.fixture(params=["local", "s3"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    if request.param == "local":
        settings = make_settings(tmp_path, storage_url=f"file://{tmp_path / 'media'}")
    else:
        settings = request.getfixturevalue("s3_settings")
    store = create_storage(settings)
    if isinstance(store, S3Storage):
        await store.ensure_bucket()
    yield store
    await store.aclose()


def stored_names(store: Storage, s3_endpoint: str) -> set[str]:
    """Everything the backend holds, as the backend itself names it, to see what a call left behind."""
    if isinstance(store, LocalStorage):
        return {str(path.relative_to(store.root)) for path in store.root.rglob("*") if path.is_file()}
    assert isinstance(store, S3Storage)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return {item["Key"] for item in client.list_objects_v2(Bucket=store.bucket).get("Contents", [])}


def media_app(store: Storage) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(media_router)
    app.state.resources = SimpleNamespace(storage=store)
    return app


async def fetch(store: Storage, url: str) -> httpx.Response:
    """GET a signed URL the way a browser would: local links through the app, S3 links from the server."""
    if isinstance(store, LocalStorage):
        transport = httpx.ASGITransport(app=media_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(url)
    async with httpx.AsyncClient() as client:
        return await client.get(url)


# Shared behaviour, on both backends


async def test_put_get_exists_delete(storage: Storage) -> None:
    key = "workspaces/w1/media/photo.png"
    assert await storage.exists(key) is False

    await storage.put(key, PNG, "image/png")
    assert await storage.exists(key) is True
    assert await storage.get(key) == PNG

    await storage.put(key, b"second version")
    assert await storage.get(key) == b"second version"

    await storage.delete(key)
    assert await storage.exists(key) is False
    with pytest.raises(StorageObjectMissing):
        await storage.get(key)
    await storage.delete(key)  # deleting what is absent is not an error


async def test_missing_object_is_a_not_found(storage: Storage) -> None:
    with pytest.raises(StorageObjectMissing) as caught:
        await storage.get("never/written.bin")
    assert caught.value.status == 404
    assert "never/written.bin" in caught.value.detail


@pytest.mark.parametrize("content_type", ["image/png", "text/plain", "video/mp4"])
async def test_signed_url_serves_bytes_and_content_type(storage: Storage, content_type: str) -> None:
    await storage.put("a/b/clip", PNG, content_type)

    response = await fetch(storage, await storage.signed_url("a/b/clip", expires_in=600))

    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == content_type


@pytest.mark.parametrize("key", ["../escape", "a/../../escape", "/etc/passwd", "a//b", "a\\b", ".hidden"])
async def test_every_operation_refuses_invalid_keys(storage: Storage, key: str, tmp_path: Path) -> None:
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: storage.put(key, b"x"),
        lambda: storage.get(key),
        lambda: storage.exists(key),
        lambda: storage.delete(key),
        lambda: storage.signed_url(key),
    ]
    for call in calls:
        with pytest.raises(InvalidStorageKey):
            await call()
    assert not (tmp_path / "escape").exists()


async def test_check_leaves_nothing_behind(storage: Storage, s3_endpoint: str) -> None:
    await storage.put("kept.txt", b"kept", "text/plain")

    await storage.check()

    # Also shows the layouts: the local sidecar and no temporary files; the S3 prefix before every key.
    kept = {"kept.txt", ".kept.txt.content-type"} if isinstance(storage, LocalStorage) else {f"{S3_PREFIX}/kept.txt"}
    assert stored_names(storage, s3_endpoint) == kept


# Keys and configuration


@pytest.mark.parametrize(
    "key",
    ["", "/abs", "a/", "a//b", "..", "a/../b", "./a", "a\\b", "a\x00b", "a b", "ü.png", "a?b", "a%2e", "x" * 513],
)
def test_validate_key_rejects(key: str) -> None:
    with pytest.raises(InvalidStorageKey) as caught:
        validate_key(key)
    assert caught.value.status == 422
    assert "not valid" in caught.value.detail


@pytest.mark.parametrize("key", ["a", "w/0190b3c4-7e1a/media/IMG_001.final.jpg", "a~b/c-d_e", "x" * 200])
def test_validate_key_accepts(key: str) -> None:
    assert validate_key(key) == key


def test_create_storage_picks_the_backend_from_the_url(tmp_path: Path, s3_settings: Settings) -> None:
    local = create_storage(make_settings(tmp_path))
    assert isinstance(local, LocalStorage)
    assert local.root == tmp_path.resolve() / "media"

    s3 = create_storage(s3_settings)
    assert isinstance(s3, S3Storage)
    assert (s3.bucket, s3.prefix) == (urlsplit(s3_settings.storage_url).netloc, S3_PREFIX)


async def test_s3_put_does_not_create_the_bucket(s3_settings: Settings) -> None:
    store = create_storage(s3_settings)
    try:
        with pytest.raises(ClientError, match="NoSuchBucket"):
            await store.put("a.txt", b"a")
        with pytest.raises(ClientError, match="NoSuchBucket"):
            await store.check()
    finally:
        await store.aclose()


async def test_s3_presigns_for_the_public_endpoint(s3_settings: Settings, s3_endpoint: str) -> None:
    # The same moto server under two names: the storage talks to 127.0.0.1, fetchers are given localhost.
    private = urlsplit(s3_endpoint)
    assert private.hostname == "127.0.0.1"
    public = f"http://localhost:{private.port}"
    store = create_storage(s3_settings.model_copy(update={"s3_public_endpoint_url": public}))
    assert isinstance(store, S3Storage)
    try:
        await store.ensure_bucket()
        await store.put("a/photo.png", PNG, "image/png")

        url = await store.signed_url("a/photo.png", expires_in=600)

        assert urlsplit(url).netloc == f"localhost:{private.port}"
        assert f"/{store.bucket}/{S3_PREFIX}/a/photo.png" in url  # path-style, as for the private endpoint
        response = await fetch(store, url)
        assert response.status_code == 200
        assert response.content == PNG
        assert response.headers["content-type"] == "image/png"
    finally:
        await store.aclose()


async def test_s3_public_endpoint_is_only_for_presigned_urls(s3_settings: Settings) -> None:
    # Nothing could answer at the public endpoint, so every other operation must still use S3_ENDPOINT_URL.
    public = "http://media.viewfinder.invalid:9"
    store = create_storage(s3_settings.model_copy(update={"s3_public_endpoint_url": public}))
    try:
        assert isinstance(store, S3Storage)
        await store.ensure_bucket()
        await store.put("a.txt", b"a", "text/plain")
        assert await store.exists("a.txt") is True
        assert await store.get("a.txt") == b"a"
        await store.check()
        assert (await store.signed_url("a.txt")).startswith(f"{public}/{store.bucket}/{S3_PREFIX}/a.txt?")
        await store.delete("a.txt")
        assert await store.exists("a.txt") is False
    finally:
        await store.aclose()


async def test_invalid_content_type_is_refused(tmp_path: Path) -> None:
    store = create_storage(make_settings(tmp_path))
    with pytest.raises(InvalidInput, match="not valid"):
        await store.put("a.txt", b"a", "text/html\r\nSet-Cookie: x=1")
    assert await store.exists("a.txt") is False


async def test_local_key_cannot_be_a_folder_of_another(tmp_path: Path) -> None:
    store = create_storage(make_settings(tmp_path))
    await store.put("a", b"file")
    with pytest.raises(InvalidStorageKey, match="clashes"):
        await store.put("a/b", b"nested")
    assert await store.get("a") == b"file"


# The media route (local backend)


@pytest.fixture
def local(tmp_path: Path) -> LocalStorage:
    store = create_storage(make_settings(tmp_path))
    assert isinstance(store, LocalStorage)
    return store


def assert_problem(response: httpx.Response, status: int, type_suffix: str, detail: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status
    assert body["type"].endswith("/" + type_suffix)
    assert detail in body["detail"]


async def test_route_sets_cache_and_safety_headers(local: LocalStorage) -> None:
    await local.put("page.html", b"<script>alert(1)</script>", "text/html")

    response = await fetch(local, await local.signed_url("page.html", expires_in=600))

    assert response.status_code == 200
    cache_control = re.fullmatch(r"private, max-age=(\d+)", response.headers["cache-control"])
    assert cache_control is not None
    assert 595 <= int(cache_control[1]) <= 600
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda url: url[:-1] + ("0" if url[-1] != "0" else "1"),  # one hex digit of the signature
        lambda url: url.replace("/media/a.png", "/media/b.png"),  # a valid signature, for another key
        lambda url: re.sub(r"expires=(\d+)", lambda m: f"expires={int(m[1]) + 3600}", url),  # a longer life
        lambda url: url.split("?")[0],  # no signature at all
        lambda url: url.replace("expires=", "expires=x"),
    ],
    ids=["signature", "other-key", "expires", "unsigned", "malformed"],
)
async def test_route_refuses_tampered_links(local: LocalStorage, tamper: Any) -> None:
    await local.put("a.png", PNG, "image/png")
    await local.put("b.png", b"secret", "image/png")

    response = await fetch(local, tamper(await local.signed_url("a.png")))

    assert_problem(response, 403, "invalid-signature", "signature is invalid")


async def test_route_refuses_expired_links(local: LocalStorage, monkeypatch: pytest.MonkeyPatch) -> None:
    await local.put("a.png", PNG, "image/png")
    url = await local.signed_url("a.png", expires_in=60)

    later = utcnow() + timedelta(seconds=61)
    monkeypatch.setattr(storage_module, "utcnow", lambda: later)
    response = await fetch(local, url)

    assert_problem(response, 403, "link-expired", "expired")


async def test_route_answers_404_for_a_missing_object(local: LocalStorage) -> None:
    await local.put("gone.png", PNG, "image/png")
    url = await local.signed_url("gone.png")
    await local.delete("gone.png")

    assert_problem(await fetch(local, url), 404, "not-found", "no longer exists")


async def test_route_answers_404_when_storage_is_s3(local: LocalStorage, s3_settings: Settings) -> None:
    url = await local.signed_url("a.png")
    s3 = create_storage(s3_settings)
    try:
        transport = httpx.ASGITransport(app=media_app(s3))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.get(url)
    finally:
        await s3.aclose()

    assert_problem(response, 404, "not-found", "/media/a.png")


async def test_a_signed_link_is_reused_while_it_keeps_most_of_its_lifetime(
    local: LocalStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    await local.put("a.png", PNG, "image/png")
    first = await local.signed_url("a.png", expires_in=1000)
    assert await local.signed_url("a.png", expires_in=1000) == first
    assert await local.signed_url("a.png", expires_in=2000) != first  # another lifetime, another link

    start = utcnow()
    monkeypatch.setattr(storage_module, "utcnow", lambda: start + timedelta(seconds=90))
    assert await local.signed_url("a.png", expires_in=1000) == first  # 91 % of its lifetime left
    monkeypatch.setattr(storage_module, "utcnow", lambda: start + timedelta(seconds=150))
    renewed = await local.signed_url("a.png", expires_in=1000)
    assert renewed != first
    assert (await fetch(local, renewed)).status_code == 200
