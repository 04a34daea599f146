"""The Graph API at /network/graph/v{version}/… (v19.0 and later, or without a version), in Instagram's shapes:
string ids, only the fields asked for, and errors as `{"error": {message, type, code, error_subcode,
fbtrace_id}}` with the codes a client library reacts to, never the suite's problem+json.

One route takes every path: it reads the parameters (query, form or JSON body) and the token, then
`nodes.answer_*` walks the node types the service modules registered.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import NotFound, Unauthorized
from viewfinder.kit.pagination import Page
from viewfinder.kit.resources import Resources
from viewfinder.kit.security import same
from viewfinder.kit.web import DbSession, ResourcesDep
from viewfinder.network.graph import nodes
from viewfinder.network.graph.schemas import (
    FaultCreate,
    FaultView,
    NetworkConnectedApp,
    OAuthAuthorizeQuery,
    OAuthConsent,
    OAuthConsentAnswer,
    OAuthConsentDetails,
)

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
    usage,
    users,
    webhooks,
)
from viewfinder.network.graph.service.tokens import find_token
from viewfinder.network.social.deps import CurrentViewer

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
    return nodes.plain_lists(params)


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
        return faults.session_expired(token.expires_at, utcnow())
    return None


@dataclass
class _Trace:
    """What `graph` learns of a call while `_answer` runs it: whose call it is and their usage as it started (for
    the usage headers), and the faults that struck it."""

    app_id: int | None = None
    account_id: int | None = None
    usage_at_start: usage.Usage | None = None
    faults: faults.FaultPlan = faults.NO_FAULT


async def _answer(request: Request, resources: Resources, path: str, trace: _Trace) -> dict[str, Any] | list[Any]:
    version, segments = _split_version([segment for segment in path.split("/") if segment])
    if len(segments) > 2:
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
        trace.app_id, trace.account_id = token.app_id, person.id
        trace.usage_at_start = await usage.read_usage(
            resources.cache, app_id=token.app_id, account_id=person.id, now=utcnow()
        )
        # A spent hour refuses the call before anything runs, as Instagram does.
        usage.refuse_when_spent(trace.usage_at_start, resources.settings)
        if refused := _token_error(token):
            raise refused
        trace.faults = await faults.plan_faults(session, app_id=token.app_id, method=request.method, segments=segments)
        await trace.faults.before()
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
        answer = await _dispatch(call, request.method, segments, path)
    # Committed: a lost answer loses only the answer, never the change.
    await trace.faults.after_commit()
    return answer


async def _dispatch(call: nodes.Call, method: str, segments: list[str], path: str) -> dict[str, Any] | list[Any]:
    call.require(BASIC_SCOPE)
    if not segments:
        if method == "GET" and call.param("ids"):
            return await nodes.answer_many(call, call.required("ids"))
        if method == "POST" and call.param("batch"):
            return await _batch(call, call.required("batch"))
        raise nodes.unknown_path(path)
    return await _dispatch_one(call, method, segments, path)


async def _dispatch_one(call: nodes.Call, method: str, segments: list[str], path: str) -> dict[str, Any]:
    object_id, edge = segments[0], (segments[1] if len(segments) == 2 else None)
    if edge is None and object_id in nodes.ROOTS:
        return await nodes.ROOTS[object_id](call)
    if method == "GET":
        return await nodes.answer_get(call, object_id, edge)
    if method == "POST":
        return await nodes.answer_post(call, object_id, edge)
    if edge is not None:
        raise nodes.unknown_path(path)
    return await nodes.answer_delete(call, object_id)


MAX_BATCH = 50  # Graph's limit of requests in one batch


async def _batch(call: nodes.Call, raw: str) -> list[Any]:
    """`POST /` with `batch=[{method, relative_url, body}, …]`: each request answered in order as
    `{code, headers, body}` with the body as JSON text, as Graph's batch requests are. Each runs in a savepoint,
    so one that fails leaves nothing half written and the others stand."""
    try:
        requests = json.loads(raw)
    except ValueError:
        raise nodes.invalid_parameter("The parameter batch must be a JSON array of requests") from None
    if not isinstance(requests, list) or not requests or len(requests) > MAX_BATCH:
        raise nodes.invalid_parameter(f"The parameter batch must hold 1 to {MAX_BATCH} requests")
    return [await _batched(call, item) for item in requests]


async def _batched(call: nodes.Call, item: Any) -> dict[str, Any]:
    try:
        if not isinstance(item, dict) or not isinstance(item.get("relative_url"), str):
            raise nodes.invalid_parameter("Each batch request needs a relative_url")
        method = str(item.get("method", "GET")).upper()
        if method not in {"GET", "POST", "DELETE"}:
            raise nodes.invalid_parameter(f"Unsupported method {method[:10]} in a batch request")
        path, _, query = item["relative_url"].lstrip("/").partition("?")
        # Only the request's own parameters: the batch's (but its token) do not leak into each request.
        params = {**dict(parse_qsl(query)), **dict(parse_qsl(str(item.get("body", ""))))}
        version, segments = _split_version([segment for segment in path.split("/") if segment])
        if not segments or len(segments) > 2:
            raise nodes.unknown_path(path)
        one = replace(call, params=nodes.plain_lists(params), version=version or call.version)
        async with call.session.begin_nested():
            answer = await _dispatch_one(one, method, segments, path)
    except nodes.GraphError as error:
        return {"code": error.status, "headers": _BATCH_HEADERS, "body": json.dumps(error.body())}
    return {"code": 200, "headers": _BATCH_HEADERS, "body": json.dumps(answer)}


_BATCH_HEADERS = [{"name": "Content-Type", "value": "application/json; charset=UTF-8"}]


async def _count_call(
    resources: Resources, *, app_id: int, account_id: int, at_start: usage.Usage, spent: usage.Spent
) -> dict[str, str]:
    """Count the call in its app's and account's hour; the usage headers, this call included."""
    await usage.record_call(resources.cache, app_id=app_id, account_id=account_id, spent=spent, now=utcnow())
    used = usage.Usage(app=at_start.app.with_call(spent), account=at_start.account.with_call(spent))
    return usage.usage_headers(used, account_id=account_id, settings=resources.settings)


# Out of the OpenAPI document: one route for three methods gives three operations of one id, which breaks the
# generated web client (the Graph's own reference is Meta's, in docs/sandbox-graph-api.md).
@router.api_route(
    "/network/graph/{path:path}",
    methods=["GET", "POST", "DELETE"],
    response_class=JSONResponse,
    include_in_schema=False,
)
async def graph(path: str, request: Request, resources: ResourcesDep) -> JSONResponse:
    """Every Graph call: `GET /{id}`, `GET /{id}/{edge}`, `POST /{id}[/{edge}]`, `DELETE /{id}`, and root
    paths such as `ig_hashtag_search`, with or without a version (v19.0 and later) in front. Every answer of a
    known token, errors too, carries the usage headers; refused calls count, as on Instagram."""
    meter = usage.Meter()
    trace = _Trace()
    try:
        response = JSONResponse(await _answer(request, resources, path, trace))
    except nodes.GraphError as error:
        response = graph_error_response(error)
    if trace.usage_at_start is not None and trace.app_id is not None and trace.account_id is not None:
        headers = await _count_call(
            resources,
            app_id=trace.app_id,
            account_id=trace.account_id,
            at_start=trace.usage_at_start,
            spent=meter.spent(),
        )
        response.headers.update(headers)
    return response


# OAuth, Instagram Login's flavour: the authorisation request, the consent (the web app's page, which calls the
# network API below), the code's exchange, and the apps a person has let in.
CONSENT_PAGE = "/network/authorize"


AuthorizeQuery = Annotated[OAuthAuthorizeQuery, Query()]


async def _checked_request(session: DbSession, asked: OAuthAuthorizeQuery) -> oauth.AuthorizeRequest:
    parameters = asked.model_dump(include=set(OAuthAuthorizeQuery.model_fields))
    return await oauth.check_authorize_request(session, **parameters)


@router.get("/network/oauth/authorize", response_class=RedirectResponse, status_code=302)
async def oauth_authorize(request: Request, session: DbSession, asked: AuthorizeQuery) -> RedirectResponse:
    """Instagram's authorisation window: checks the app and its redirect URI (exactly), then sends the browser
    to the consent page with the same query; a bad scope goes back to the app with OAuth's error parameters."""
    try:
        await _checked_request(session, asked)
    except oauth.AnswerAtRedirect as refused:
        return RedirectResponse(refused.redirect_to, status_code=302)
    return RedirectResponse(f"{CONSENT_PAGE}?{request.url.query}", status_code=302)


