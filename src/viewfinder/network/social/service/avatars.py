"""Profile pictures uploaded to the network: checked and cropped to a square, stored under a new key each time.

A picture's address never changes while it exists (a new upload gets a new one), so it is kept in the person's
`avatar_url` like a linked picture, read by every list without signing, and served with a year's caching.
"""

from __future__ import annotations

from functools import partial

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.errors import NotFound
from viewfinder.kit.images import prepare_avatar
from viewfinder.kit.storage import Storage, StorageObjectMissing
from viewfinder.network.social.ids import new_id, parse_id
from viewfinder.network.social.models import NetworkPerson

# The route that serves them (network.social.api); the key's folder mirrors it.
AVATAR_URL_PREFIX = "/network/api/v1/avatars/"
_KEY_PREFIX = "network/avatars/"


def _key_of(url: str | None) -> str | None:
    """The storage key of an uploaded picture, None for a linked one (or none)."""
    if url is None or not url.startswith(AVATAR_URL_PREFIX):
        return None
    return _KEY_PREFIX + url.removeprefix(AVATAR_URL_PREFIX)


async def set_avatar(session: AsyncSession, storage: Storage, person: NetworkPerson, data: bytes) -> str | None:
    """Store the picture and make it the person's; answer the key of the picture it replaces (to remove once
    committed), if that one was uploaded too."""
    jpeg = await anyio.to_thread.run_sync(partial(prepare_avatar, data, field="file"))
    name = f"{person.id}/{new_id()}.jpg"
    await storage.put(_KEY_PREFIX + name, jpeg, "image/jpeg")
    replaced = _key_of(person.avatar_url)
    person.avatar_url = AVATAR_URL_PREFIX + name
    await session.flush()
    return replaced


async def remove_avatar(session: AsyncSession, person: NetworkPerson) -> str | None:
    """Clear the person's picture; answer its key when it was uploaded (to remove once committed)."""
    replaced = _key_of(person.avatar_url)
    person.avatar_url = None
    await session.flush()
    return replaced


async def read_avatar(storage: Storage, person_id: str, name: str) -> bytes:
    if parse_id(person_id) is None or not name.endswith(".jpg") or parse_id(name.removesuffix(".jpg")) is None:
        raise NotFound("There is no such picture.")
    try:
        return await storage.get(f"{_KEY_PREFIX}{person_id}/{name}")
    except StorageObjectMissing:
        raise NotFound("There is no such picture: it was replaced or removed.") from None
