"""Security primitives: password hashing (argon2id), opaque tokens kept as hashes, signed access tokens.

Hashing a password costs ~20 MiB and tens of milliseconds by design, so it runs in a worker thread, never on
the event loop; a limiter keeps concurrent hashes from exhausting memory. The hashing is libsodium's (through
PyNaCl), which picks the fastest implementation the CPU has (AVX2, SSSE3): a quarter faster here than the
portable one, so more sign-ins per core at the same cost to an attacker. Its hashes are standard PHC strings.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import anyio
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl import pwhash
from nacl.exceptions import InvalidkeyError

from viewfinder.kit.clock import utcnow


@dataclass(frozen=True)
class Argon2id:
    """argon2id with one lane, a 16-byte salt and a 32-byte hash (libsodium's fixed choices)."""

    memory_kib: int
    iterations: int

    @property
    def parameters(self) -> str:
        """The PHC string's prefix up to the salt: hashes that start otherwise were made with other costs."""
        return f"$argon2id$v=19$m={self.memory_kib},t={self.iterations},p=1$"

    def hash(self, password: str) -> str:
        digest = pwhash.argon2id.str(password.encode(), opslimit=self.iterations, memlimit=self.memory_kib * 1024)
        return digest.decode()

    def verify(self, stored_hash: str, password: str) -> bool:
        try:
            return bool(pwhash.argon2id.verify(stored_hash.encode(), password.encode()))
        except InvalidkeyError:  # a wrong password, or a stored hash that is not argon2id
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return not stored_hash.startswith(self.parameters)


# OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
PASSWORD_HASHER = Argon2id(memory_kib=19 * 1024, iterations=2)
_HASHING = anyio.CapacityLimiter(4)
# Verifying against this when the account does not exist costs the same as a real check, so the answer's
# timing does not tell which emails have accounts.
_DUMMY_HASH = PASSWORD_HASHER.hash("not-a-real-password")

JWT_ALGORITHM = "EdDSA"
JWT_ISSUER = "viewfinder"


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(PASSWORD_HASHER.hash, password, limiter=_HASHING)


@dataclass(frozen=True)
class PasswordCheck:
    valid: bool
    needs_rehash: bool = False


def _verify(stored_hash: str | None, password: str) -> PasswordCheck:
    valid = PASSWORD_HASHER.verify(stored_hash or _DUMMY_HASH, password)
    if stored_hash is None or not valid:
        return PasswordCheck(valid=False)
    return PasswordCheck(valid=True, needs_rehash=PASSWORD_HASHER.needs_rehash(stored_hash))


async def verify_password(stored_hash: str | None, password: str) -> PasswordCheck:
    """Check a password; with no stored hash (unknown account) it takes as long and fails."""
    return await anyio.to_thread.run_sync(_verify, stored_hash, password, limiter=_HASHING)


def new_token(prefix: str = "", nbytes: int = 32) -> str:
    """An opaque, unguessable token; a prefix tells its kind at a glance (and to secret scanners)."""
    return prefix + secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    """Tokens have 256 bits of entropy, so a fast hash is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: datetime


class InvalidAccessToken(Exception):
    """The access token is malformed, forged or expired."""


@lru_cache(maxsize=4)
def _keys(private_pem: bytes) -> tuple[Ed25519PrivateKey, Ed25519PublicKey]:
    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("JWT_PRIVATE_KEY must be an Ed25519 private key in PEM")
    return key, key.public_key()


def issue_access_token(private_pem: bytes, user_id: uuid.UUID, session_id: uuid.UUID, ttl: timedelta) -> str:
    now = utcnow()
    claims: dict[str, Any] = {
        "iss": JWT_ISSUER,
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, _keys(private_pem)[0], algorithm=JWT_ALGORITHM)


def read_access_token(private_pem: bytes, token: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            _keys(private_pem)[1],
            algorithms=[JWT_ALGORITHM],
            issuer=JWT_ISSUER,
            options={"require": ["exp", "sub", "sid", "iss"]},
        )
        return AccessClaims(
            uuid.UUID(claims["sub"]),
            uuid.UUID(claims["sid"]),
            datetime.fromtimestamp(claims["exp"], tz=utcnow().tzinfo),
        )
    except (jwt.PyJWTError, ValueError, KeyError) as error:
        raise InvalidAccessToken(str(error)) from None
