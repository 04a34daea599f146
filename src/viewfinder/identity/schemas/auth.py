"""Request and response models of accounts: sign-up and sign-in, sessions, API tokens, preferences."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    computed_field,
    field_validator,
    model_validator,
)

from viewfinder.identity.permissions import TOKEN_SCOPES
from viewfinder.kit.credentials import MAX_PASSWORD_LENGTH

LOCALES = ("en", "it")
MAX_TOKEN_DAYS = 3650

Email = Annotated[str, StringConstraints(min_length=3, max_length=320)]
# New passwords are judged by credentials.check_new_password, which names the field; this only bounds the work.
Password = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PASSWORD_LENGTH * 4)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=512)]


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _known_zone(value: str) -> str:
    if value not in _zones():
        raise ValueError(f"{value[:64]!r} is not an IANA time zone, such as Europe/Rome or UTC")
    return value


def _known_scope(value: str) -> str:
    if value not in TOKEN_SCOPES:
        raise ValueError(f"unknown scope {value[:64]!r}: use one of {', '.join(TOKEN_SCOPES)}")
    return value


TimeZone = Annotated[str, AfterValidator(_known_zone)]
Scope = Annotated[str, AfterValidator(_known_scope)]


class SignUp(BaseModel):
    email: Email
    password: Password
    name: Name


class Credentials(BaseModel):
    email: Email
    password: Password


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")


class RefreshRequest(BaseModel):
    refresh_token: Secret | None = Field(default=None, description="Omit it to use the refresh cookie (with CSRF)")


class Account(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    name: str
    email_verified_at: datetime | None
    timezone: str
    locale: str
    avatar_url: str | None
    created_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class ProfileUpdate(BaseModel):
    """Only the fields sent change; `avatar_url: null` removes the avatar."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    timezone: TimeZone | None = None
    locale: Literal["en", "it"] | None = None
    avatar_url: Annotated[AnyHttpUrl, Field(max_length=2048)] | None = None

    @field_validator("name", "timezone", "locale", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be null: leave the field out to keep it")
        return value

    def changes(self) -> dict[str, str | None]:
        values = self.model_dump(exclude_unset=True)
        if values.get("avatar_url") is not None:
            values["avatar_url"] = str(values["avatar_url"])
        return values


class PasswordChange(BaseModel):
    current_password: Password
    new_password: Password


class PasswordForgot(BaseModel):
    email: Email


class PasswordReset(BaseModel):
    token: Secret
    new_password: Password


class EmailVerification(BaseModel):
    token: Secret


class AccountDeletion(BaseModel):
    password: Password


class SessionInfo(BaseModel):
    id: uuid.UUID
    device: str = Field(description="The user agent that signed in")
    ip: str
    created_at: datetime
    last_active_at: datetime
    expires_at: datetime
    current: bool


class ApiTokenCreate(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    scopes: list[Scope] = Field(min_length=1, description="`area:read` or `area:write` (write includes read)")
    expires_at: AwareDatetime | None = None
    expires_in_days: int | None = Field(default=None, ge=1, le=MAX_TOKEN_DAYS)

    @model_validator(mode="after")
    def _one_expiry(self) -> ApiTokenCreate:
        if self.expires_at is not None and self.expires_in_days is not None:
            raise ValueError("give expires_at or expires_in_days, not both")
        return self


class ApiTokenInfo(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    display_prefix: str = Field(description="The token's first characters, to tell tokens apart")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiTokenCreated(ApiTokenInfo):
    token: str = Field(description="The secret: shown this once only, keep it safe")


class NotificationPreferences(BaseModel):
    events: dict[str, StrictBool] = Field(description="Event name → whether it mails you")
