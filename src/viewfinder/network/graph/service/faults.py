"""Faults on demand in the Graph API, per app or for all: errors with a chosen code, added latency, rate-limit
answers, tokens seen as expired, and answers lost after the call committed (the case that makes publishers post
twice). Switched on and off by `viewfinder network faults …` and the admin API; read once per call."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from typing import get_args

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput, NotFound
from viewfinder.network.graph.models import NetworkApp, NetworkFault
from viewfinder.network.graph.nodes import GraphError
from viewfinder.network.graph.schemas import FaultCreate, FaultKind, FaultView
from viewfinder.network.graph.service.usage import account_limit_reached, app_limit_reached, user_limit_reached
from viewfinder.network.social.ids import new_id, parse_id

KINDS: tuple[str, ...] = get_args(FaultKind)
METHODS = ("GET", "POST", "DELETE")
RATE_LIMIT_CODES = (4, 17, 80002)
MAX_LATENCY_MS = 300_000
MAX_PATH_LENGTH = 200
MAX_EXPIRES_IN = 366 * 86400

# Meta's messages for the codes a fault may answer with (https://developers.facebook.com/docs/graph-api/guides/
# error-handling), with the HTTP status and whether Meta marks them transient; other codes get a generic one.
ERRORS: dict[int, tuple[str, int, bool | None]] = {
    1: ("An unknown error has occurred.", 500, True),
    2: ("An unexpected error has occurred. Please retry your request later.", 500, True),
    4: ("(#4) Application request limit reached", 403, True),
    10: ("(#10) Application does not have permission for this action", 403, None),
    17: ("(#17) User request limit reached", 403, True),
    100: ("(#100) Invalid parameter", 400, None),
    190: ("Invalid OAuth access token - Cannot parse access token", 400, None),
    200: ("(#200) Permissions error", 403, None),
    341: ("(#341) Application limit reached", 400, True),
    368: ("(#368) The action attempted has been deemed abusive or is otherwise disallowed", 400, None),
    613: ("(#613) Calls to this api have exceeded the rate limit.", 400, True),
    9004: ("(#9004) The media could not be fetched from this uri", 400, None),
    9007: ("(#9007) The media is not ready for publishing, please wait for a moment", 400, None),
}

# Faults are a testing tool: a plain generator decides which calls fail.
_chance = random.Random()  # noqa: S311


def _checked_path(path: str) -> str:
    pattern = path.strip().strip("/") or "*"
    if len(pattern) > MAX_PATH_LENGTH:
        raise InvalidInput.on("path", f"A path pattern has at most {MAX_PATH_LENGTH} characters.")
    return pattern


def _checked_method(method: str | None) -> str | None:
    if method is None or not method.strip():
        return None
    if method.strip().upper() not in METHODS:
        raise InvalidInput.on("method", f"Choose a method among {', '.join(METHODS)}.")
    return method.strip().upper()


def _checked_code(spec: FaultCreate) -> int | None:
    if spec.kind == "rate_limit":
        code = spec.code if spec.code is not None else 4
        if code not in RATE_LIMIT_CODES:
            raise InvalidInput.on("code", "A rate limit answers code 4 (app), 17 (user) or 80002 (account).")
        return code
    if spec.kind == "error":
        code = spec.code if spec.code is not None else 2
        if code < 1:
            raise InvalidInput.on("code", "A Graph error code is a positive number.")
        return code
    if spec.code is not None:
        raise InvalidInput.on("code", f"A {spec.kind} fault takes no code.")
    return None


def _checked_latency(spec: FaultCreate) -> int | None:
    if spec.latency_ms is None:
        if spec.kind == "latency":
            raise InvalidInput.on("latency_ms", "A latency fault needs latency_ms, the milliseconds to add.")
        return None
    if spec.kind not in {"latency", "lost_answer"}:
        raise InvalidInput.on("latency_ms", "Only latency and lost_answer faults wait.")
    if not 1 <= spec.latency_ms <= MAX_LATENCY_MS:
        raise InvalidInput.on("latency_ms", f"Give 1 to {MAX_LATENCY_MS} milliseconds.")
    return spec.latency_ms


def _checked_status(spec: FaultCreate) -> int | None:
    if spec.status is None:
        return None
    if spec.kind not in {"error", "rate_limit"}:
        raise InvalidInput.on("status", "Only error and rate_limit faults choose an HTTP status.")
    if not 400 <= spec.status <= 599:
        raise InvalidInput.on("status", "An error's HTTP status is between 400 and 599.")
    return spec.status


async def _checked_app_id(session: AsyncSession, app_id: str | None) -> int | None:
    if app_id is None or not app_id.strip():
        return None
    number = parse_id(app_id.strip())
    if number is None or await session.get(NetworkApp, number) is None:
        raise NotFound(f"No app has the id {app_id}.")
    return number


async def add_fault(session: AsyncSession, spec: FaultCreate) -> NetworkFault:
    """Switch a fault on, for one app (`app_id`) or for every app."""
    if not 0 <= spec.rate <= 1:
        raise InvalidInput.on("rate", "The rate is the share of calls that fail, from 0 to 1.")
    if spec.subcode is not None and spec.kind != "error":
        raise InvalidInput.on("subcode", "Only error faults take a subcode.")
    if spec.expires_in is not None and not 1 <= spec.expires_in <= MAX_EXPIRES_IN:
        raise InvalidInput.on("expires_in", "A fault expires in 1 second to a year.")
    now = utcnow()
    fault = NetworkFault(
        id=new_id(),
        app_id=await _checked_app_id(session, spec.app_id),
        kind=spec.kind,
        path=_checked_path(spec.path),
        method=_checked_method(spec.method),
        rate=spec.rate,
        code=_checked_code(spec),
        subcode=spec.subcode,
        http_status=_checked_status(spec),
        latency_ms=_checked_latency(spec),
        created_at=now,
        expires_at=now + timedelta(seconds=spec.expires_in) if spec.expires_in is not None else None,
    )
    session.add(fault)
    await session.flush()
    return fault


async def list_faults(session: AsyncSession) -> list[NetworkFault]:
    """The faults switched on and not expired, oldest first."""
    now = utcnow()
    found = await session.scalars(
        select(NetworkFault)
        .where(or_(NetworkFault.expires_at.is_(None), NetworkFault.expires_at > now))
        .order_by(NetworkFault.id)
    )
    return list(found.all())


async def clear_faults(session: AsyncSession, *, fault_id: str | None = None) -> int:
    """Switch one fault off (by id), or all of them; how many were."""
    if fault_id is None:
        switched_off = len(list((await session.scalars(select(NetworkFault.id))).all()))
        await session.execute(delete(NetworkFault))
        return switched_off
    number = parse_id(fault_id)
    fault = await session.get(NetworkFault, number) if number is not None else None
    if fault is None:
        raise NotFound(f"No fault has the id {fault_id}.")
    await session.delete(fault)
    await session.flush()
    return 1


def fault_view(fault: NetworkFault) -> FaultView:
    return FaultView(
        id=str(fault.id),
        kind=fault.kind,
        app_id=str(fault.app_id) if fault.app_id is not None else None,
        path=fault.path,
        method=fault.method,
        rate=fault.rate,
        code=fault.code,
        subcode=fault.subcode,
        status=fault.http_status,
        latency_ms=fault.latency_ms,
        created_at=fault.created_at,
        expires_at=fault.expires_at,
    )


def call_paths(segments: Sequence[str]) -> tuple[str, str]:
    """The call's path after the version with ids as `{id}`: once with `me` kept, once with `me` as an id too, so
    that `{id}/media` also catches `me/media` and `me` can still be aimed at alone."""
    kept = "/".join("{id}" if segment.isdigit() else segment for segment in segments)
    as_id = "/".join("{id}" if segment.isdigit() or segment == "me" else segment for segment in segments)
    return kept, as_id


def _matches(fault: NetworkFault, method: str, paths: tuple[str, str]) -> bool:
    if fault.method is not None and fault.method != method:
        return False
    return any(fnmatchcase(path, fault.path) for path in paths)


@dataclass(frozen=True)
class FaultPlan:
    """What the faults that struck a call do to it: wait first, answer an error instead of running it, or run it,
    commit, and lose the answer (a 500, or an answer later than a client waits)."""

    delay_ms: int = 0
    refusal: GraphError | None = None
    lost: NetworkFault | None = None

    async def before(self) -> None:
        if self.delay_ms:
            await asyncio.sleep(self.delay_ms / 1000)
        if self.refusal is not None:
            raise self.refusal

    async def after_commit(self) -> None:
        if self.lost is None:
            return
        if self.lost.latency_ms:
            await asyncio.sleep(self.lost.latency_ms / 1000)
            return
        raise unexpected_error()


NO_FAULT = FaultPlan()


def unexpected_error() -> GraphError:
    message, status, transient = ERRORS[2]
    return GraphError(message, 2, status=status, is_transient=transient)


def session_expired(expired_at: datetime, now: datetime) -> GraphError:
    return GraphError(
        f"Error validating access token: Session has expired on {expired_at:%A, %d-%b-%y %H:%M:%S} UTC. "
        f"The current time is {now:%A, %d-%b-%y %H:%M:%S} UTC.",
        190,
        subcode=463,
    )


def _error_answer(fault: NetworkFault) -> GraphError:
    code = fault.code if fault.code is not None else 2
    message, status, transient = ERRORS.get(code, (f"(#{code}) An error occurred (code {code}).", 400, None))
    return GraphError(message, code, subcode=fault.subcode, status=fault.http_status or status, is_transient=transient)


def _rate_limit_answer(fault: NetworkFault) -> GraphError:
    by_code = {4: app_limit_reached, 17: user_limit_reached, 80002: account_limit_reached}
    error = by_code.get(fault.code or 4, app_limit_reached)()
    if fault.http_status is not None:
        error.status = fault.http_status
    return error


def _refusal(fault: NetworkFault, now: datetime) -> GraphError | None:
    if fault.kind == "error":
        return _error_answer(fault)
    if fault.kind == "rate_limit":
        return _rate_limit_answer(fault)
    if fault.kind == "expired_token":
        return session_expired(fault.created_at, now)
    return None


async def plan_faults(session: AsyncSession, *, app_id: int, method: str, segments: Sequence[str]) -> FaultPlan:
    """The faults striking this call: those of its app or of all apps, unexpired, on its path and method, each
    drawn at its rate. One query per call."""
    now = utcnow()
    found = await session.scalars(
        select(NetworkFault)
        .where(
            or_(NetworkFault.app_id.is_(None), NetworkFault.app_id == app_id),
            or_(NetworkFault.expires_at.is_(None), NetworkFault.expires_at > now),
        )
        .order_by(NetworkFault.id)
    )
    paths = call_paths(segments)
    striking = [fault for fault in found.all() if _matches(fault, method, paths) and _chance.random() < fault.rate]
    if not striking:
        return NO_FAULT
    refusals = [refusal for fault in striking if (refusal := _refusal(fault, now)) is not None]
    return FaultPlan(
        delay_ms=sum(fault.latency_ms or 0 for fault in striking if fault.kind == "latency"),
        refusal=refusals[0] if refusals else None,
        lost=next((fault for fault in striking if fault.kind == "lost_answer"), None),
    )
