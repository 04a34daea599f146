"""The built web app is served by the API: pages fall back to index.html, hashed assets are cached for good."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_settings
from viewfinder.kit.spa import IMMUTABLE, REVALIDATE

pytestmark = pytest.mark.anyio

INDEX = '<!doctype html><div id="root"></div><script type="module" src="/assets/index-Ab12.js"></script>'


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    from viewfinder.app import create_app

    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "index-Ab12.js").write_text("console.log('app')")
    (dist / "favicon.svg").write_text("<svg/>")
    app = create_app(make_settings(tmp_path / "data", f"sqlite:///{tmp_path}/unused.db", web_dist_dir=dist))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
    await app.state.resources.aclose()


@pytest.mark.parametrize(
    "path",
    ["/", "/signin", "/w/0199/settings/team", "/invitations/abc-def", "/network/feed", "/network/nina.k",
     "/network/john.png", "/reset-password"],
)  # fmt: skip
async def test_pages_answer_the_app_and_are_revalidated(site: httpx.AsyncClient, path: str) -> None:
    response = await site.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == REVALIDATE
    assert "script-src 'self'" in response.headers["content-security-policy"]


async def test_hashed_assets_are_cached_for_a_year(site: httpx.AsyncClient) -> None:
    response = await site.get("/assets/index-Ab12.js")
    assert response.status_code == 200
    assert response.text == "console.log('app')"
    assert response.headers["cache-control"] == IMMUTABLE


async def test_top_level_files_are_served_and_revalidated(site: httpx.AsyncClient) -> None:
    response = await site.get("/favicon.svg")
    assert response.status_code == 200
    assert response.text == "<svg/>"
    assert response.headers["cache-control"] == REVALIDATE


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/assets/missing-1234.js"),
        ("GET", "/logo.png"),
        ("GET", "/favicon.ico"),
        ("GET", "/api/v1/nothing-here"),
        ("POST", "/api/v1/nothing-here"),
        ("GET", "/health/nothing"),
        ("GET", "/robots.txt"),
        ("POST", "/signin"),
    ],
)
async def test_server_paths_and_missing_files_are_not_pages(site: httpx.AsyncClient, method: str, path: str) -> None:
    response = await site.request(method, path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_api_and_its_docs_keep_their_routes(site: httpx.AsyncClient) -> None:
    assert (await site.get("/health/live")).json() == {"status": "ok"}
    assert (await site.get("/api/v1/auth/me")).status_code == 401
    docs = await site.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_without_a_build_the_root_leads_to_the_api_docs(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 307
    assert response.headers["location"] == "/docs"
