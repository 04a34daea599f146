"""The web app's built files (web/dist): one page app, served by the API itself.

Vite names the files under assets/ by their content, so they are cached for a year; index.html and the few
top-level files are revalidated on every visit, so a new release shows at the next page load. Any other GET
path is a page of the app's router and answers index.html, except under the API's own prefixes, where an unknown
path is a plain 404.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

from viewfinder.kit.errors import NotFound

# Unknown paths under these are not pages: they answer 404 in problem+json.
SERVER_PREFIXES = (
    "/api/", "/health", "/metrics", "/media/", "/docs", "/redoc", "/openapi.json", "/assets/",
    "/network/api/", "/network/graph/", "/network/oauth/",
)  # fmt: skip
# A missing file with one of these suffixes is a 404, not a page (a browser asking for /favicon.ico, say)...
STATIC_SUFFIXES = frozenset(
    {".css", ".gif", ".ico", ".jpeg", ".jpg", ".js", ".json", ".map", ".mjs", ".png", ".svg", ".txt", ".webmanifest",
     ".webp", ".woff", ".woff2", ".xml"}
)  # fmt: skip
# ...except where people's names are paths: the network's profiles (/network/<username>, and a username may
# well end in ".png").
PEOPLE_PREFIX = "/network/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def default_dist_dir() -> Path:
    """web/dist of the source tree this package runs from."""
    return Path(__file__).resolve().parents[3] / "web" / "dist"


class _HashedAssets(StaticFiles):
    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = IMMUTABLE
        return response


def web_app_router(dist: Path) -> APIRouter:
    """Routes for the built app in `dist`; include it after every other router (it answers any path)."""
    dist = dist.resolve()
    index = dist / "index.html"
    top_level_files = {path.name for path in dist.iterdir() if path.is_file() and path.name != "index.html"}
    router = APIRouter(include_in_schema=False)

    # Methods other than GET and HEAD are matched too, so that they answer 404 rather than 405.
    @router.api_route("/{path:path}", methods=ALL_METHODS)
    async def page(path: str, request: Request) -> Response:
        url_path = "/" + path
        if request.method not in {"GET", "HEAD"} or url_path.startswith(SERVER_PREFIXES):
            raise NotFound(f"Nothing is at {url_path[:200]}.")
        if path in top_level_files:
            return FileResponse(dist / path, headers={"cache-control": REVALIDATE})
        if PurePosixPath(path).suffix.lower() in STATIC_SUFFIXES and not url_path.startswith(PEOPLE_PREFIX):
            raise NotFound(f"Nothing is at {url_path[:200]}.")  # a missing file, not a page
        return FileResponse(index, headers={"cache-control": REVALIDATE})

    return router


def assets_app(dist: Path) -> StaticFiles:
    return _HashedAssets(directory=dist / "assets", check_dir=False)
