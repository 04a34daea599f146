"""The Graph API at /network/graph/v{version}/… (v19.0 and later, or without a version), in Instagram's shapes:
string ids, only the fields asked for, and errors as `{"error": {message, type, code, fbtrace_id}}` with the
codes a client library reacts to, never the suite's problem+json.

The first node is `me`; the rest of the Graph (media, publishing, insights, hashtags, comments, messages) lands
on the same conventions.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from viewfinder.kit.web import DbSession, ResourcesDep
from viewfinder.network.graph.service.tokens import valid_token
from viewfinder.network.social.models import AccountType, NetworkPerson

router = APIRouter(tags=["network graph"])

OLDEST_VERSION = 19
_VERSION = re.compile(r"v(\d+)\.(\d+)")
_ACCOUNT_TYPES = {AccountType.BUSINESS: "Business", AccountType.CREATOR: "Media_Creator"}


def graph_error(message: str, code: int, *, status: int = 400, subcode: int | None = None) -> JSONResponse:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = secrets.token_urlsafe(20)[:27]
    return JSONResponse({"error": error}, status_code=status)


def _version_error(version: str | None) -> JSONResponse | None:
    if version is None:
        return None
    matched = _VERSION.fullmatch(version)
    if matched is None:
        return graph_error(f"Unknown path components: /{version[:40]}/me", 2500)
    if int(matched.group(1)) < OLDEST_VERSION:
        return graph_error(
            f"(#2635) You are calling a deprecated version of the Graph API ({version}): use v{OLDEST_VERSION}.0 "
            "or later.",
            2635,
        )
    return None


def _user_fields(base_url: str) -> dict[str, Callable[[NetworkPerson], Any]]:
    def picture(person: NetworkPerson) -> str | None:
        url = person.avatar_url
        return f"{base_url}{url}" if url and url.startswith("/") else url

    return {
        "id": lambda person: str(person.id),
        "user_id": lambda person: str(person.id),
        "username": lambda person: person.username,
        "name": lambda person: person.name,
        "account_type": lambda person: _ACCOUNT_TYPES.get(person.account_type),
        "biography": lambda person: person.bio,
        "website": lambda person: person.website,
        "profile_picture_url": picture,
        "followers_count": lambda person: person.followers_count,
        "follows_count": lambda person: person.following_count,
        "media_count": lambda person: person.posts_count,
    }


def _access_token(request: Request, access_token: str | None) -> str | None:
    if access_token:
        return access_token
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() in {"bearer", "oauth"} and credentials.strip() else None


Fields = Annotated[str | None, Query(description="Comma-separated fields, e.g. id,username,followers_count")]
AccessToken = Annotated[str | None, Query(description="The access token (or `Authorization: Bearer …`)")]


async def _me(
    request: Request,
    session: DbSession,
    resources: ResourcesDep,
    version: str | None,
    fields: str | None,
    token: str | None,
) -> JSONResponse:
    if refused := _version_error(version):
        return refused
    plain = _access_token(request, token)
    if plain is None:
        return graph_error("An active access token must be used to query information about the current user.", 2500)
    found = await valid_token(session, plain)
    if found is None:
        return graph_error("Error validating access token: the token is invalid, expired or revoked.", 190)
    granted, person = found
    if "instagram_business_basic" not in granted.scopes:
        return graph_error("(#10) Application does not have permission for this action", 10, status=403)
    readers = _user_fields(str(resources.settings.base_url).rstrip("/"))
    asked = [name.strip() for name in (fields or "id").split(",") if name.strip()]
    for name in asked:
        if name not in readers:
            return graph_error(f"(#100) Tried accessing nonexisting field ({name[:60]}) on node type (User)", 100)
    answer = {name: readers[name](person) for name in dict.fromkeys(asked)}
    # Like Instagram, a field with no value is left out rather than sent as null.
    return JSONResponse({name: value for name, value in answer.items() if value is not None})


@router.get("/network/graph/me", response_class=JSONResponse)
async def me(
    request: Request,
    session: DbSession,
    resources: ResourcesDep,
    fields: Fields = None,
    access_token: AccessToken = None,
) -> JSONResponse:
    """The professional account the token is for, with the fields asked for (`id` when none are)."""
    return await _me(request, session, resources, None, fields, access_token)


@router.get("/network/graph/{version}/me", response_class=JSONResponse)
async def versioned_me(
    version: str,
    request: Request,
    session: DbSession,
    resources: ResourcesDep,
    fields: Fields = None,
    access_token: AccessToken = None,
) -> JSONResponse:
    """`me` at a version of the Graph API (v19.0 and later)."""
    return await _me(request, session, resources, version, fields, access_token)
