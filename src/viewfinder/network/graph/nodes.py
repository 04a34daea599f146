"""The Graph's engine: node types (User, Media, Comment …) with their fields, related objects and edges, and the
rendering Instagram does — only the fields asked for, nested fields in braces, edges as `data` with `paging`,
a field without a value left out — and its errors.

Each area of the Graph (service/users.py, service/media.py …) registers its node types and edges here on
import; `api.py` parses a call and asks this module to answer it.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import json
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from viewfinder.kit.resources import Resources
from viewfinder.network.graph.fields import FieldRequest, FieldsSyntaxError, parse_fields
from viewfinder.network.graph.models import NetworkGraphToken
from viewfinder.network.social.models import NetworkPerson

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_IDS = 50  # as Graph's multiple-id lookups allow


class GraphError(Exception):
    """An error answered as Instagram answers it: `{"error": {message, type, code, error_subcode, fbtrace_id}}`."""

    def __init__(
        self,
        message: str,
        code: int,
        *,
        subcode: int | None = None,
        status: int = 400,
        error_type: str = "OAuthException",
        is_transient: bool | None = None,
        user_title: str | None = None,
        user_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.subcode = subcode
        self.status = status
        self.error_type = error_type
        self.is_transient = is_transient
        self.user_title = user_title
        self.user_message = user_message

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.error_type, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.is_transient is not None:
            error["is_transient"] = self.is_transient
        if self.user_title is not None:
            error["error_user_title"] = self.user_title
        if self.user_message is not None:
            error["error_user_msg"] = self.user_message
        error["fbtrace_id"] = secrets.token_urlsafe(20)[:27]
        return {"error": error}


def no_such_object(object_id: str, method: str = "get") -> GraphError:
    return GraphError(
        f"Unsupported {method} request. Object with ID '{object_id[:40]}' does not exist, cannot be loaded due to "
        "missing permissions, or does not support this operation. Please read the Graph API documentation at "
        "https://developers.facebook.com/docs/graph-api",
        100,
        subcode=33,
        error_type="GraphMethodException",
    )


def invalid_parameter(message: str, *, subcode: int | None = None) -> GraphError:
    return GraphError(f"(#100) {message}", 100, subcode=subcode)


def missing_permission() -> GraphError:
    return GraphError("(#10) Application does not have permission for this action", 10, status=403)


def unknown_path(path: str) -> GraphError:
    return GraphError(f"Unknown path components: /{path[:80]}", 2500)


def graph_time(moment: datetime) -> str:
    """`2026-08-13T08:25:28+0000`, as every Graph timestamp is written."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


# Insights parameters Meta's SDK types as lists and sends JSON-encoded (`period=["day"]`, `metric=["reach"]`),
# where other clients send `period=day` and `metric=reach,likes`: the Graph takes both.
LIST_TYPED_PARAMS = frozenset({"metric", "period", "breakdown"})


def plain_lists(params: dict[str, str]) -> dict[str, str]:
    """The parameters with a JSON array of plain values, in a list-typed parameter, written comma-separated."""
    return {name: _comma_separated(value) if name in LIST_TYPED_PARAMS else value for name, value in params.items()}


def _comma_separated(value: str) -> str:
    if not value.startswith("["):
        return value
    try:
        items = json.loads(value)
    except ValueError:
        return value
    if isinstance(items, list) and all(isinstance(item, str | int) and not isinstance(item, bool) for item in items):
        return ",".join(str(item) for item in items)
    return value


