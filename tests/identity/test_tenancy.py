"""Tenancy, checked on every route there is: the routes are read from the app's OpenAPI document, so a route
added later is walked without anyone editing this file.

- A member (the owner) of workspace A calls every operation whose path has `{workspace_id}` with workspace
  B's id, and the other path parameters set to ids of B's resources where B has one (its member, its
  invitation, a row of any table whose name matches the parameter), else to random ids. Every answer must
  be 404 — not 403 (which would confirm that B exists), not 2xx, not 422 — and must not carry B's data.
  Operations with further id parameters are also called on A's own workspace with B's ids: a route that
  checks the membership of A and then fetches B's resource by its id alone would leak it.
- Without credentials, every operation under /api/v1 answers 401, except the few public ones in PUBLIC.
  An operation in neither set fails the test, and so does an entry of PUBLIC that no longer exists.

Why a 422 cannot hide a missing 404 here: FastAPI runs a route's dependencies (authentication and
`member_with`, which answers 404 for a workspace the caller is not in) before it validates the route's own
path, query and body parameters, and only a body that is not JSON at all is refused earlier.
`test_dependencies_answer_before_the_body_is_validated` pins that behaviour. On top of it, every operation
with a body is called twice: with a body built from its OpenAPI schema (so that a route that validated
before authorising would still be reached and have to answer 404), and with `{}` (which must not turn into
a 422 either: authorisation comes first). So the assertion stays the strict one, "exactly 404", rather
than "not 2xx and not 403". The one exception is the call on A's own workspace with B's ids: there the
caller is a member, so the body is validated before the service looks B's id up, and only the schema-built
body is sent (a 422 for `{}` would say nothing about B).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import Table, select

from tests.conftest import make_settings
from viewfinder.identity.deps import CurrentPrincipal, Member, member_with
from viewfinder.identity.models import Invitation, Membership, Workspace
from viewfinder.identity.permissions import Permission, Role
from viewfinder.identity.service import audit
from viewfinder.kit.errors import Forbidden, NotFound, install_error_handlers
from viewfinder.kit.security import hash_token, new_token
from viewfinder.kit.web import DbSession
from viewfinder.models import metadata
from viewfinder.settings import Settings

from .helpers import Person, make_person, make_workspace

pytestmark = pytest.mark.anyio

API = "/api/v1"
METHODS = ("get", "put", "post", "patch", "delete")
# Operations anyone may call. Keep this short: every entry is a door without a lock.
PUBLIC = frozenset(
    {
        ("POST", f"{API}/auth/signup"),
        ("POST", f"{API}/auth/login"),
        ("POST", f"{API}/auth/refresh"),
        ("POST", f"{API}/auth/password/forgot"),
        ("POST", f"{API}/auth/password/reset"),
        ("POST", f"{API}/auth/verify-email"),
        ("GET", f"{API}/invitations/{{token}}"),
        ("POST", f"{API}/invitations/{{token}}/signup"),
    }
)
# Values for strings whose validity a schema cannot express (a validator checks them).
STRING_HINTS = {
    "email": "walker@example.com",
    "password": "Walker-passphrase-7d1e9c",
    "timezone": "Europe/Rome",
    "locale": "en",
    "name": "Walker",
    "confirm": "Walker",
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # The walk sends a few hundred requests as one person: more than the API's per-user limit allows.
    return make_settings(tmp_path / "data", database_url, api_rate_limit="100000/minute")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]
    path_item: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def parameters(self, where: str) -> list[dict[str, Any]]:
        every = [*self.path_item.get("parameters", []), *self.spec.get("parameters", [])]
        return [p for p in every if p["in"] == where]

    @property
    def id_parameters(self) -> list[str]:
        return [p["name"] for p in self.parameters("path") if p["name"] != "workspace_id"]


def operations(app: FastAPI) -> list[Operation]:
    """Every operation of the OpenAPI document, deletions last so that a wrong one spoils no other check."""
    found = [
        Operation(method.upper(), path, item[method], item)
        for path, item in app.openapi()["paths"].items()
        for method in METHODS
        if method in item
    ]
    return sorted(found, key=lambda op: (op.method == "DELETE", op.path, op.method))


@dataclass
class Examples:
    """Values that validate against a schema of the OpenAPI document."""

    document: dict[str, Any]
    ids: dict[str, str] = field(default_factory=dict)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.document["components"]["schemas"][name]
        return schema

    def value(self, schema: dict[str, Any], name: str = "") -> Any:
        schema = self.resolve(schema)
        if name in self.ids:
            return self.ids[name]
        for key in ("examples", "example", "default", "const"):
            if key in schema and schema[key] is not None:
                return schema[key][0] if key == "examples" and isinstance(schema[key], list) else schema[key]
        if "enum" in schema:
            return schema["enum"][0]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [self.resolve(o) for o in schema[key] if self.resolve(o).get("type") != "null"]
                return self.value(options[0], name) if options else None
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.value(part, name)
                if not isinstance(value, dict):
                    return value
                merged |= value
            return merged
        kind = schema.get("type", "object")
        if kind == "object":
            required = schema.get("required", [])
            return {key: self.value(sub, key) for key, sub in schema.get("properties", {}).items() if key in required}
        if kind == "array":
            return [self.value(schema.get("items", {}), name) for _ in range(max(schema.get("minItems", 1), 1))]
        if kind == "string":
            return self.string(schema, name)
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
            return int(low) if kind == "integer" else float(low)
        if kind == "boolean":
            return True
        return None

    def string(self, schema: dict[str, Any], name: str) -> str:
        formats = {
            "uuid": str(uuid.uuid4()),
            "email": STRING_HINTS["email"],
            "date-time": datetime.now(UTC).isoformat(),
            "date": datetime.now(UTC).date().isoformat(),
            "uri": "https://example.com/walker",
            "password": STRING_HINTS["password"],
        }
        text = formats.get(schema.get("format", ""), STRING_HINTS.get(name, "walker-value"))
        text = text.ljust(schema.get("minLength", 0), "x")
        return text[: schema["maxLength"]] if "maxLength" in schema else text


@dataclass(frozen=True)
class Call:
    url: str
    params: dict[str, Any]
    kwargs: dict[str, Any]
    label: str


def calls(op: Operation, examples: Examples, path_values: dict[str, str]) -> Iterator[Call]:
    """The requests that exercise one operation: one, or two (a schema-built and an empty body) with a body."""
    url = op.path
    for parameter in op.parameters("path"):
        value = path_values.get(parameter["name"]) or examples.value(parameter.get("schema", {}), parameter["name"])
        url = url.replace("{" + parameter["name"] + "}", str(value))
    params = {
        p["name"]: examples.value(p.get("schema", {}), p["name"]) for p in op.parameters("query") if p.get("required")
    }
    headers = {
        p["name"]: str(examples.value(p.get("schema", {}), p["name"]))
        for p in op.parameters("header")
        if p.get("required")
    }
    content = op.spec.get("requestBody", {}).get("content", {})
    if not content:
        yield Call(url, params, {"headers": headers}, "no body")
        return
    media_type, body = next(iter(content.items()))
    built = examples.value(body.get("schema", {}))
    if media_type == "application/json":
        yield Call(url, params, {"headers": headers, "json": built}, "schema-built body")
        yield Call(url, params, {"headers": headers, "json": {}}, "empty body")
    elif media_type == "multipart/form-data":
        properties = examples.resolve(body.get("schema", {})).get("properties", {})
        files = {
            k: ("walker.bin", b"walker", "application/octet-stream")
            for k, s in properties.items()
            if "binary" in str(s)
        }
        data = {k: str(v) for k, v in built.items() if k not in files}
        yield Call(url, params, {"headers": headers, "data": data, "files": files or None}, "form body")
    else:
        yield Call(url, params, {"headers": headers | {"content-type": media_type}, "content": b"{}"}, "raw body")


async def send(client: httpx.AsyncClient, op: Operation, call: Call, auth: dict[str, str]) -> httpx.Response:
    kwargs = dict(call.kwargs)
    kwargs["headers"] = kwargs.get("headers", {}) | auth
    return await client.request(op.method, call.url, params=call.params, **kwargs)


@dataclass(frozen=True)
class Tenant:
    workspace_id: uuid.UUID
    owner: Person
    ids: dict[str, str]
    secrets: tuple[str, ...]


async def workspace_b(app: FastAPI) -> Tenant:
    """Workspace B with some of everything: a member, an invitation, audit entries; its texts are unique."""
    marker = uuid.uuid4().hex[:10]
    owner = await make_person(app, f"b-owner-{marker}@example.com", f"Bea Owner {marker}")
    member = await make_person(app, f"b-member-{marker}@example.com", f"Ben Member {marker}")
    workspace_id = await make_workspace(app, owner, f"Bravo {marker}")
    now = datetime.now(UTC)
    async with app.state.resources.db.unit_of_work() as session:
        session.add(Membership(workspace_id=workspace_id, user_id=member.user_id, role=Role.EDITOR))
        invitation = Invitation(
            workspace_id=workspace_id,
            email=f"b-invitee-{marker}@example.com",
            role=Role.VIEWER,
            token_hash=hash_token(new_token()),
            invited_by_id=owner.user_id,
            expires_at=now + timedelta(days=7),
            last_sent_at=now,
        )
        session.add(invitation)
        await session.flush()
        await audit.record(
            session,
            action="member.invited",
            target_type="invitation",
            target_id=invitation.id,
            summary=f"Invited b-invitee-{marker}@example.com",
            actor_id=owner.user_id,
            workspace_id=workspace_id,
        )
    ids = {"workspace_id": str(workspace_id), "user_id": str(member.user_id), "member_id": str(member.user_id)}
    ids |= {"invitation_id": str(invitation.id)}
    ids |= await ids_of_rows(app, workspace_id, exclude=set(ids))
    return Tenant(workspace_id, owner, ids, (marker, owner.email, member.email))


def table_for(parameter: str) -> Table | None:
    """The workspace-owned table a `{thing_id}` parameter names: things, thing, thinges or thinies."""
    thing = parameter.removesuffix("_id")
    names = {thing, f"{thing}s", f"{thing}es", f"{thing.removesuffix('y')}ies"}
    for table in metadata.sorted_tables:
        if table.name in names and "workspace_id" in table.c and "id" in table.c:
            return table
    return None


async def ids_of_rows(app: FastAPI, workspace_id: uuid.UUID, exclude: set[str]) -> dict[str, str]:
    """For each `{thing_id}` parameter of the document, the id of one of the workspace's things, if any."""
    names = {name for op in operations(app) for name in op.id_parameters} - exclude
    found: dict[str, str] = {}
    async with app.state.resources.db.unit_of_work() as session:
        for name in names:
            table = table_for(name)
            if table is not None:
                row = await session.scalar(select(table.c.id).where(table.c.workspace_id == workspace_id).limit(1))
                if row is not None:
                    found[name] = str(row)
    return found