@router.post("/network/oauth/access_token", response_class=JSONResponse)
async def oauth_access_token(request: Request, session: DbSession, resources: ResourcesDep) -> JSONResponse:
    """A code for a short-lived token (an hour): form fields client_id, client_secret, grant_type
    (authorization_code), redirect_uri and code; errors in api.instagram.com's shape for this endpoint."""
    try:
        issued = await oauth.exchange_code(session, await graph_params(request))
    except oauth.TokenRequestRefused as refused:
        return JSONResponse(refused.body(), status_code=400)
    except nodes.GraphError as error:  # a body that is not a form nor a JSON object
        return JSONResponse(oauth.TokenRequestRefused(error.message).body(), status_code=400)
    token = issued.row
    if resources.settings.network_oauth_token_shape == "data":  # noqa: S105 - a shape, not a secret
        granted = {"access_token": issued.access_token, "user_id": str(token.person_id)}
        return JSONResponse({"data": [{**granted, "permissions": ",".join(token.scopes)}]})
    return JSONResponse(
        {"access_token": issued.access_token, "user_id": token.person_id, "permissions": list(token.scopes)}
    )


@router.get("/network/api/v1/oauth/consent", tags=["network"])
async def oauth_consent_details(
    viewer: CurrentViewer, session: DbSession, asked: AuthorizeQuery
) -> OAuthConsentDetails:
    """The app and scopes of an authorisation request, for the consent page (400 when it cannot be answered)."""
    try:
        checked = await _checked_request(session, asked)
    except oauth.AnswerAtRedirect:
        raise oauth.OAuthRequestRefused("The scopes or the response type of this request are not valid.") from None
    return OAuthConsentDetails(
        app_id=str(checked.app.id), app_name=checked.app.name, scopes=checked.scopes, redirect_uri=checked.redirect_uri
    )


