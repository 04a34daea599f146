"""Sealing: secrets the application must read back later (an app secret that signs webhooks), encrypted at rest
with AES-256-GCM under a key derived from SECRET_KEY; each sealed text names its key, so keys can be rotated.

A sealed text reads `v1.<key id>.<base64url(nonce + ciphertext + tag)>`. The key id is a short fingerprint of
the key, not the key: after a rotation, texts sealed under the old key say so, and can be opened by a key ring
that still holds it, then sealed again under the new one. The purpose is bound as associated data, so a text
sealed for one column cannot be moved into another and opened there.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from viewfinder.settings import Settings

VERSION = "v1"
NONCE_BYTES = 12  # GCM's standard nonce; random per sealing, so one key seals far fewer than 2**32 texts safely
_INFO = b"viewfinder sealing"


class SealError(ValueError):
    """A sealed text that cannot be opened: malformed, sealed under a key this install does not hold, sealed
    for another purpose, or tampered with. The message never contains the text or the key."""


@lru_cache(maxsize=8)
def derive_key(secret: bytes) -> bytes:
    """The 256-bit sealing key of an install's secret (HKDF-SHA256, its own `info`, so it differs from every
    other key derived from the same secret)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret)


def key_id(key: bytes) -> str:
    """A fingerprint naming the key in sealed texts: 8 hex digits of a hash that reveals nothing of the key."""
    return hashlib.sha256(b"viewfinder sealing key id\x00" + key).hexdigest()[:8]


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal_with(key: bytes, plain: str, *, purpose: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plain.encode(), purpose.encode())
    return f"{VERSION}.{key_id(key)}.{_encode(nonce + sealed)}"


def unseal_with(keys: Sequence[bytes], sealed: str, *, purpose: str) -> str:
    """Open a text sealed under any of `keys` (the current key first, then older ones kept for a rotation)."""
    version, _, rest = sealed.partition(".")
    named, _, payload = rest.partition(".")
    if version != VERSION or not named or not payload:
        raise SealError("Not a sealed text of this application.")
    key = next((key for key in keys if key_id(key) == named), None)
    if key is None:
        raise SealError(f"Sealed under key {named}, which this install does not hold (was SECRET_KEY changed?).")
    try:
        data = _decode(payload)
    except (binascii.Error, ValueError):
        raise SealError("The sealed text is damaged.") from None
    if len(data) <= NONCE_BYTES:
        raise SealError("The sealed text is damaged.")
    try:
        return AESGCM(key).decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], purpose.encode()).decode()
    except InvalidTag:
        raise SealError("The sealed text was altered, or sealed for another purpose.") from None


def seal(settings: Settings, plain: str, *, purpose: str) -> str:
    """Seal `plain` under the install's current key, for `purpose` (e.g. `network_apps.secret`)."""
    return seal_with(derive_key(settings.signing_key), plain, purpose=purpose)


def unseal(settings: Settings, sealed: str, *, purpose: str) -> str:
    """Open a text `seal` made for the same purpose; raises SealError otherwise."""
    return unseal_with([derive_key(settings.signing_key)], sealed, purpose=purpose)