async def walk_as_outsider(app: FastAPI, client: httpx.AsyncClient, person: Person, b: Tenant) -> list[str]:
    """Call every workspace operation as `person` (a member of A only) against B; list what is not a 404."""
    workspace_a = await make_workspace(app, person, "Alpha")
    examples = Examples(app.openapi(), ids={k: v for k, v in b.ids.items() if k != "workspace_id"})
    failures: list[str] = []
    for op in (op for op in operations(app) if "{workspace_id}" in op.path):
        targets = [("B's workspace", b.ids)]
        if op.id_parameters:
            targets.append(("A's workspace, B's ids", b.ids | {"workspace_id": str(workspace_a)}))
        for target, values in targets:
            for call in calls(op, examples, values):
                if target != "B's workspace" and call.label == "empty body":
                    continue  # A's own workspace: the body is checked before the service looks B's id up
                response = await send(client, op, call, person.headers)
                leaked = [secret for secret in b.secrets if secret in response.text]
                if response.status_code != 404 or leaked:
                    failures.append(
                        f"{op} ({target}, {call.label}) → {response.status_code}"
                        + (f", shows {leaked}" if leaked else "")
                        + f": {response.text[:200]}"
                    )
    return failures


async def walk_anonymously(app: FastAPI, client: httpx.AsyncClient, b: Tenant) -> list[str]:
    """Call every operation under /api/v1 but the public ones without credentials; list what is not a 401."""
    examples = Examples(app.openapi(), ids={k: v for k, v in b.ids.items() if k != "workspace_id"})
    failures: list[str] = []
    for op in operations(app):
        if not op.path.startswith(f"{API}/") or (op.method, op.path) in PUBLIC:
            continue
        for call in calls(op, examples, b.ids):
            response = await send(client, op, call, {})
            if response.status_code != 401:
                failures.append(f"{op} ({call.label}) → {response.status_code}: {response.text[:200]}")
            elif response.headers.get("content-type", "").split(";")[0] != "application/problem+json":
                failures.append(f"{op} ({call.label}) → 401 but not as problem+json")
    return failures


