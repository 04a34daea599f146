"""create_app(): the web application with its middleware, error handlers and routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import RedirectResponse
from fastapi_offline import FastAPIOffline

from viewfinder import worker
from viewfinder.identity.api import router as identity_router
from viewfinder.kit.errors import install_error_handlers
from viewfinder.kit.logging import configure_logging
from viewfinder.kit.resources import Resources
from viewfinder.kit.spa import assets_app, default_dist_dir, web_app_router
from viewfinder.kit.storage import media_router
from viewfinder.kit.web import BodySizeLimitMiddleware, RequestContextMiddleware, SecurityHeadersMiddleware
from viewfinder.network.graph.api import router as graph_router
from viewfinder.network.social.api import router as network_router
from viewfinder.network.social.service.activity import write_pending_views
from viewfinder.ops.api import router as ops_router
from viewfinder.settings import Settings, get_settings

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    worker.configure(settings)  # also starts error reporting, shared with the worker processes
    resources = Resources(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        try:
            # The network's post views are counted in memory between writes: keep them.
            async with resources.db.unit_of_work() as session:
                await write_pending_views(session)
        finally:
            await resources.aclose()

    # The API docs' scripts are served by the install itself: a self-hosted product must work offline.
    app = FastAPIOffline(
        title="Viewfinder",
        version=_version(),
        summary="Publishing, insights, UGC and engagement for teams that run social accounts.",
        lifespan=lifespan,
    )
    app.state.resources = resources
    install_error_handlers(app)

    # Added innermost first. The request context wraps the rest, so every answer, a crash's included, is
    # logged, counted and carries the request id; the security headers wrap even that.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.base_url.scheme == "https")

    app.include_router(ops_router)
    app.include_router(media_router)
    app.include_router(identity_router, prefix=API_PREFIX)
    app.include_router(network_router, prefix="/network/api/v1")
    app.include_router(graph_router)

    dist = settings.web_dist_dir or default_dist_dir()
    if (dist / "index.html").is_file():
        app.mount("/assets", assets_app(dist), name="assets")
        app.include_router(web_app_router(dist))
    else:  # a source checkout whose web app is not built (`make web` builds it): the API is all there is

        @app.get("/", include_in_schema=False)
        async def home() -> RedirectResponse:
            return RedirectResponse("/docs")

    return app


def _version() -> str:
    from importlib.metadata import version

    return version("viewfinder")
