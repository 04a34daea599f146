"""Faults on demand in the Graph API: each kind switched on and off through the admin API and the command, aimed
by app, path, method and rate; errors with Meta's messages, latency, rate limits, expired tokens, and lost answers
whose change is committed all the same."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from typer.testing import CliRunner

from tests.conftest import make_settings
from viewfinder import cli
from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput, NotFound
from viewfinder.network.graph.models import NetworkFault
from viewfinder.network.graph.schemas import FaultCreate
from viewfinder.network.graph.service import comments, media  # noqa: F401 - they register the nodes
from viewfinder.network.graph.service.faults import add_fault, call_paths, clear_faults, list_faults
from viewfinder.network.graph.service.tokens import find_token
from viewfinder.network.social.models import NetworkComment
from viewfinder.settings import Settings

from .graph_helpers import GRAPH, graph_error, graph_token, make_business
from .helpers import API, NetPerson
from .test_posts import created

pytestmark = pytest.mark.anyio

ADMIN_TOKEN = "an admin token for the tests"
FAULTS = f"{API}/admin/faults"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data", database_url, network_admin_token=ADMIN_TOKEN)


async def _switch_on(client: httpx.AsyncClient, **fault: Any) -> dict[str, Any]:
    response = await client.post(FAULTS, headers=ADMIN, json=fault)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _switch_off(client: httpx.AsyncClient, fault_id: str) -> None:
    assert (await client.delete(f"{FAULTS}/{fault_id}", headers=ADMIN)).status_code == 204


async def _me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get(f"{GRAPH}/me", params={"access_token": token, "fields": "id,username"})


async def _app_id(app: FastAPI, token: str) -> str:
    async with app.state.resources.db.sessions() as session:
        found = await find_token(session, token)
    assert found is not None
    return str(found[0].app_id)


async def _comment_texts(app: FastAPI, post_id: str) -> list[str]:
    async with app.state.resources.db.sessions() as session:
        found = await session.scalars(select(NetworkComment.text).where(NetworkComment.post_id == int(post_id)))
        return list(found.all())


async def _business_with_post(client: httpx.AsyncClient, app: FastAPI) -> tuple[NetPerson, str, str]:
    business = await make_business(app)
    post = await created(client, business, caption="Fresh roast")
    return business, post["id"], await graph_token(app)


async def test_an_error_fault_answers_metas_error_until_switched_off(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    token = await graph_token(app)
    fault = await _switch_on(client, kind="error", path="me")
    assert (fault["kind"], fault["code"], fault["app_id"], fault["rate"]) == ("error", 2, None, 1.0)

    struck = await _me(client, token)
    assert struck.status_code == 500
    error = graph_error(struck, 2)
    assert error["message"] == "An unexpected error has occurred. Please retry your request later."
    assert error["is_transient"] is True
    assert "x-app-usage" in struck.headers  # a fault's answer is a Graph answer like any other

    listed = (await client.get(FAULTS, headers=ADMIN)).json()
    assert [item["id"] for item in listed["items"]] == [fault["id"]]
    await _switch_off(client, fault["id"])
    assert (await _me(client, token)).status_code == 200
    assert (await client.get(FAULTS, headers=ADMIN)).json()["items"] == []


async def test_an_error_fault_takes_a_code_subcode_and_status(client: httpx.AsyncClient, app: FastAPI) -> None:
    _, post_id, token = await _business_with_post(client, app)
    await _switch_on(client, kind="error", path="{id}/comments", method="POST", code=9007, subcode=2207027, status=400)

    struck = await client.post(f"{GRAPH}/{post_id}/comments", params={"access_token": token, "message": "Hi"})
    assert struck.status_code == 400
    error = graph_error(struck, 9007, 2207027)
    assert error["message"] == "(#9007) The media is not ready for publishing, please wait for a moment"
    assert await _comment_texts(app, post_id) == []  # refused before it ran
    # Other paths and methods are untouched.
    listed = await client.get(f"{GRAPH}/{post_id}/comments", params={"access_token": token})
    assert listed.status_code == 200
    assert (await _me(client, token)).status_code == 200


async def test_faults_of_one_app_do_not_touch_other_apps(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    struck_token, spared_token = await graph_token(app), await graph_token(app)
    await _switch_on(client, kind="error", code=1, app_id=await _app_id(app, struck_token))

    graph_error(await _me(client, struck_token), 1)
    assert (await _me(client, spared_token)).status_code == 200


async def test_the_rate_is_the_share_of_calls_struck(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    token = await graph_token(app)
    never = await _switch_on(client, kind="error", rate=0)
    assert [(await _me(client, token)).status_code for _ in range(5)] == [200] * 5
    await _switch_off(client, never["id"])
    await _switch_on(client, kind="error", rate=1)
    assert [(await _me(client, token)).status_code for _ in range(5)] == [500] * 5


async def test_paths_are_globs_with_ids_as_placeholders() -> None:
    assert call_paths(["17841400000000001", "media_publish"]) == ("{id}/media_publish", "{id}/media_publish")
    assert call_paths(["me", "media"]) == ("me/media", "{id}/media")
    assert call_paths(["ig_hashtag_search"]) == ("ig_hashtag_search", "ig_hashtag_search")


async def test_a_latency_fault_delays_the_answer(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    token = await graph_token(app)
    fault = await _switch_on(client, kind="latency", latency_ms=400, path="me")

    started = time.perf_counter()
    slow = await _me(client, token)
    assert slow.status_code == 200
    assert time.perf_counter() - started >= 0.4

    await _switch_off(client, fault["id"])
    started = time.perf_counter()
    assert (await _me(client, token)).status_code == 200
    assert time.perf_counter() - started < 0.4


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (4, "(#4) Application request limit reached"),
        (17, "(#17) User request limit reached"),
        (80002, "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again."),
    ],
)
async def test_a_rate_limit_fault_answers_instagrams_limits(
    client: httpx.AsyncClient, app: FastAPI, code: int, message: str
) -> None:
    await make_business(app)
    token = await graph_token(app)
    fault = await _switch_on(client, kind="rate_limit", code=code)

    error = graph_error(await _me(client, token), code)
    assert error["message"].startswith(message)
    assert error["is_transient"] is True

    await _switch_off(client, fault["id"])
    assert (await _me(client, token)).status_code == 200


async def test_an_expired_token_fault_answers_190_463(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    token = await graph_token(app)
    fault = await _switch_on(client, kind="expired_token", expires_in=3600)
    assert fault["expires_at"] is not None

    error = graph_error(await _me(client, token), 190, 463)
    assert error["message"].startswith("Error validating access token: Session has expired on ")

    await _switch_off(client, fault["id"])
    assert (await _me(client, token)).status_code == 200


async def test_a_lost_answer_commits_the_change_and_answers_a_transient_500(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    _, post_id, token = await _business_with_post(client, app)
    fault = await _switch_on(client, kind="lost_answer", path="{id}/comments", method="POST")

    lost = await client.post(f"{GRAPH}/{post_id}/comments", params={"access_token": token, "message": "Once"})

    assert lost.status_code == 500
    assert graph_error(lost, 2)["is_transient"] is True
    assert await _comment_texts(app, post_id) == ["Once"]  # the naive retry would post it twice
    await _switch_off(client, fault["id"])
    kept = await client.post(f"{GRAPH}/{post_id}/comments", params={"access_token": token, "message": "Twice"})
    assert kept.status_code == 200
    assert sorted(await _comment_texts(app, post_id)) == ["Once", "Twice"]


async def test_a_late_lost_answer_commits_before_the_client_gives_up(client: httpx.AsyncClient, app: FastAPI) -> None:
    _, post_id, token = await _business_with_post(client, app)
    await _switch_on(client, kind="lost_answer", path="{id}/comments", latency_ms=5000)

    with pytest.raises(TimeoutError):
        with anyio.fail_after(1):
            await client.post(f"{GRAPH}/{post_id}/comments", params={"access_token": token, "message": "Late"})

    assert await _comment_texts(app, post_id) == ["Late"]


async def test_an_expired_fault_no_longer_strikes(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    token = await graph_token(app)
    fault = await _switch_on(client, kind="error", expires_in=60)
    graph_error(await _me(client, token), 2)
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkFault)
            .where(NetworkFault.id == int(fault["id"]))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )

    assert (await _me(client, token)).status_code == 200
    assert (await client.get(FAULTS, headers=ADMIN)).json()["items"] == []


async def test_the_admin_api_wants_the_admin_token(client: httpx.AsyncClient) -> None:
    assert (await client.get(FAULTS)).status_code == 401
    wrong = await client.get(FAULTS, headers={"Authorization": "Bearer not the admin token"})
    assert wrong.status_code == 401
    assert wrong.headers["content-type"].startswith("application/problem+json")


async def test_without_an_admin_token_the_admin_api_does_not_exist(database_url: str, tmp_path: Path) -> None:
    from viewfinder.app import create_app

    application = create_app(make_settings(tmp_path / "bare", database_url))
    try:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            for method in ("GET", "POST", "DELETE"):
                response = await http.request(method, FAULTS, headers=ADMIN, json={"kind": "error"})
                assert response.status_code == 404, method
                assert response.headers["content-type"].startswith("application/problem+json")
    finally:
        await application.state.resources.aclose()


@pytest.mark.parametrize(
    ("fault", "field"),
    [
        ({"kind": "error", "rate": 1.5}, "rate"),
        ({"kind": "latency"}, "latency_ms"),
        ({"kind": "rate_limit", "code": 613}, "code"),
        ({"kind": "error", "method": "PATCH"}, "method"),
        ({"kind": "expired_token", "latency_ms": 10}, "latency_ms"),
        ({"kind": "error", "status": 200}, "status"),
        ({"kind": "flood"}, "kind"),
    ],
)
async def test_bad_faults_are_refused_as_problems(client: httpx.AsyncClient, fault: dict[str, Any], field: str) -> None:
    response = await client.post(FAULTS, headers=ADMIN, json=fault)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert (await client.get(FAULTS, headers=ADMIN)).json()["items"] == []


async def test_unknown_apps_and_faults_are_not_found(client: httpx.AsyncClient) -> None:
    unknown_app = await client.post(FAULTS, headers=ADMIN, json={"kind": "error", "app_id": "123456789"})
    assert unknown_app.status_code == 404
    assert (await client.delete(f"{FAULTS}/123456789", headers=ADMIN)).status_code == 404


async def test_the_command_functions_switch_faults_on_and_off(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    token = await graph_token(app)
    database = app.state.resources.db
    async with database.unit_of_work() as session:
        fault = await add_fault(session, FaultCreate(kind="rate_limit", code=80002, path="me", method="GET"))
    graph_error(await _me(client, token), 80002)

    async with database.unit_of_work() as session:
        assert [listed.id for listed in await list_faults(session)] == [fault.id]
        with pytest.raises(InvalidInput):
            await add_fault(session, FaultCreate(kind="error", subcode=1, code=None, rate=-1))
        with pytest.raises(NotFound):
            await clear_faults(session, fault_id="42")
        assert await clear_faults(session, fault_id=str(fault.id)) == 1
    assert (await _me(client, token)).status_code == 200

    async with database.unit_of_work() as session:
        await add_fault(session, FaultCreate(kind="error"))
        await add_fault(session, FaultCreate(kind="latency", latency_ms=5))
        assert await clear_faults(session) == 2
        assert await list_faults(session) == []


async def test_the_faults_command_adds_lists_and_clears(
    client: httpx.AsyncClient, app: FastAPI, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_business(app)
    token = await graph_token(app)
    monkeypatch.setattr(cli, "_settings", lambda: settings)
    runner = CliRunner()

    async def run(*arguments: str) -> str:
        result = await anyio.to_thread.run_sync(lambda: runner.invoke(cli.app, ["network", "faults", *arguments]))
        assert result.exit_code == 0, result.output
        return result.output

    app_id = await _app_id(app, token)
    added = json.loads(await run("add", "--kind", "expired_token", "--app-id", app_id, "--json"))
    assert (added["kind"], added["app_id"], added["path"]) == ("expired_token", app_id, "*")
    graph_error(await _me(client, token), 190, 463)
    assert [fault["id"] for fault in json.loads(await run("list", "--json"))] == [added["id"]]

    assert "Switched off 1 fault." in await run("clear", "--all")
    assert (await _me(client, token)).status_code == 200
    assert "No fault is switched on." in await run("list")
