"""Request and answer models of the network's own HTTP API for the Graph's people and admins: the OAuth consent
page, connected apps, and faults (the Graph itself answers Instagram's shapes, built in `nodes`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

FaultKind = Literal["error", "latency", "rate_limit", "expired_token", "lost_answer"]


class OAuthConsentDetails(BaseModel):
    """What the consent page shows: the app asking and the scopes it wants."""

    app_id: str
    app_name: str
    scopes: list[str]
    redirect_uri: str


class OAuthAuthorizeQuery(BaseModel):
    """An authorisation request's parameters as the app sent them; a missing one is named by the check."""

    client_id: str | None = None
    redirect_uri: str | None = None
    scope: str | None = None
    response_type: str | None = None
    state: str | None = None


class OAuthConsent(OAuthAuthorizeQuery):
    """The authorisation request as the page received it, and the person's answer."""

    allow: bool


class OAuthConsentAnswer(BaseModel):
    redirect_to: str


class NetworkConnectedApp(BaseModel):
    id: str
    name: str
    scopes: list[str]
    since: datetime


class FaultCreate(BaseModel):
    """A fault to switch on, as the admin API and the command take it."""

    model_config = ConfigDict(extra="forbid")

    kind: FaultKind
    app_id: str | None = None
    path: str = "*"
    method: str | None = None
    rate: float = 1.0
    code: int | None = None
    subcode: int | None = None
    status: int | None = None
    latency_ms: int | None = None
    expires_in: int | None = None


class FaultView(BaseModel):
    """A fault switched on, as the admin API and the command show it."""

    id: str
    kind: str
    app_id: str | None
    path: str
    method: str | None
    rate: float
    code: int | None
    subcode: int | None
    status: int | None
    latency_ms: int | None
    created_at: datetime
    expires_at: datetime | None