async def test_another_workspace_answers_404_on_every_route(app: FastAPI, client: httpx.AsyncClient) -> None:
    walked = {op.path for op in operations(app) if "{workspace_id}" in op.path}
    # The audit log's routes are there for sure; if they are not walked, the walker is broken.
    assert {f"{API}/workspaces/{{workspace_id}}/audit", f"{API}/workspaces/{{workspace_id}}/audit/verify"} <= walked
    b = await workspace_b(app)
    person = await make_person(app, "a-owner@example.com", "Ann Owner")

    failures = await walk_as_outsider(app, client, person, b)
    assert not failures, "Routes that do not answer 404 for another workspace:\n" + "\n".join(failures)

    # And B is untouched: nothing above changed it.
    async with app.state.resources.db.unit_of_work() as session:
        assert await audit.verify_chain(session, b.workspace_id) == audit.ChainStatus(str(b.workspace_id), 1, True)
    owner_view = await client.get(f"{API}/workspaces/{b.workspace_id}/audit", headers=b.owner.headers)
    assert [item["action"] for item in owner_view.json()["items"]] == ["member.invited"]


async def test_every_private_route_requires_sign_in(app: FastAPI, client: httpx.AsyncClient) -> None:
    every = {(op.method, op.path) for op in operations(app)}
    assert every >= PUBLIC, f"PUBLIC names operations that no longer exist: {sorted(PUBLIC - every)}"
    failures = await walk_anonymously(app, client, await workspace_b(app))
    assert not failures, "Routes that answer without credentials (add to PUBLIC only if meant):\n" + "\n".join(failures)


