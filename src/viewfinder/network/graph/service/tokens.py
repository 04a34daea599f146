"""Access tokens of the Graph API: issued to an app for a business or creator account with the scopes granted,
opaque (`IGAA…`, as Instagram Login's are), stored as hashes, valid until they expire or are revoked."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput, NotFound
from viewfinder.kit.security import hash_token
from viewfinder.network.graph.models import NetworkApp, NetworkGraphToken
from viewfinder.network.social.ids import new_id, parse_id
from viewfinder.network.social.models import AccountType, NetworkPerson

SCOPES = (
    "instagram_business_basic",
    "instagram_business_content_publish",
    "instagram_business_manage_comments",
    "instagram_business_manage_messages",
    "instagram_business_manage_insights",
)
LONG_LIVED = timedelta(days=60)
TOKEN_PREFIX = "IGAA"  # noqa: S105 - a prefix, not a secret


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    row: NetworkGraphToken

    @property
    def expires_in(self) -> int:
        return int((self.row.expires_at - self.row.created_at).total_seconds())


def checked_scopes(scopes: Sequence[str]) -> list[str]:
    wanted = [scope.strip() for scope in scopes if scope.strip()]
    unknown = [scope for scope in wanted if scope not in SCOPES]
    if unknown or not wanted:
        raise InvalidInput.on(
            "scopes", f"Choose scopes among {', '.join(SCOPES)}" + (f"; not {', '.join(unknown)}." if unknown else ".")
        )
    return list(dict.fromkeys(wanted))


async def issue_token(
    session: AsyncSession,
    *,
    app_id: str,
    username: str,
    scopes: Sequence[str],
    lifetime: timedelta = LONG_LIVED,
) -> IssuedToken:
    """A token for the person's professional account, as a developer dashboard's token tool issues one."""
    number = parse_id(app_id)
    app = await session.get(NetworkApp, number) if number is not None else None
    if app is None:
        raise NotFound(f"No app has the id {app_id}.")
    person = await session.scalar(
        select(NetworkPerson).where(NetworkPerson.username_key == username.strip().removeprefix("@").lower())
    )
    if person is None:
        raise NotFound(f"No one on the network is called @{username}.")
    if person.account_type == AccountType.PERSONAL:
        raise InvalidInput.on(
            "username",
            f"@{person.username} is a personal account: only business and creator accounts "
            "use the Graph API (switch it in the network's profile settings).",
        )
    return await mint_token(
        session, app_id=app.id, person_id=person.id, scopes=checked_scopes(scopes), lifetime=lifetime, long_lived=True
    )


async def mint_token(
    session: AsyncSession,
    *,
    app_id: int,
    person_id: int,
    scopes: Sequence[str],
    lifetime: timedelta,
    long_lived: bool,
) -> IssuedToken:
    """A new token for scopes already checked (OAuth's codes and exchanges carry them from the consent)."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(48)
    now = utcnow()
    row = NetworkGraphToken(
        id=new_id(),
        token_hash=hash_token(plain),
        app_id=app_id,
        person_id=person_id,
        scopes=list(scopes),
        long_lived=long_lived,
        created_at=now,
        expires_at=now + lifetime,
        revoked_at=None,
    )
    session.add(row)
    await session.flush()
    return IssuedToken(plain, row)


async def find_token(session: AsyncSession, access_token: str) -> tuple[NetworkGraphToken, NetworkPerson] | None:
    """The token and its person when it is one of ours, whatever its state (expired and revoked included)."""
    if not access_token.startswith(TOKEN_PREFIX):
        return None
    found = (
        await session.execute(
            select(NetworkGraphToken, NetworkPerson)
            .join(NetworkPerson, NetworkPerson.id == NetworkGraphToken.person_id)
            .where(NetworkGraphToken.token_hash == hash_token(access_token))
        )
    ).one_or_none()
    return None if found is None else (found[0], found[1])


async def valid_token(session: AsyncSession, access_token: str) -> tuple[NetworkGraphToken, NetworkPerson] | None:
    """The token and its person, when it is one of ours, unexpired and not revoked."""
    found = await find_token(session, access_token)
    if found is None:
        return None
    token, person = found
    if token.revoked_at is not None or token.expires_at <= utcnow():
        return None
    return token, person
