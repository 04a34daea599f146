"""The Graph API at /network/graph/v{version}/… (v19.0 and later, or without a version), in Instagram's shapes:
string ids, only the fields asked for, and errors as `{"error": {message, type, code, error_subcode,
fbtrace_id}}` with the codes a client library reacts to, never the suite's problem+json.

One route takes every path: it reads the parameters (query, form or JSON body) and the token, then
`nodes.answer_*` walks the node types the service modules registered.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from viewfinder.kit.clock import utcnow
from viewfinder.kit.resources import Resources
from viewfinder.kit.web import ResourcesDep
from viewfinder.network.graph import nodes

# Each area registers its node types, edges and root paths on import.
from viewfinder.network.graph.service import (  # noqa: F401
    comments,
    discovery,
    faults,
    hashtags,
    insights,
    media,
    messages,
    oauth,
    publishing,
    users,
    webhooks,
)
from viewfinder.network.graph.service.tokens import find_token

router = APIRouter(tags=["network graph"])

OLDEST_VERSION = 19
_VERSION = re.compile(r"v(\d+)\.(\d+)")
_LOOKS_VERSIONED = re.compile(r"v\d")
BASIC_SCOPE = "instagram_business_basic"


def graph_error_response(error: nodes.GraphError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status)


def _split_version(segments: list[str]) -> tuple[str | None, list[str]]:
    if not segments or not _LOOKS_VERSIONED.match(segments[0]):
        return None, segments
    version, rest = segments[0], segments[1:]
    matched = _VERSION.fullmatch(version)
    if matched is None:
        raise nodes.unknown_path("/".join(segments))
    if int(matched.group(1)) < OLDEST_VERSION:
        raise nodes.GraphError(
            f"(#2635) You are calling a deprecated version of the Graph API ({version}): use v{OLDEST_VERSION}.0 "
            "or later.",
            2635,
        )
    return version, rest


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, dict | list) else str(value)


async def graph_params(request: Request) -> dict[str, str]:
    """The call's parameters: the query's, then a form's or a JSON object's (the body wins, as on Graph)."""
    params = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if request.method in {"POST", "DELETE"}:
        if content_type.startswith("application/json"):
            try:
                body = await request.json()
            except ValueError:
                raise nodes.invalid_parameter("The request body is not valid JSON") from None
            if not isinstance(body, dict):
                raise nodes.invalid_parameter("The request body must be a JSON object")
            params.update({str(name): _as_text(value) for name, value in body.items()})
        elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            params.update({name: value for name, value in form.items() if isinstance(value, str)})
    return params


def access_token_of(request: Request, params: dict[str, str]) -> str | None:
    if params.get("access_token"):
        return params["access_token"]
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() in {"bearer", "oauth"} and credentials.strip() else None


def _token_error(token: Any) -> nodes.GraphError | None:
    if token.revoked_at is not None:
        return nodes.GraphError(
            f"Error validating access token: The user has not authorized application {token.app_id}.", 190, subcode=458
        )
    if token.expires_at <= utcnow():
        return nodes.GraphError(
            f"Error validating access token: Session has expired on {token.expires_at:%A, %d-%b-%y %H:%M:%S} UTC. "
            f"The current time is {utcnow():%A, %d-%b-%y %H:%M:%S} UTC.",
            190,
            subcode=463,
        )
    return None


async def _answer(request: Request, resources: Resources, path: str) -> dict[str, Any]:
    version, segments = _split_version([segment for segment in path.split("/") if segment])
    if not segments or len(segments) > 2:
        raise nodes.unknown_path(path)
    params = await graph_params(request)
    plain = access_token_of(request, params)
    if plain is None:
        raise nodes.GraphError("An active access token must be used to query information about the current user.", 2500)
    async with resources.db.unit_of_work() as session:
        found = await find_token(session, plain)
        if found is None:
            raise nodes.GraphError("Invalid OAuth access token - Cannot parse access token", 190)
        token, person = found
        if refused := _token_error(token):
            raise refused
        call = nodes.Call(
            session=session,
            resources=resources,
            token=token,
            person=person,
            params=params,
            root_url=f"{str(resources.settings.base_url).rstrip('/')}/network/graph",
            version=version,
            access_token=plain,
        )
        call.require(BASIC_SCOPE)
        object_id, edge = segments[0], (segments[1] if len(segments) == 2 else None)
        if edge is None and object_id in nodes.ROOTS:
            return await nodes.ROOTS[object_id](call)
        if request.method == "GET":
            return await nodes.answer_get(call, object_id, edge)
        if request.method == "POST":
            return await nodes.answer_post(call, object_id, edge)
        if edge is not None:
            raise nodes.unknown_path(path)
        return await nodes.answer_delete(call, object_id)


@router.api_route("/network/graph/{path:path}", methods=["GET", "POST", "DELETE"], response_class=JSONResponse)
async def graph(path: str, request: Request, resources: ResourcesDep) -> JSONResponse:
    """Every Graph call: `GET /{id}`, `GET /{id}/{edge}`, `POST /{id}[/{edge}]`, `DELETE /{id}`, and root
    paths such as `ig_hashtag_search`, with or without a version (v19.0 and later) in front."""
    try:
        return JSONResponse(await _answer(request, resources, path))
    except nodes.GraphError as error:
        return graph_error_response(error)
