"""The audit log through the API: listing with filters and pages, CSV export, chain verification and
tampering, who may read it, and appends that race."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text

from tests.identity.helpers import Person, add_member, make_person, make_workspace
from viewfinder.identity.models import AuditEntry, User
from viewfinder.identity.permissions import Role
from viewfinder.identity.service import audit
from viewfinder.kit.clock import utcnow
from viewfinder.kit.web import ClientInfo, current_client

pytestmark = pytest.mark.anyio

CLIENT = ClientInfo("203.0.113.7", "audit-tests/1.0")


def audit_url(workspace_id: uuid.UUID, tail: str = "") -> str:
    return f"/api/v1/workspaces/{workspace_id}/audit{tail}"


async def record(
    app: FastAPI, workspace_id: uuid.UUID | None, entries: list[dict[str, Any]], client: ClientInfo | None = CLIENT
) -> None:
    """Record entries in one unit of work, as if serving a request from `client` (None: a background job)."""
    token = current_client.set(client)
    try:
        async with app.state.resources.db.unit_of_work() as session:
            for entry in entries:
                await audit.record(session, workspace_id=workspace_id, **entry)
    finally:
        current_client.reset(token)


def entry(
    action: str,
    actor: Person | None,
    target_type: str = "member",
    target_id: str | None = None,
    summary: str | None = None,
    **details: Any,
) -> dict[str, Any]:
    return {
        "action": action,
        "actor_id": actor.user_id if actor else None,
        "target_type": target_type,
        "target_id": target_id,
        "summary": summary or f"{action} happened",
        "details": details,
    }


async def seeded(app: FastAPI) -> tuple[Person, Person, uuid.UUID]:
    """An owner and an admin of a workspace with five entries: seq 1..5."""
    owner = await make_person(app, "owner@example.com", "Olive Owner")
    admin = await make_person(app, "admin@example.com", "Adam Admin")
    workspace_id = await make_workspace(app, owner)
    await add_member(app, workspace_id, admin, Role.ADMIN)
    await record(
        app,
        workspace_id,
        [
            entry("workspace.created", owner, "workspace", str(workspace_id)),
            entry("member.invited", owner, "invitation", "inv-1", role="admin"),
            entry("member.joined", admin, "member", str(admin.user_id)),
            entry("member.role_changed", owner, "member", str(admin.user_id), before="editor", after="admin"),
            entry("workspace.renamed", admin, "workspace", str(workspace_id), name="Acme 2"),
        ],
    )
    return owner, admin, workspace_id


async def list_all(client: httpx.AsyncClient, person: Person, workspace_id: uuid.UUID, **params: Any) -> list[Any]:
    response = await client.get(audit_url(workspace_id), params=params, headers=person.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_cursor"] is None
    return list(body["items"])


async def test_entries_come_newest_first_with_actor_and_client(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, admin, workspace_id = await seeded(app)
    items = await list_all(client, owner, workspace_id)
    assert [item["seq"] for item in items] == [5, 4, 3, 2, 1]
    newest = items[0]
    assert newest["action"] == "workspace.renamed"
    assert newest["actor"] == {"id": str(admin.user_id), "name": "Adam Admin", "email": "admin@example.com"}
    assert newest["target_type"] == "workspace"
    assert newest["target_id"] == str(workspace_id)
    assert newest["summary"] == "workspace.renamed happened"
    assert newest["details"] == {"name": "Acme 2"}
    assert (newest["ip"], newest["user_agent"]) == (CLIENT.ip, CLIENT.user_agent)
    assert set(newest) == {
        "id",
        "seq",
        "time",
        "actor",
        "action",
        "target_type",
        "target_id",
        "summary",
        "details",
        "ip",
        "user_agent",
    }
    times = [datetime.fromisoformat(item["time"]) for item in items]
    assert all(t.tzinfo is not None for t in times)
    assert times == sorted(times, reverse=True)


async def test_pages_walk_every_entry_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, _, workspace_id = await seeded(app)
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        response = await client.get(audit_url(workspace_id), params=params, headers=owner.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= 2
        seen += [item["seq"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert (seen, pages) == ([5, 4, 3, 2, 1], 3)
    bad = await client.get(audit_url(workspace_id), params={"cursor": "not-a-cursor"}, headers=owner.headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"


async def test_filters(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, admin, workspace_id = await seeded(app)

    async def seqs(**params: Any) -> list[int]:
        return [item["seq"] for item in await list_all(client, owner, workspace_id, **params)]

    assert await seqs(actor=str(admin.user_id)) == [5, 3]
    assert await seqs(actor=str(uuid.uuid4())) == []
    assert await seqs(action="member.invited") == [2]
    assert await seqs(action="member.") == [4, 3, 2]
    assert await seqs(action="member") == []  # without the dot it is an exact action, not a prefix
    assert await seqs(target_type="workspace") == [5, 1]
    assert await seqs(target_type="member", target_id=str(admin.user_id)) == [4, 3]
    assert await seqs(action="member.", actor=str(owner.user_id)) == [4, 2]

    everything = await list_all(client, owner, workspace_id)
    times = {item["seq"]: datetime.fromisoformat(item["time"]) for item in everything}
    since, until = times[2], times[4]
    # The range is half-open: `from` included, `to` excluded.
    expected = [seq for seq, t in times.items() if since <= t < until]
    assert 2 in expected
    assert 4 not in expected
    assert await seqs(**{"from": since.isoformat(), "to": until.isoformat()}) == expected
    assert await seqs(**{"from": (times[5] + timedelta(seconds=1)).isoformat()}) == []
    assert await seqs(to=times[1].isoformat()) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-01-01T00:00:00"}, "query.from"),  # no offset: which zone is meant?
        ({"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "query.to"),
        ({"actor": "nobody"}, "query.actor"),
        ({"action": "x" * 65}, "query.action"),
    ],
)
async def test_bad_filters_are_a_clear_422(
    app: FastAPI, client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    owner = await make_person(app, "owner@example.com")
    workspace_id = await make_workspace(app, owner)
    for tail in ("", "/export.csv"):
        response = await client.get(audit_url(workspace_id, tail), params=params, headers=owner.headers)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_an_erased_actor_shows_as_their_pseudonym(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    leaver = await make_person(app, "leaver@example.com", "Lee Leaver")
    workspace_id = await make_workspace(app, owner)
    await add_member(app, workspace_id, leaver, Role.EDITOR)
    await record(app, workspace_id, [entry("member.left", leaver)])
    async with app.state.resources.db.unit_of_work() as session:
        user = await session.get(User, leaver.user_id)
        assert user is not None
        user.name, user.email, user.erased_at = "Erased user 7f3a", "erased-7f3a@invalid", utcnow()
    [item] = await list_all(client, owner, workspace_id)
    assert item["actor"] == {"id": str(leaver.user_id), "name": "Erased user 7f3a", "email": "erased-7f3a@invalid"}


async def test_system_entries_have_no_actor(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    workspace_id = await make_workspace(app, owner)
    await record(app, workspace_id, [entry("invitation.expired", None, "invitation", "inv-9")], client=None)
    [item] = await list_all(client, owner, workspace_id)
    assert item["actor"] is None
    assert (item["ip"], item["user_agent"]) == (None, None)


async def test_the_log_holds_only_its_workspace(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, _, workspace_id = await seeded(app)
    other = await make_workspace(app, owner, "Other")
    await record(app, other, [entry("workspace.created", owner, "workspace", str(other))])
    await record(app, None, [entry("user.signed_up", owner, "user", str(owner.user_id))])
    assert [item["seq"] for item in await list_all(client, owner, other)] == [1]
    assert len(await list_all(client, owner, workspace_id)) == 5


def parse_csv(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


async def test_csv_export_has_every_matching_entry(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small batches, so the stream is made of several reads.
    monkeypatch.setattr(audit, "BATCH_SIZE", 2)
    owner, admin, workspace_id = await seeded(app)
    response = await client.get(audit_url(workspace_id, "/export.csv"), headers=owner.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f"attachment; filename=audit-{workspace_id}-{utcnow().date().isoformat()}.csv"
    )
    rows = parse_csv(response.text)
    assert rows[0] == list(audit.CSV_COLUMNS)
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["seq"] for r in records] == ["5", "4", "3", "2", "1"]
    listed = await list_all(client, owner, workspace_id)
    for row, item in zip(records, listed, strict=True):
        assert row["id"] == item["id"]
        assert datetime.fromisoformat(row["time"]) == datetime.fromisoformat(item["time"])
        assert row["action"] == item["action"]
        assert row["summary"] == item["summary"]
    assert records[0]["actor_id"] == str(admin.user_id)
    assert (records[0]["actor_name"], records[0]["actor_email"]) == ("Adam Admin", "admin@example.com")
    assert records[0]["details"] == '{"name":"Acme 2"}'
    assert (records[0]["ip"], records[0]["user_agent"]) == (CLIENT.ip, CLIENT.user_agent)

    filtered = await client.get(
        audit_url(workspace_id, "/export.csv"), params={"action": "member."}, headers=owner.headers
    )
    assert [row[1] for row in parse_csv(filtered.text)[1:]] == ["4", "3", "2"]
    empty = await client.get(
        audit_url(workspace_id, "/export.csv"), params={"actor": str(uuid.uuid4())}, headers=owner.headers
    )
    assert parse_csv(empty.text) == [list(audit.CSV_COLUMNS)]


async def test_csv_export_defuses_formulas(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    mallory = await make_person(app, "mallory@example.com", "=cmd|' /C calc'!A0")
    workspace_id = await make_workspace(app, owner)
    await add_member(app, workspace_id, mallory, Role.EDITOR)
    await record(
        app,
        workspace_id,
        [
            entry("post.created", mallory, "post", "+1+2", summary='=HYPERLINK("http://evil.example","x")'),
            entry("post.created", mallory, "post", "-5", summary="@SUM(A1:A9)"),
            entry("post.created", mallory, "post", "safe", summary="\tstarts with a tab"),
            entry("post.created", owner, "post", "plain", summary="a = b, and 1 + 1 - 2 @ noon"),
        ],
    )
    response = await client.get(audit_url(workspace_id, "/export.csv"), headers=owner.headers)
    header, plain, tab, at, formula = parse_csv(response.text)
    row = dict(zip(header, formula, strict=True))
    assert row["summary"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["target_id"] == "'+1+2"
    assert row["actor_name"] == "'=cmd|' /C calc'!A0"
    row = dict(zip(header, at, strict=True))
    assert (row["summary"], row["target_id"]) == ("'@SUM(A1:A9)", "'-5")
    assert dict(zip(header, tab, strict=True))["summary"] == "'\tstarts with a tab"
    # Only a leading character is dangerous: the same characters inside a cell stay as they are.
    row = dict(zip(header, plain, strict=True))
    assert (row["summary"], row["target_id"]) == ("a = b, and 1 + 1 - 2 @ noon", "plain")
    # Every cell of every row starts harmlessly.
    assert not any(cell.startswith(audit.FORMULA_STARTS) for line in (plain, tab, at, formula) for cell in line)


async def verify(client: httpx.AsyncClient, person: Person, workspace_id: uuid.UUID) -> dict[str, Any]:
    response = await client.get(audit_url(workspace_id, "/verify"), headers=person.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_an_untouched_chain_verifies(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, _, workspace_id = await seeded(app)
    assert await verify(client, owner, workspace_id) == {
        "chain": str(workspace_id),
        "entries": 5,
        "valid": True,
        "first_broken_seq": None,
        "reason": None,
    }
    empty = await make_workspace(app, owner, "Empty")
    assert (await verify(client, owner, empty))["valid"] is True


def delete(seq: int) -> str:
    return f"DELETE FROM audit_entries WHERE chain = :chain AND seq = {seq}"


def renumber(seq: int) -> str:
    return f"UPDATE audit_entries SET seq = {seq - 1} WHERE chain = :chain AND seq = {seq}"


# Statements run on the seeded chain of five entries → (first broken seq, reason, entries left).
TAMPERING: dict[str, tuple[list[str], int, str, int]] = {
    "altered summary": (
        ["UPDATE audit_entries SET summary = 'nothing to see' WHERE chain = :chain AND seq = 2"],
        2,
        "the entry was altered",
        5,
    ),
    "altered details": (
        ["UPDATE audit_entries SET details = '{}' WHERE chain = :chain AND seq = 4"],
        4,
        "the entry was altered",
        5,
    ),
    "deleted first": ([delete(1)], 1, "an entry is missing", 4),
    "deleted middle": ([delete(3)], 3, "an entry is missing", 4),
    "deleted last": ([delete(5)], 5, "entries at the end of the chain were removed", 4),
    "renumbered after a deletion": (
        [delete(3), renumber(4), renumber(5)],
        3,
        "the link to the previous entry is broken",
        4,
    ),
    "deleted head": (
        ["DELETE FROM audit_chain_heads WHERE chain = :chain"],
        6,
        "the chain's head record is missing",
        5,
    ),
}


@pytest.mark.parametrize("tampering", list(TAMPERING))
async def test_tampering_is_reported_at_the_first_broken_entry(
    app: FastAPI, client: httpx.AsyncClient, tampering: str
) -> None:
    owner, _, workspace_id = await seeded(app)
    other = await make_workspace(app, owner, "Other")
    await record(app, other, [entry("workspace.created", owner, "workspace", str(other))])
    await record(app, None, [entry("user.signed_up", owner, "user", str(owner.user_id))])
    statements, seq, reason, remaining = TAMPERING[tampering]
    async with app.state.resources.db.unit_of_work() as session:
        for statement in statements:
            await session.execute(text(statement), {"chain": str(workspace_id)})

    assert await verify(client, owner, workspace_id) == {
        "chain": str(workspace_id),
        "entries": remaining,
        "valid": False,
        "first_broken_seq": seq,
        "reason": reason,
    }
    async with app.state.resources.db.unit_of_work() as session:
        statuses = await audit.verify_all_chains(session)
    by_chain = {status.chain: status for status in statuses}
    assert statuses[0].chain == audit.GLOBAL_CHAIN
    assert set(by_chain) == {audit.GLOBAL_CHAIN, str(workspace_id), str(other)}
    assert by_chain[str(workspace_id)] == audit.ChainStatus(str(workspace_id), remaining, False, seq, reason)
    assert by_chain[str(other)].valid
    assert by_chain[audit.GLOBAL_CHAIN] == audit.ChainStatus(audit.GLOBAL_CHAIN, 1, True)


async def test_a_long_chain_verifies_across_batches(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "BATCH_SIZE", 3)
    owner = await make_person(app, "owner@example.com")
    workspace_id = await make_workspace(app, owner)
    await record(app, workspace_id, [entry("post.created", owner, "post", str(i)) for i in range(9)])
    async with app.state.resources.db.unit_of_work() as session:
        assert await audit.verify_chain(session, workspace_id) == audit.ChainStatus(str(workspace_id), 9, True)
        # A gap right at a batch boundary is still seen.
        await session.execute(text("DELETE FROM audit_entries WHERE seq = 4"))
        status = await audit.verify_chain(session, workspace_id)
    assert (status.valid, status.first_broken_seq, status.reason) == (False, 4, "an entry is missing")


async def count_entries(app: FastAPI) -> int:
    async with app.state.resources.db.unit_of_work() as session:
        return await session.scalar(select(func.count()).select_from(AuditEntry)) or 0


async def test_reading_the_log_is_not_recorded(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, _, workspace_id = await seeded(app)
    before = await count_entries(app)
    for tail in ("", "/export.csv", "/verify"):
        assert (await client.get(audit_url(workspace_id, tail), headers=owner.headers)).status_code == 200
    assert await count_entries(app) == before


@pytest.mark.parametrize("tail", ["", "/export.csv", "/verify"])
async def test_only_owners_and_admins_read_the_log(app: FastAPI, client: httpx.AsyncClient, tail: str) -> None:
    owner = await make_person(app, "owner@example.com")
    people = {role: await make_person(app, f"{role.value}@example.com") for role in Role if role != Role.OWNER}
    workspace_id = await make_workspace(app, owner)
    for role, person in people.items():
        await add_member(app, workspace_id, person, role)
    await record(app, workspace_id, [entry("workspace.created", owner, "workspace", str(workspace_id))])
    stranger = await make_person(app, "stranger@example.com")
    await make_workspace(app, stranger, "Stranger's own")

    async def status(person: Person | None) -> int:
        headers = person.headers if person else {}
        return (await client.get(audit_url(workspace_id, tail), headers=headers)).status_code

    assert await status(owner) == 200
    assert await status(people[Role.ADMIN]) == 200
    for role in (Role.EDITOR, Role.ANALYST, Role.VIEWER):
        assert await status(people[role]) == 403, role
    assert await status(stranger) == 404
    assert (await client.get(audit_url(uuid.uuid4(), tail), headers=owner.headers)).status_code == 404
    assert await status(None) == 401


async def test_concurrent_appends_make_one_unbroken_chain(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    workspace_id = await make_workspace(app, owner)
    # The chain has no head yet: the first appends also race to create it.
    async with anyio.create_task_group() as group:
        for i in range(20):
            group.start_soon(record, app, workspace_id, [entry("post.created", owner, "post", f"post-{i}")])
    items = await list_all(client, owner, workspace_id, limit=100)
    assert sorted(item["seq"] for item in items) == list(range(1, 21))
    assert sorted(item["target_id"] for item in items) == sorted(f"post-{i}" for i in range(20))
    assert await verify(client, owner, workspace_id) == {
        "chain": str(workspace_id),
        "entries": 20,
        "valid": True,
        "first_broken_seq": None,
        "reason": None,
    }
