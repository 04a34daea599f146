"""Apps of the Graph API: made with a name and the redirect addresses OAuth may use, and a secret of 128 random
bits (32 hex digits, as Meta's app secrets are) that is shown once and stored as its SHA-256."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput, NotFound
from viewfinder.kit.sealing import seal
from viewfinder.kit.security import hash_token, same
from viewfinder.network.graph.models import NetworkApp
from viewfinder.network.social.ids import new_id, parse_id
from viewfinder.settings import Settings

MAX_NAME_LENGTH = 100
MAX_REDIRECT_URIS = 10
SECRET_PURPOSE = "network_apps.secret"  # noqa: S105 - the sealing's purpose, not a secret


@dataclass(frozen=True)
class CreatedApp:
    app: NetworkApp
    secret: str  # the only time it is known in plain


def _checked_redirect_uris(uris: Sequence[str]) -> list[str]:
    if not uris:
        raise InvalidInput.on("redirect_uris", "Give at least one redirect URI: OAuth sends people back to it.")
    if len(uris) > MAX_REDIRECT_URIS:
        raise InvalidInput.on("redirect_uris", f"An app has at most {MAX_REDIRECT_URIS} redirect URIs.")
    for uri in uris:
        parts = urlsplit(uri)
        if parts.scheme not in {"http", "https"} or not parts.hostname or parts.fragment:
            raise InvalidInput.on("redirect_uris", f"{uri!r} is not an http(s) address without a #fragment.")
    return list(dict.fromkeys(uris))


async def create_app(
    session: AsyncSession, settings: Settings, *, name: str, redirect_uris: Sequence[str]
) -> CreatedApp:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidInput.on("name", f"Give the app a name of 1 to {MAX_NAME_LENGTH} characters.")
    app = NetworkApp(id=new_id(), name=name, redirect_uris=_checked_redirect_uris(redirect_uris), created_at=utcnow())
    secret = _give_secret(settings, app)
    session.add(app)
    await session.flush()
    return CreatedApp(app, secret)


def _give_secret(settings: Settings, app: NetworkApp) -> str:
    secret = secrets.token_hex(16)
    app.secret_hash = hash_token(secret)
    # Webhooks are signed with the secret itself, so it is kept sealed too (the hash checks OAuth calls).
    app.secret_sealed = seal(settings, secret, purpose=SECRET_PURPOSE)
    return secret


async def reset_secret(session: AsyncSession, settings: Settings, app_id: str) -> CreatedApp:
    """A new secret for the app, as a developer dashboard resets one: the old one stops working at once (OAuth
    code exchanges, token exchanges, webhook signatures); tokens already issued keep working."""
    number = parse_id(app_id)
    app = await session.get(NetworkApp, number) if number is not None else None
    if app is None:
        raise NotFound(f"No app has the id {app_id[:40]}.")
    secret = _give_secret(settings, app)
    await session.flush()
    return CreatedApp(app, secret)


async def authenticated_app(session: AsyncSession, app_id: str, secret: str) -> NetworkApp | None:
    """The app, when the secret is its own; None otherwise (the caller answers as Instagram does)."""
    number = parse_id(app_id)
    app = await session.get(NetworkApp, number) if number is not None else None
    if app is None or not same(app.secret_hash, hash_token(secret)):
        return None
    return app
