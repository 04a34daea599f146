"""Errors as `application/problem+json` (RFC 9457), the one shape every failure takes.

Application errors are classes named by what happened; each carries its status, a stable `type` slug
and a message a person can act on. Nothing below a 500 is logged as an error, and no 500 shows a trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://viewfinder.dev/problems/"

log = structlog.get_logger(__name__)


class AppError(Exception):
    """Base of every error the application raises on purpose."""

    status: int = 400
    type: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.detail = detail or self.title
        self.errors = list(errors or [])
        self.headers = headers or {}
        super().__init__(self.detail)


class NotFound(AppError):
    status, type, title = 404, "not-found", "Not found"


class Conflict(AppError):
    status, type, title = 409, "conflict", "Conflict"


class Unauthorized(AppError):
    status, type, title = 401, "unauthorized", "Sign-in required"


class Forbidden(AppError):
    status, type, title = 403, "forbidden", "Not allowed"


class InvalidInput(AppError):
    status, type, title = 422, "validation-error", "The request is not valid"

    @classmethod
    def on(cls, field: str, message: str, code: str = "invalid") -> Self:
        """The error of one field, whose message is also the answer's detail."""
        return cls(message, errors=[{"field": field, "message": message, "code": code}])


class PayloadTooLarge(AppError):
    status, type, title = 413, "payload-too-large", "The request body is too large"


class RateLimited(AppError):
    status, type, title = 429, "rate-limited", "Too many requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many requests: try again in {retry_after} seconds.", headers={"Retry-After": str(retry_after)}
        )


class MethodNotAllowed(AppError):
    status, type, title = 405, "method-not-allowed", "Method not allowed"


# Starlette's own HTTP errors (unknown route, wrong method, …) answer in the shape of our classes.
_HTTP_TITLES = {
    error.status: (error.type, error.title)
    for error in (AppError, Unauthorized, Forbidden, NotFound, MethodNotAllowed, PayloadTooLarge, RateLimited)
}


def problem(
    status: int,
    type_: str,
    title: str,
    detail: str,
    *,
    errors: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
    request: Request | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + type_, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = list(errors)
    if request is not None:
        body["instance"] = request.url.path
        request_id = getattr(request.state, "request_id", None)
        if request_id:
            body["request_id"] = request_id
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _field_path(location: Sequence[Any]) -> str:
    # ("body", "items", 0, "name") → "items[0].name"; the source ("body", "query") is kept for params.
    parts = list(location)
    if parts and parts[0] == "body":
        parts = parts[1:]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem(exc.status, exc.type, exc.title, exc.detail, errors=exc.errors, headers=exc.headers, request=request)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field_path(e["loc"]), "message": e["msg"], "code": e["type"]} for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:3])
    return problem(422, "validation-error", "The request is not valid", detail, errors=errors, request=request)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    type_, title = _HTTP_TITLES.get(exc.status_code, ("http-error", "Request failed"))
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else title
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"Nothing is at {request.url.path}."
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    return problem(exc.status_code, type_, title, detail, headers=dict(exc.headers or {}), request=request)


def internal_error(request_id: str | None) -> JSONResponse:
    """The answer to an unexpected error: no trace, only the request id that finds it in the log."""
    body = {
        "type": TYPE_BASE + "internal-error",
        "title": "Something went wrong",
        "status": 500,
        "detail": "The server could not complete the request. It has been logged; quote the request id.",
        "request_id": request_id,
    }
    return JSONResponse(body, status_code=500, media_type=PROBLEM_JSON)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # Unexpected errors are answered by RequestContextMiddleware, inside the security headers and the log
    # context; Starlette's own handler for them runs outside every middleware.