@router.post("/network/api/v1/oauth/consent", tags=["network"])
async def oauth_consent(body: OAuthConsent, viewer: CurrentViewer, session: DbSession) -> OAuthConsentAnswer:
    """Allow (a one-use code for the app, valid an hour) or cancel; the page then goes to `redirect_to`."""
    try:
        asked = await _checked_request(session, body)
    except oauth.AnswerAtRedirect as refused:
        return OAuthConsentAnswer(redirect_to=refused.redirect_to)
    return OAuthConsentAnswer(redirect_to=await oauth.decide(session, viewer.person, asked, allow=body.allow))


@router.get("/network/api/v1/me/apps", tags=["network"])
async def list_connected_apps(viewer: CurrentViewer, session: DbSession) -> Page[NetworkConnectedApp]:
    """The apps holding a valid token or an unused code of the signed-in person (all of them: they are few)."""
    found = await oauth.connected_apps(session, viewer.person)
    return Page(
        items=[NetworkConnectedApp(id=str(app.id), name=app.name, scopes=app.scopes, since=app.since) for app in found]
    )


@router.delete("/network/api/v1/me/apps/{app_id}", tags=["network"], status_code=204)
async def remove_connected_app(app_id: str, viewer: CurrentViewer, session: DbSession) -> None:
    """Revoke an app: its tokens stop working at once (the Graph answers 190/458) and its codes are void."""
    await oauth.revoke_app(session, viewer.person, app_id)


# The network's admin API: faults on demand, for one app or all, authorised by NETWORK_ADMIN_TOKEN as a bearer
# token; without that setting the API does not exist (404).
def _require_admin(request: Request, resources: ResourcesDep) -> None:
    configured = resources.settings.network_admin_token
    expected = configured.get_secret_value() if configured is not None else ""
    if not expected:
        raise NotFound()
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not same(given.strip(), expected):
        raise Unauthorized("Give the network's admin token (NETWORK_ADMIN_TOKEN) as `Authorization: Bearer …`.")


AdminOnly = [Depends(_require_admin)]


@router.get("/network/api/v1/admin/faults", tags=["network admin"], dependencies=AdminOnly)
async def list_faults(session: DbSession) -> Page[FaultView]:
    """The faults switched on and not expired (all of them: they are few)."""
    return Page(items=[faults.fault_view(fault) for fault in await faults.list_faults(session)])


@router.post("/network/api/v1/admin/faults", tags=["network admin"], dependencies=AdminOnly, status_code=201)
async def add_fault(body: FaultCreate, session: DbSession) -> FaultView:
    """Switch a fault on; it strikes the Graph calls of its app (or of all apps) from the next call."""
    return faults.fault_view(await faults.add_fault(session, body))


@router.delete("/network/api/v1/admin/faults", tags=["network admin"], dependencies=AdminOnly, status_code=204)
async def clear_all_faults(session: DbSession) -> None:
    await faults.clear_faults(session)


@router.delete(
    "/network/api/v1/admin/faults/{fault_id}", tags=["network admin"], dependencies=AdminOnly, status_code=204
)
async def clear_fault(fault_id: str, session: DbSession) -> None:
    await faults.clear_faults(session, fault_id=fault_id)
