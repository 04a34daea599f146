"""The async bridge: one event loop and one set of resources per worker process.

Celery's prefork pool forks children; a loop or a database pool must never cross a fork, so each
child builds its own on first use and `reset()` runs after every fork.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from viewfinder.kit.resources import Resources
from viewfinder.settings import Settings, get_settings

T = TypeVar("T")

_loop: asyncio.AbstractEventLoop | None = None
_resources: Resources | None = None
_settings: Settings | None = None


def use_settings(settings: Settings) -> None:
    global _settings
    _settings = settings


def reset() -> None:
    """Forget the parent's loop and resources (called in each freshly forked child)."""
    global _loop, _resources
    _loop = None
    _resources = None


def _get_loop() -> asyncio.AbstractEventLoop:
    global _loop
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
    return _loop


def resources() -> Resources:
    global _resources
    if _resources is None:
        _resources = Resources(_settings or get_settings())
    return _resources


def run(job: Callable[[Resources], Awaitable[T]]) -> T:
    """Run an async job with this process's resources on this process's loop."""
    return _get_loop().run_until_complete(job(resources()))


def shutdown() -> None:
    global _loop, _resources
    if _loop is not None and not _loop.is_closed():
        if _resources is not None:
            _loop.run_until_complete(_resources.aclose())
        _loop.close()
    _loop = None
    _resources = None


def run_in_unit_of_work(job: Callable[..., Awaitable[T]], *args: object) -> T:
    """Run `job(session, *args)` in one committed unit of work; its queued jobs go out after the commit."""

    async def call(resources: Resources) -> T:
        async with resources.db.unit_of_work() as session:
            return await job(session, *args)

    return run(call)
