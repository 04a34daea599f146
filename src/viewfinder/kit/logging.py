"""Structured logs: JSON lines (or a console view) carrying the request id, with secrets masked."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, Literal

import sentry_sdk
import structlog

_SECRET_KEYS = re.compile(r"(pass(word)?|secret|token|authorization|cookie|api[_-]?key|dsn)", re.I)
# scheme://[user]:password@ — the user may be empty (redis://:pw@host), and a password may hold an unescaped
# "@", so the match runs to the last "@" before the path.
_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^\s/]*@", re.I)


def mask_url_password(text: str) -> str:
    return _URL_PASSWORD.sub(r"\g<scheme>***@", text)


def _mask_secrets(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key, value in list(event.items()):
        if _SECRET_KEYS.search(key) and value is not None:
            event[key] = "***"
        elif isinstance(value, str):
            event[key] = mask_url_password(value)
    return event


def init_error_reporting(dsn: str | None) -> None:
    """Send unhandled errors to Sentry when a DSN is set; its integrations cover FastAPI and Celery."""
    if dsn:
        sentry_sdk.init(dsn=dsn, send_default_pii=False)


def configure_logging(level: str = "INFO", fmt: Literal["auto", "json", "console"] = "auto") -> None:
    """Route structlog and the standard library (uvicorn, celery, sqlalchemy) through one renderer.

    "auto" reads well in both places: a console view in a terminal, JSON lines anywhere else.
    """
    if fmt == "auto":
        fmt = "console" if sys.stderr.isatty() else "json"
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        # Tracebacks become text before masking, so a password in an exception message is masked too.
        structlog.processors.format_exc_info,
        _mask_secrets,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's own access log is replaced by ours, which has the request id and latency.
    for name in ("uvicorn", "uvicorn.error", "celery"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every URL at INFO, and platform URLs carry access tokens in their query; alembic's plugins
    # announce themselves at every start.
    for name in ("httpx", "httpcore", "httpx_retries", "alembic.runtime.plugins"):
        logging.getLogger(name).setLevel(logging.WARNING)
