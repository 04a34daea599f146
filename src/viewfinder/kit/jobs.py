"""Jobs queued during a unit of work, sent only after it commits.

A worker must never see an id whose row is not committed yet, so queuing only records the job on the
session; `kit.db.send_pending_jobs` sends them after the commit. The sending itself is plugged in by `worker/`,
which keeps Celery out of the kernel and the domains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

_PENDING = "viewfinder.pending_jobs"


@dataclass(frozen=True)
class Job:
    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    countdown: float | None = None


Sender = Callable[[Job], None]
_sender: Sender | None = None


def set_sender(sender: Sender | None) -> None:
    global _sender
    _sender = sender


def enqueue(session: AsyncSession, name: str, *args: Any, countdown: float | None = None, **kwargs: Any) -> None:
    """Queue job `name` to run once the session's transaction commits."""
    session.info.setdefault(_PENDING, []).append(Job(name, args, kwargs, countdown))


def take_pending(session: AsyncSession) -> list[Job]:
    jobs: list[Job] = session.info.pop(_PENDING, [])
    return jobs


def discard_pending(session: AsyncSession) -> None:
    session.info.pop(_PENDING, None)


def send(jobs: list[Job]) -> None:
    if not jobs:
        return
    if _sender is None:
        raise RuntimeError("no job sender configured: import viewfinder.worker before queuing jobs")
    for job in jobs:
        _sender(job)
