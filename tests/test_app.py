"""The application shell: problem+json errors, request ids, security headers, compression, body limits."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import select

from tests.conftest import make_settings
from viewfinder.kit import jobs
from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import Conflict
from viewfinder.kit.pagination import Page, PageParams, encode_cursor, page_params, paginate
from viewfinder.kit.web import DbSession
from viewfinder.ops.models import WorkerHeartbeat

pytestmark = pytest.mark.anyio


class Widget(BaseModel):
    name: str = Field(min_length=1)
    count: int = Field(ge=0)


@pytest.fixture
def sent_jobs() -> list[jobs.Job]:
    return []


@pytest.fixture
async def shell(tmp_path: Path, sqlite_template: Path, sent_jobs: list[jobs.Job]) -> AsyncIterator[httpx.AsyncClient]:
    """The real app, on SQLite, with a few routes that fail on purpose."""
    from viewfinder.app import create_app

    database = tmp_path / "viewfinder.db"
    shutil.copy(sqlite_template, database)
    settings = make_settings(tmp_path / "data", f"sqlite+aiosqlite:///{database}", max_request_bytes=2048)
    app: FastAPI = create_app(settings)

    @app.post("/test/widgets", status_code=201)
    async def create_widget(widget: Widget) -> Widget:
        return widget

    @app.get("/test/conflict")
    async def conflict() -> None:
        raise Conflict("That name is taken: choose another.")

    @app.get("/test/crash")
    async def crash() -> None:
        raise RuntimeError("database password=hunter2 leaked")

    @app.post("/test/heartbeats", status_code=201)
    async def add_heartbeat(session: DbSession, hostname: str, fail: bool = False) -> dict[str, str]:
        session.add(WorkerHeartbeat(hostname=hostname, last_seen_at=utcnow()))
        jobs.enqueue(session, "ops.record_heartbeat")
        await session.flush()
        if fail:
            raise Conflict("Refused after writing: nothing may stay.")
        return {"hostname": hostname}

    @app.get("/test/heartbeats")
    async def list_heartbeats(session: DbSession, page: Annotated[PageParams, Depends(page_params)]) -> Page[str]:
        rows, cursor = await paginate(session, select(WorkerHeartbeat), [WorkerHeartbeat.hostname], page)
        return Page(items=[row.hostname for row in rows], next_cursor=cursor)

    @app.get("/test/large")
    async def large() -> dict[str, str]:
        return {"text": "x" * 5000}

    jobs.set_sender(sent_jobs.append)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
    jobs.set_sender(None)
    await app.state.resources.aclose()


def assert_problem(response: httpx.Response, status: int, type_suffix: str) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert str(body["type"]).endswith("/" + type_suffix)
    assert body["title"]
    assert body["detail"]
    return body


async def test_validation_errors_name_each_field(shell: httpx.AsyncClient) -> None:
    response = await shell.post("/test/widgets", json={"name": "", "count": -1})
    body = assert_problem(response, 422, "validation-error")
    fields = {error["field"]: error for error in body["errors"]}  # type: ignore[attr-defined]
    assert set(fields) == {"name", "count"}
    assert "at least 1 character" in fields["name"]["message"]


async def test_malformed_json_is_a_422(shell: httpx.AsyncClient) -> None:
    response = await shell.post("/test/widgets", content=b"{not json", headers={"content-type": "application/json"})
    assert_problem(response, 422, "validation-error")


async def test_application_errors_keep_their_message(shell: httpx.AsyncClient) -> None:
    body = assert_problem(await shell.get("/test/conflict"), 409, "conflict")
    assert body["detail"] == "That name is taken: choose another."
    assert body["instance"] == "/test/conflict"


async def test_unknown_route_and_wrong_method(shell: httpx.AsyncClient) -> None:
    body = assert_problem(await shell.get("/nowhere"), 404, "not-found")
    assert "/nowhere" in str(body["detail"])
    body = assert_problem(await shell.delete("/test/conflict"), 405, "method-not-allowed")
    assert "DELETE" in str(body["detail"])


async def test_unexpected_errors_hide_the_trace_and_give_the_request_id(
    shell: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await shell.get("/test/crash", headers={"X-Request-ID": "abc-123"})
    body = assert_problem(response, 500, "internal-error")
    assert body["request_id"] == "abc-123"
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    [logged] = [
        record.msg
        for record in caplog.records
        if isinstance(record.msg, dict) and record.msg.get("event") == "unhandled_error"
    ]
    assert logged["request_id"] == "abc-123"
    assert logged["path"] == "/test/crash"
    assert response.headers["x-request-id"] == "abc-123"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_oversized_bodies_are_refused(shell: httpx.AsyncClient) -> None:
    payload = b'{"name": "' + b"x" * 4096 + b'", "count": 1}'
    announced = await shell.post("/test/widgets", content=payload, headers={"content-type": "application/json"})
    assert_problem(announced, 413, "payload-too-large")

    async def stream() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"x" * 1024

    streamed = await shell.post("/test/widgets", content=stream(), headers={"content-type": "application/json"})
    assert_problem(streamed, 413, "payload-too-large")


async def test_request_ids_are_generated_or_kept(shell: httpx.AsyncClient) -> None:
    generated = (await shell.get("/health/live")).headers["x-request-id"]
    assert len(generated) == 32
    assert (await shell.get("/health/live", headers={"X-Request-ID": "trace-7"})).headers["x-request-id"] == "trace-7"
    hostile = (await shell.get("/health/live", headers={"X-Request-ID": "bad id\twith tab"})).headers["x-request-id"]
    assert hostile != "bad id\twith tab"


async def test_security_headers_and_compression(shell: httpx.AsyncClient) -> None:
    response = await shell.get("/test/large", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["text"] == "x" * 5000
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers  # only behind https


async def test_openapi_and_docs_are_served(shell: httpx.AsyncClient) -> None:
    document = (await shell.get("/openapi.json")).json()
    assert document["info"]["title"] == "Viewfinder"
    assert "/health/ready" in document["paths"]
    docs = await shell.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_metrics_count_requests_by_route(shell: httpx.AsyncClient) -> None:
    await shell.get("/test/conflict")
    text = (await shell.get("/metrics")).text
    assert 'viewfinder_http_requests_total{method="GET",route="/test/conflict",status="409"}' in text
    assert "viewfinder_http_request_duration_seconds_bucket" in text


async def test_a_request_commits_once_and_then_sends_its_jobs(
    shell: httpx.AsyncClient, sent_jobs: list[jobs.Job]
) -> None:
    assert (await shell.post("/test/heartbeats", params={"hostname": "a"})).status_code == 201
    assert [job.name for job in sent_jobs] == ["ops.record_heartbeat"]
    assert (await shell.get("/test/heartbeats")).json() == {"items": ["a"], "next_cursor": None}


async def test_a_failed_request_leaves_nothing_written_and_sends_nothing(
    shell: httpx.AsyncClient, sent_jobs: list[jobs.Job]
) -> None:
    response = await shell.post("/test/heartbeats", params={"hostname": "b", "fail": True})
    assert_problem(response, 409, "conflict")
    assert (await shell.get("/test/heartbeats")).json()["items"] == []
    assert sent_jobs == []


async def test_lists_page_by_cursor_with_bounded_limits(shell: httpx.AsyncClient) -> None:
    for index in range(26):
        await shell.post("/test/heartbeats", params={"hostname": f"host-{index:02d}"})
    first = (await shell.get("/test/heartbeats")).json()
    assert len(first["items"]) == 24
    assert first["items"][0] == "host-25"
    rest = (await shell.get("/test/heartbeats", params={"cursor": first["next_cursor"]})).json()
    assert rest == {"items": ["host-01", "host-00"], "next_cursor": None}
    for limit in (0, 101):
        body = assert_problem(await shell.get("/test/heartbeats", params={"limit": limit}), 422, "validation-error")
        assert body["errors"][0]["field"] == "query.limit"  # type: ignore[index]


@pytest.mark.parametrize("cursor", ["garbage!", encode_cursor([7]), encode_cursor(["a", "b"])])
async def test_foreign_cursors_are_a_422(shell: httpx.AsyncClient, cursor: str) -> None:
    body = assert_problem(await shell.get("/test/heartbeats", params={"cursor": cursor}), 422, "validation-error")
    assert body["errors"] == [{"field": "cursor", "message": "not a valid cursor", "code": "cursor"}]
