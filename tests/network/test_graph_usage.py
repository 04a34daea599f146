"""Usage of the Graph API per app and per account over a rolling hour: Meta's `X-App-Usage` and
`X-Business-Use-Case-Usage` headers on every answer (errors too), and Instagram's rate-limit errors (4, 80002)
once an hour is spent, without running the call."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from tests.conftest import make_settings
from viewfinder.kit.clock import utcnow
from viewfinder.network.graph.service import comments, media  # noqa: F401 - they register the nodes
from viewfinder.network.graph.service.tokens import SCOPES
from viewfinder.network.graph.service.usage import Limits, Spent, Window, read_usage, record_call
from viewfinder.network.social.models import NetworkComment
from viewfinder.settings import Settings

from .graph_helpers import GRAPH, graph_error, graph_token, make_business
from .test_posts import created

pytestmark = pytest.mark.anyio

APP_USAGE_KEYS = {"call_count", "total_cputime", "total_time"}
BUSINESS_USAGE_KEYS = {"type", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access"}


@pytest.fixture
def settings(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Limits small enough to reach: per test with `@pytest.mark.parametrize("settings", [{…}], indirect=True)`."""
    limits: dict[str, Any] = getattr(request, "param", {})
    return make_settings(
        tmp_path / "data",
        database_url,
        network_graph_app_calls_per_hour=limits.get("app", 10),
        network_graph_account_calls_per_hour=limits.get("account", 20),
    )


def _app_usage(response: httpx.Response) -> dict[str, Any]:
    usage: dict[str, Any] = json.loads(response.headers["x-app-usage"])
    assert set(usage) == APP_USAGE_KEYS
    assert all(isinstance(value, int) for value in usage.values())
    return usage


def _business_usage(response: httpx.Response, account_id: str) -> dict[str, Any]:
    usage = json.loads(response.headers["x-business-use-case-usage"])
    assert list(usage) == [account_id]
    [entry] = usage[account_id]
    assert set(entry) == BUSINESS_USAGE_KEYS
    assert entry["type"] == "instagram"
    assert all(isinstance(entry[key], int) for key in BUSINESS_USAGE_KEYS - {"type"})
    return dict(entry)


async def _me(client: httpx.AsyncClient, token: str, fields: str = "id,username") -> httpx.Response:
    return await client.get(f"{GRAPH}/me", params={"access_token": token, "fields": fields})


async def test_every_answer_carries_the_usage_headers_with_metas_keys(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    token = await graph_token(app)

    ok = await _me(client, token)
    assert ok.status_code == 200
    assert _app_usage(ok)["call_count"] == 10  # 1 call of 10 an hour
    assert _business_usage(ok, business.id)["call_count"] == 5  # 1 of 20
    assert _business_usage(ok, business.id)["estimated_time_to_regain_access"] == 0

    failed = await _me(client, token, fields="id,no_such_field")
    graph_error(failed, 100)
    assert _app_usage(failed)["call_count"] == 20  # errors count too
    assert _business_usage(failed, business.id)["call_count"] == 10

    refused = await client.get(f"{GRAPH}/me", params={"access_token": "IGAAnot-a-token"})
    graph_error(refused, 190)
    assert "x-app-usage" not in refused.headers  # no app is known without a token of ours


async def test_apps_and_accounts_are_counted_apart(client: httpx.AsyncClient, app: FastAPI) -> None:
    lumen = await make_business(app)
    await make_business(app, "ember.bakery", name="Ember Bakery")
    first_app, second_app = await graph_token(app), await graph_token(app)
    other_account = await graph_token(app, "ember.bakery")

    for _ in range(3):
        assert (await _me(client, first_app)).status_code == 200
    second = await _me(client, second_app)
    assert _app_usage(second)["call_count"] == 10  # its app's first call
    assert _business_usage(second, lumen.id)["call_count"] == 20  # the account's fourth, across apps
    elsewhere = await _me(client, other_account)
    assert _business_usage(elsewhere, str(elsewhere.json()["id"]))["call_count"] == 5


@pytest.mark.parametrize("settings", [{"app": 3, "account": 100}], indirect=True)
async def test_a_spent_app_hour_answers_code_4_without_running_the_call(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    business = await make_business(app)
    token = await graph_token(app)
    post = await created(client, business, caption="Fresh roast")
    for _ in range(3):
        assert (await _me(client, token)).status_code == 200

    refused = await client.post(
        f"{GRAPH}/{post['id']}/comments", params={"access_token": token, "message": "Never written"}
    )

    error = graph_error(refused, 4)
    assert error["message"] == "(#4) Application request limit reached"
    assert error["is_transient"] is True
    assert _app_usage(refused)["call_count"] == 133  # refused calls count, as Meta warns
    async with app.state.resources.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(NetworkComment)) == 0
    # Another app of the same account still has its hour.
    other = await _me(client, await graph_token(app))
    assert other.status_code == 200


@pytest.mark.parametrize("settings", [{"app": 100, "account": 2}], indirect=True)
async def test_a_spent_account_hour_answers_80002_for_every_app(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    await make_business(app, "ember.bakery", name="Ember Bakery")
    token = await graph_token(app, scopes=SCOPES)
    for _ in range(2):
        assert (await _me(client, token)).status_code == 200

    for refused in (await _me(client, token), await _me(client, await graph_token(app))):
        error = graph_error(refused, 80002)
        assert error["message"].startswith("(#80002) There have been too many calls to this Instagram account.")
        assert error["is_transient"] is True
        usage = _business_usage(refused, business.id)
        assert usage["call_count"] >= 150
        # Every call is in the current minute (or, across a minute's end, the one before): an hour to wait.
        assert usage["estimated_time_to_regain_access"] in {59, 60}
    assert (await _me(client, await graph_token(app, "ember.bakery"))).status_code == 200


async def test_calls_older_than_an_hour_leave_the_window(app: FastAPI) -> None:
    cache = app.state.resources.cache
    now = utcnow()
    await record_call(cache, app_id=1, account_id=2, spent=Spent(1, 0.5, 1.0), now=now - timedelta(minutes=61))
    await record_call(cache, app_id=1, account_id=2, spent=Spent(1, 0.5, 1.0), now=now - timedelta(minutes=59))
    await record_call(cache, app_id=1, account_id=3, spent=Spent(1, 0.5, 1.0), now=now)

    usage = await read_usage(cache, app_id=1, account_id=2, now=now)

    assert usage.app.total() == Spent(2, 1.0, 2.0)  # the 59-minute-old call and the current one
    assert usage.account.total() == Spent(1, 0.5, 1.0)


def test_access_comes_back_when_enough_old_minutes_leave() -> None:
    limits = Limits(calls=4, cpu_seconds=100.0, wall_seconds=100.0)
    minutes = [Spent()] * 60
    minutes[0] = Spent(2)  # the oldest minute, leaving in one minute
    minutes[10] = Spent(1)
    minutes[59] = Spent(2)
    window = Window(tuple(minutes))

    assert window.percents(limits) == (125, 0, 0)
    assert window.minutes_to_regain_access(limits) == 1  # then 3 calls of 4: below the limit
    assert Window((*minutes[1:], Spent(1))).minutes_to_regain_access(limits) == 10
    assert Window((*[Spent()] * 59, Spent(0, 150.0, 0.0))).percents(limits) == (0, 150, 0)