def encode_cursor(key: str | int) -> str:
    return base64.urlsafe_b64encode(str(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid_parameter("Invalid cursor") from None


@dataclass
class Call:
    """One Graph call: the database session, the token and the account it is for, and the parameters (from the
    query, a form body or a JSON body)."""

    session: AsyncSession
    resources: Resources
    token: NetworkGraphToken
    person: NetworkPerson
    params: Mapping[str, str]
    root_url: str  # e.g. https://host/network/graph
    version: str | None
    access_token: str = field(repr=False, default="")

    def require(self, scope: str) -> None:
        if scope not in self.token.scopes:
            raise missing_permission()

    def param(self, name: str) -> str | None:
        value = self.params.get(name)
        return value if value not in (None, "") else None

    def required(self, name: str) -> str:
        value = self.param(name)
        if value is None:
            raise invalid_parameter(f"The parameter {name} is required")
        return value

    def url(self, path: str, query: Mapping[str, str]) -> str:
        """An absolute Graph address, at the version this call used, with the token, as `paging.next` is."""
        prefix = f"{self.root_url}/{self.version}" if self.version else self.root_url
        return f"{prefix}/{path}?{urlencode({'access_token': self.access_token, **query})}"


@dataclass(frozen=True)
class PageArgs:
    limit: int
    after: str | None  # decoded cursors
    before: str | None
    args: Mapping[str, str]  # every modifier or parameter, for edges that take more (since, until …)


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    after: str | None = None  # keys of the last and first item, encoded into cursors
    before: str | None = None
    has_next: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)  # edges answering more than data and paging


Reader = Callable[[Call, Any], Any]


@dataclass(frozen=True)
class Related:
    """A field whose value is one object of another node type, rendered with the nested fields asked for
    (`owner{id,username}`, `business_discovery.username(x){…}`)."""

    type_name: str
    get: Callable[[Call, Any, Mapping[str, str]], Awaitable[Any | None]]


@dataclass(frozen=True)
class Edge:
    """A list under a node (`{id}/media`, `{id}/comments`): read with GET, and with POST where the edge makes
    something (`create` answers what Instagram answers, usually `{"id": …}`)."""

    type_name: str
    list: Callable[[Call, Any, PageArgs], Awaitable[Page]] | None = None
    create: Callable[[Call, Any], Awaitable[dict[str, Any]]] | None = None
    # Edges whose items are not nodes (insights, publishing limit) render them as they come.
    raw: bool = False


@dataclass
class NodeType:
    name: str
    fields: dict[str, Reader] = field(default_factory=dict)
    related: dict[str, Related] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    default_fields: tuple[str, ...] = ("id",)
    # How `GET /{id}` finds one: None when the type is reached only through edges or `me`.
    load: Callable[[Call, int], Awaitable[Any | None]] | None = None
    update: Callable[[Call, Any], Awaitable[dict[str, Any]]] | None = None  # POST /{id}
    delete: Callable[[Call, Any], Awaitable[dict[str, Any]]] | None = None  # DELETE /{id}


RootAnswer = Callable[[Call], Awaitable[dict[str, Any]]]

NODE_TYPES: dict[str, NodeType] = {}
# Paths with no node (`ig_hashtag_search`): GET or POST /{name}.
ROOTS: dict[str, RootAnswer] = {}


def node_type(name: str) -> NodeType:
    """The node type of that name, made empty on first use, so areas can each add the edges they own."""
    return NODE_TYPES.setdefault(name, NodeType(name))


def root(name: str) -> Callable[[RootAnswer], RootAnswer]:
    def register(function: RootAnswer) -> RootAnswer:
        ROOTS[name] = function
        return function

    return register


async def load_node(call: Call, object_id: str, *, method: str = "get") -> tuple[NodeType, Any]:
    """The node at `/{object_id}` (`me` is the token's account), as the first type whose loader knows it."""
    if object_id == "me":
        return NODE_TYPES["User"], call.person
    if not object_id.isdigit() or len(object_id) > 19:
        raise no_such_object(object_id, method)
    for candidate in NODE_TYPES.values():
        if candidate.load is not None and (found := await candidate.load(call, int(object_id))) is not None:
            return candidate, found
    raise no_such_object(object_id, method)


def page_args(call: Call, args: Mapping[str, str], *, max_limit: int = MAX_LIMIT) -> PageArgs:
    raw_limit = args.get("limit") or ""
    try:
        limit = int(raw_limit) if raw_limit else DEFAULT_LIMIT
    except ValueError:
        raise invalid_parameter("Param limit must be a number") from None
    return PageArgs(
        limit=max(1, min(limit, max_limit)),
        after=decode_cursor(args["after"]) if args.get("after") else None,
        before=decode_cursor(args["before"]) if args.get("before") else None,
        args=args,
    )


async def keyset_page(
    call: Call, statement: Select[Any], key: InstrumentedAttribute[int], page: PageArgs, *, newest_first: bool = True
) -> Page:
    """A page of rows ordered by an integer key (ids sort by time), after the cursor's key."""
    if page.after is not None:
        if not page.after.isdigit():
            raise invalid_parameter("Invalid cursor")
        after = int(page.after)
        statement = statement.where(key < after if newest_first else key > after)
    statement = statement.order_by(key.desc() if newest_first else key.asc()).limit(page.limit + 1)
    rows = list((await call.session.scalars(statement)).all())
    items = rows[: page.limit]
    has_next = len(rows) > page.limit
    keys = [getattr(item, key.key) for item in items]
    return Page(items, after=str(keys[-1]) if keys else None, before=str(keys[0]) if keys else None, has_next=has_next)


def _unknown_field(name: str, node: NodeType) -> GraphError:
    return invalid_parameter(f"Tried accessing nonexisting field ({name[:60]}) on node type ({node.name})")


async def _value(call: Call, reader: Reader, subject: Any) -> Any:
    value = reader(call, subject)
    return await value if inspect.isawaitable(value) else value


async def render(call: Call, node: NodeType, subject: Any, requests: Sequence[FieldRequest]) -> dict[str, Any]:
    """The node with the fields asked for, in the order asked, without those that have no value."""
    answer: dict[str, Any] = {}
    for request in requests:
        if request.name in answer:
            continue
        if (reader := node.fields.get(request.name)) is not None:
            value = await _value(call, reader, subject)
        elif (related := node.related.get(request.name)) is not None:
            value = await _render_related(call, related, subject, request)
        elif (edge := node.edges.get(request.name)) is not None and edge.list is not None:
            args = page_args(call, request.args)
            value = await render_page(call, edge, subject, args, request.fields, path=None, query={})
        else:
            raise _unknown_field(request.name, node)
        if value is not None:
            answer[request.name] = value
    # Graph names every node it answers, asked or not.
    if "id" not in answer and (identify := node.fields.get("id")) is not None:
        answer["id"] = await _value(call, identify, subject)
    return answer


async def _render_related(call: Call, related: Related, subject: Any, request: FieldRequest) -> dict[str, Any] | None:
    found = await related.get(call, subject, request.args)
    if found is None:
        return None
    target = NODE_TYPES[related.type_name]
    return await render(call, target, found, request.fields or _defaults(target))


def _defaults(node: NodeType) -> tuple[FieldRequest, ...]:
    return tuple(FieldRequest(name) for name in node.default_fields)


async def render_page(
    call: Call,
    edge: Edge,
    subject: Any,
    page: PageArgs,
    requests: Sequence[FieldRequest] | None,
    *,
    path: str | None,
    query: Mapping[str, str],
) -> dict[str, Any]:
    """`{"data": […], "paging": {"cursors": {…}, "next": …}}`; `next` only when there is a next page, and only
    for a list read at its own path (a list nested in `fields` pages through its own path too, which its
    parent's id gives: clients follow the cursors)."""
    assert edge.list is not None
    found = await edge.list(call, subject, page)
    if edge.raw:
        data: list[Any] = list(found.items)
    else:
        target = NODE_TYPES[edge.type_name]
        wanted = requests or _defaults(target)
        data = [await render(call, target, item, wanted) for item in found.items]
    answer: dict[str, Any] = {"data": data, **found.extra}
    if found.after is not None or found.before is not None:
        cursors = {}
        if found.before is not None:
            cursors["before"] = encode_cursor(found.before)
        if found.after is not None:
            cursors["after"] = encode_cursor(found.after)
        paging: dict[str, Any] = {"cursors": cursors}
        if found.has_next and found.after is not None and path is not None:
            paging["next"] = call.url(path, {**query, "limit": str(page.limit), "after": cursors["after"]})
        answer["paging"] = paging
    return answer


def requested_fields(call: Call, node: NodeType) -> tuple[FieldRequest, ...]:
    try:
        return parse_fields(call.param("fields"), node.default_fields)
    except FieldsSyntaxError as error:
        raise invalid_parameter(str(error)) from None


async def answer_get(call: Call, object_id: str, edge_name: str | None) -> dict[str, Any]:
    """GET /{id} or GET /{id}/{edge}."""
    node, subject = await load_node(call, object_id)
    if edge_name is None:
        return await render(call, node, subject, requested_fields(call, node))
    edge = node.edges.get(edge_name)
    if edge is None or edge.list is None:
        raise unknown_path(f"{object_id}/{edge_name}")
    target = NODE_TYPES.get(edge.type_name)
    requests = requested_fields(call, target) if target is not None and not edge.raw else None
    query = {name: value for name, value in call.params.items() if name not in {"access_token", "after", "before"}}
    return await render_page(
        call, edge, subject, page_args(call, call.params), requests, path=f"{object_id}/{edge_name}", query=query
    )


async def answer_post(call: Call, object_id: str, edge_name: str | None) -> dict[str, Any]:
    """POST /{id} (an update, as hiding a comment) or POST /{id}/{edge} (making something)."""
    node, subject = await load_node(call, object_id, method="post")
    if edge_name is None:
        if node.update is None:
            raise no_such_object(object_id, "post")
        return await node.update(call, subject)
    edge = node.edges.get(edge_name)
    if edge is None or edge.create is None:
        raise unknown_path(f"{object_id}/{edge_name}")
    return await edge.create(call, subject)


async def answer_delete(call: Call, object_id: str) -> dict[str, Any]:
    node, subject = await load_node(call, object_id, method="delete")
    if node.delete is None:
        raise no_such_object(object_id, "delete")
    return await node.delete(call, subject)


async def answer_many(call: Call, ids: str) -> dict[str, Any]:
    """GET /?ids=a,b: several nodes at once, each under its id, with the same fields."""
    wanted = list(dict.fromkeys(part.strip() for part in ids.split(",") if part.strip()))
    if not wanted or len(wanted) > MAX_IDS:
        raise invalid_parameter(f"Param ids must name 1 to {MAX_IDS} objects")
    answer = {}
    for object_id in wanted:
        node, subject = await load_node(call, object_id)
        answer[object_id] = await render(call, node, subject, requested_fields(call, node))
    return answer