# Routes that break tenancy on purpose, to show that the walks catch them.


class _Body(BaseModel):
    name: str


LEAKY = f"{API}/workspaces/{{workspace_id}}/leaky"


async def _forbidden_instead_of_404(workspace_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession) -> None:
    if await session.get(Workspace, workspace_id) is not None:
        raise Forbidden("You are not a member of this workspace.")  # tells an outsider that it exists


async def _validates_then_authorises(
    workspace_id: uuid.UUID, body: _Body, principal: CurrentPrincipal, session: DbSession
) -> dict[str, str]:
    workspace = await session.get(Workspace, workspace_id)  # no membership check at all
    return {"name": workspace.name if workspace else ""}


async def _invitation_by_id_alone(
    invitation_id: uuid.UUID,
    member: Annotated[Member, Depends(member_with(Permission.MEMBERS_READ))],
    session: DbSession,
) -> dict[str, str]:
    invitation = await session.get(Invitation, invitation_id)  # the membership checked is A's, the row is B's
    if invitation is None:
        raise NotFound("No such invitation.")
    return {"email": invitation.email}


async def _open_to_anyone() -> dict[str, str]:
    return {"hello": "anyone"}


async def test_the_walks_catch_routes_that_break_tenancy(app: FastAPI, client: httpx.AsyncClient) -> None:
    app.add_api_route(f"{LEAKY}/forbidden", _forbidden_instead_of_404, methods=["GET"])
    app.add_api_route(f"{LEAKY}/validates-first", _validates_then_authorises, methods=["POST"])
    app.add_api_route(f"{LEAKY}/invitations/{{invitation_id}}", _invitation_by_id_alone, methods=["GET"])
    app.add_api_route(f"{API}/leaky/open", _open_to_anyone, methods=["GET"])
    app.openapi_schema = None  # the document is cached: let it see the new routes
    b = await workspace_b(app)
    person = await make_person(app, "a-owner@example.com", "Ann Owner")

    caught = [line.partition(": {")[0] for line in await walk_as_outsider(app, client, person, b) if "/leaky" in line]
    assert caught == [
        f"GET {LEAKY}/forbidden (B's workspace, no body) → 403",
        f"GET {LEAKY}/invitations/{{invitation_id}} (A's workspace, B's ids, no body) → 200, shows ['{b.secrets[0]}']",
        f"POST {LEAKY}/validates-first (B's workspace, schema-built body) → 200, shows ['{b.secrets[0]}']",
        f"POST {LEAKY}/validates-first (B's workspace, empty body) → 422",
    ]
    anonymous = [line.partition(": {")[0] for line in await walk_anonymously(app, client, b) if "/leaky" in line]
    assert anonymous == [f"GET {API}/leaky/open (no body) → 200"]


