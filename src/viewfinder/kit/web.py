"""Request plumbing: request ids, the access log, metrics, security headers, body limits, the session.

The middlewares are plain ASGI so they add little to every request and see streaming bodies.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated

import structlog
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from viewfinder.kit.errors import PayloadTooLarge, internal_error, problem
from viewfinder.kit.ids import new_id
from viewfinder.kit.metrics import HTTP_LATENCY, HTTP_REQUESTS
from viewfinder.kit.resources import Resources

access_log = structlog.get_logger("viewfinder.access")


@dataclass(frozen=True)
class ClientInfo:
    ip: str
    user_agent: str


# Who is calling, for the services that record it (sessions, the audit log) without a request in hand.
current_client: ContextVar[ClientInfo | None] = ContextVar("current_client", default=None)

REQUEST_ID_HEADER = "x-request-id"
_UNMATCHED_ROUTE = "unmatched"


def _valid_request_id(value: str) -> bool:
    return 0 < len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()


class RequestContextMiddleware:
    """Give each request an id (kept from `X-Request-ID` when sane), log it, and count it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = incoming if _valid_request_id(incoming) else new_id().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        user_agent = dict(scope["headers"]).get(b"user-agent", b"").decode("latin-1")[:512]
        client_token = current_client.set(ClientInfo(scope["client"][0] if scope.get("client") else "", user_agent))
        started = time.perf_counter()
        status = 500
        status_sent = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, status_sent
            if message["type"] == "http.response.start":
                status, status_sent = message["status"], True
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            log_unexpected(error, scope)
            if status_sent:
                raise
            await internal_error(request_id)(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", _UNMATCHED_ROUTE)
            HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
            HTTP_LATENCY.labels(scope["method"], route).observe(elapsed)
            # A matched route is logged by its template: paths can carry secrets (an invitation's token).
            access_log.info(
                "request",
                method=scope["method"],
                path=scope["path"] if route == _UNMATCHED_ROUTE else route,
                status=status,
                latency_ms=round(elapsed * 1000, 2),
            )
            structlog.contextvars.unbind_contextvars("request_id")
            current_client.reset(client_token)


def log_unexpected(error: Exception, scope: Scope) -> None:
    route = getattr(scope.get("route"), "path", scope["path"])
    access_log.error(
        "unhandled_error", error_type=type(error).__name__, method=scope["method"], path=route, exc_info=error
    )


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data: blob: https:; media-src 'self' blob: https:; "
        "style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'"
    ),
}
# The API docs pages start Swagger UI and ReDoc with an inline script.
_DOCS_CSP = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = dict(SECURITY_HEADERS)
        if hsts:
            self.headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_docs = scope["path"] in {"/docs", "/redoc"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                if is_docs:
                    headers["content-security-policy"] = _DOCS_CSP
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Answer 413 for bodies over the limit, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        received = 0
        exceeded = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise PayloadTooLarge(self._detail())
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if exceeded:
                # The app may have turned our exception into an answer of its own (a 400 from the body
                # parser); answer 413 instead, once, and drop the rest of the app's answer.
                if message["type"] == "http.response.start" and not response_started:
                    response_started = True
                    await self._reject(scope, receive, send)
                return
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except PayloadTooLarge:
            if response_started:
                raise
            await self._reject(scope, receive, send)

    def _detail(self) -> str:
        return f"The request body is larger than the limit of {self.max_bytes} bytes."

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(PayloadTooLarge.status, PayloadTooLarge.type, PayloadTooLarge.title, self._detail())
        await response(scope, receive, send)


def get_resources(request: Request) -> Resources:
    resources: Resources = request.app.state.resources
    return resources


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request, committed once when the route returns; jobs go out after the commit."""
    async with get_resources(request).db.unit_of_work() as session:
        yield session


# scope="function": commit before the answer is sent, so a failed commit is a 500, never a lost write.
DbSession = Annotated[AsyncSession, Depends(_request_session, scope="function")]
ResourcesDep = Annotated[Resources, Depends(get_resources)]
