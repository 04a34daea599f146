"""What each app and each account spends of the Graph API over a rolling hour (calls, CPU time, wall time), told in
Instagram's `X-App-Usage` and `X-Business-Use-Case-Usage` headers, and the rate-limit errors (4, 80002) past it.

Counters are per-minute buckets in the resources' cache (memory or Redis), so any process of an install sees the
same usage; a bucket is read and written back, so calls finishing in the same instant may undercount a little.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from viewfinder.kit.cache import Cache
from viewfinder.network.graph.nodes import GraphError
from viewfinder.settings import Settings

WINDOW_MINUTES = 60
# A bucket outlives the window a little, so the oldest minute is still there when the window reads it.
BUCKET_TTL_SECONDS = (WINDOW_MINUTES + 2) * 60
RATE_LIMITING_DOCS = "https://developers.facebook.com/docs/graph-api/overview/rate-limiting"


@dataclass(frozen=True)
class Spent:
    """Calls made and seconds spent, in one minute or in a whole window."""

    calls: int = 0
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0

    def plus(self, other: Spent) -> Spent:
        return Spent(
            self.calls + other.calls, self.cpu_seconds + other.cpu_seconds, self.wall_seconds + other.wall_seconds
        )

    def stored(self) -> list[float]:
        return [self.calls, self.cpu_seconds, self.wall_seconds]

    @classmethod
    def from_stored(cls, value: object) -> Spent:
        if not isinstance(value, list) or len(value) != 3:
            return cls()
        return cls(int(value[0]), float(value[1]), float(value[2]))


@dataclass(frozen=True)
class Limits:
    calls: int
    cpu_seconds: float
    wall_seconds: float


def app_limits(settings: Settings) -> Limits:
    return Limits(
        settings.network_graph_app_calls_per_hour,
        settings.network_graph_cpu_seconds_per_hour,
        settings.network_graph_time_seconds_per_hour,
    )


def account_limits(settings: Settings) -> Limits:
    return Limits(
        settings.network_graph_account_calls_per_hour,
        settings.network_graph_cpu_seconds_per_hour,
        settings.network_graph_time_seconds_per_hour,
    )


class Meter:
    """Measures one call: the CPU time of the process and the wall time from its start."""

    def __init__(self) -> None:
        self._cpu = time.process_time()
        self._wall = time.perf_counter()

    def spent(self) -> Spent:
        return Spent(1, time.process_time() - self._cpu, time.perf_counter() - self._wall)


@dataclass(frozen=True)
class Window:
    """One counter's last hour, a bucket per minute, the oldest first and the current minute last."""

    minutes: tuple[Spent, ...]

    def total(self) -> Spent:
        total = Spent()
        for minute in self.minutes:
            total = total.plus(minute)
        return total

    def with_call(self, spent: Spent) -> Window:
        return Window((*self.minutes[:-1], self.minutes[-1].plus(spent)))

    def percents(self, limits: Limits) -> tuple[int, int, int]:
        """call_count, total_cputime and total_time: whole percents of the limits, as Meta writes them."""
        total = self.total()
        return (
            math.floor(100 * total.calls / limits.calls),
            math.floor(100 * total.cpu_seconds / limits.cpu_seconds),
            math.floor(100 * total.wall_seconds / limits.wall_seconds),
        )

    def spent_out(self, limits: Limits) -> bool:
        return max(self.percents(limits)) >= 100

    def minutes_to_regain_access(self, limits: Limits) -> int:
        """How many minutes until enough old minutes leave the window for calls to pass again."""
        remaining = self
        for waited in range(len(self.minutes)):
            if not remaining.spent_out(limits):
                return waited
            remaining = Window((*remaining.minutes[1:], Spent()))
        return len(self.minutes)


def _minute(now: datetime) -> int:
    return int(now.timestamp() // 60)


def _keys(scope: str, subject_id: int, now: datetime) -> list[str]:
    current = _minute(now)
    return [f"graph:usage:{scope}:{subject_id}:{minute}" for minute in range(current - WINDOW_MINUTES + 1, current + 1)]


@dataclass(frozen=True)
class Usage:
    """The app's and the account's windows as a call starts."""

    app: Window
    account: Window


def _window(values: Sequence[object]) -> Window:
    return Window(tuple(Spent.from_stored(value) for value in values))


async def read_usage(cache: Cache, *, app_id: int, account_id: int, now: datetime) -> Usage:
    """Both windows in one round trip."""
    values = await cache.get_many(_keys("app", app_id, now) + _keys("account", account_id, now))
    return Usage(app=_window(values[:WINDOW_MINUTES]), account=_window(values[WINDOW_MINUTES:]))


async def record_call(cache: Cache, *, app_id: int, account_id: int, spent: Spent, now: datetime) -> None:
    """Add one call to the current minute of the app and of the account (read again, to lose as little as can be
    of calls that ended meanwhile)."""
    keys = [_keys("app", app_id, now)[-1], _keys("account", account_id, now)[-1]]
    current = await cache.get_many(keys)
    await cache.set_many(
        {key: Spent.from_stored(value).plus(spent).stored() for key, value in zip(keys, current, strict=True)},
        BUCKET_TTL_SECONDS,
    )


def app_limit_reached() -> GraphError:
    return GraphError("(#4) Application request limit reached", 4, status=403, is_transient=True)


def user_limit_reached() -> GraphError:
    return GraphError("(#17) User request limit reached", 17, status=403, is_transient=True)


def account_limit_reached() -> GraphError:
    return GraphError(
        "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more "
        f"info, please refer to {RATE_LIMITING_DOCS}.",
        80002,
        is_transient=True,
    )


def refuse_when_spent(usage: Usage, settings: Settings) -> None:
    """Instagram's answer when the account's (Business Use Case) or the app's hour is spent; the account's wins,
    as Meta applies the BUC limit when both could."""
    if usage.account.spent_out(account_limits(settings)):
        raise account_limit_reached()
    if usage.app.spent_out(app_limits(settings)):
        raise app_limit_reached()


def usage_headers(usage: Usage, *, account_id: int, settings: Settings) -> dict[str, str]:
    """`X-App-Usage` and `X-Business-Use-Case-Usage` with exactly Meta's keys, the call just made included."""
    app_calls, app_cpu, app_time = usage.app.percents(app_limits(settings))
    limits = account_limits(settings)
    calls, cpu, wall = usage.account.percents(limits)
    business_use_case = {
        str(account_id): [
            {
                "type": "instagram",
                "call_count": calls,
                "total_cputime": cpu,
                "total_time": wall,
                "estimated_time_to_regain_access": usage.account.minutes_to_regain_access(limits),
            }
        ]
    }
    return {
        "X-App-Usage": json.dumps({"call_count": app_calls, "total_cputime": app_cpu, "total_time": app_time}),
        "X-Business-Use-Case-Usage": json.dumps(business_use_case),
    }