async def test_the_walk_builds_bodies_that_validate(app: FastAPI) -> None:
    """If built bodies did not validate, a route authorising after validation would hide behind a 422."""
    document = app.openapi()
    examples = Examples(document)
    schema = document["components"]["schemas"]
    for name, model in {"MemberUpdate": {"role"}, "InvitationCreate": {"email", "role"}}.items():
        if name in schema:
            built = examples.value({"$ref": f"#/components/schemas/{name}"})
            assert set(built) == model
    assert examples.value({"type": "string", "minLength": 40, "maxLength": 50}, "x").startswith("walker-value")
    assert len(examples.value({"type": "string", "minLength": 40, "maxLength": 50}, "x")) == 40
    assert examples.value({"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 3}]}) == 3
    assert examples.value({"type": "array", "items": {"type": "string", "format": "email"}}) == ["walker@example.com"]


async def _not_a_member(workspace_id: uuid.UUID) -> None:
    raise NotFound("No such workspace.")


async def _probe_route(
    thing_id: uuid.UUID, body: _Body, required: int, _: Annotated[None, Depends(_not_a_member)]
) -> None:
    raise AssertionError("never reached")


async def test_dependencies_answer_before_the_body_is_validated() -> None:
    """The walker's premise: a dependency's 404 is not hidden by a 422 for the body or other parameters."""
    probe = FastAPI()
    install_error_handlers(probe)
    probe.post("/workspaces/{workspace_id}/things/{thing_id}")(_probe_route)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=probe), base_url="http://probe") as http:
        url = f"/workspaces/{uuid.uuid4()}/things/not-an-id"
        assert (await http.post(url, json={})).status_code == 404
        assert (await http.post(url, json=[1, 2])).status_code == 404
        # Only a body that is not JSON at all is refused first; the walker always sends JSON.
        assert (await http.post(url, content=b"{", headers={"content-type": "application/json"})).status_code == 422
