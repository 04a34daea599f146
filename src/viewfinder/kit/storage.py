"""Object storage for media: a local folder (embedded mode) or an S3-compatible bucket, behind one protocol.

Local objects are served by `media_router` through links signed with the install's secret; S3 objects through
the bucket's own presigned URLs.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import mimetypes
import os
import re
import secrets
import stat
import threading
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol
from urllib.parse import unquote, urlencode, urlsplit

import anyio.to_thread
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from cachetools import LRUCache
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import Forbidden, InvalidInput, NotFound
from viewfinder.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MAX_KEY_LENGTH = 512
# Leaves room under the usual 255-byte file name limit for the local backend's sidecar and temporary names.
MAX_SEGMENT_LENGTH = 200
# S3 refuses presigned URLs that live longer than a week; local links follow the same rule.
MAX_URL_LIFETIME = 7 * 24 * 3600
DEFAULT_CONTENT_TYPE = "application/octet-stream"

# Only URL-unreserved characters, so a key never needs escaping in a path, a URL or a file name. A segment may not
# start with '.', which also keeps the local backend's hidden sidecar and temporary files out of the key space.
_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")
_CONTENT_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+(\s*;\s*[\w.+-]+=(\"[^\"\\\x00-\x1f]*\"|[\w.+-]+))*", re.ASCII)
_PROBE_PREFIX = "_health"


class InvalidStorageKey(InvalidInput):
    pass


class StorageObjectMissing(NotFound):
    pass


class MediaLinkInvalid(Forbidden):
    type = "invalid-signature"


class MediaLinkExpired(Forbidden):
    type = "link-expired"


class StorageCheckFailed(RuntimeError):
    """The probe object did not come back as written."""


class Storage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...

    async def signed_url(self, key: str, expires_in: int = 3600) -> str: ...

    async def check(self) -> None: ...

    async def aclose(self) -> None: ...


def validate_key(key: str) -> str:
    """Return `key` unchanged, or raise `InvalidStorageKey` saying what is wrong with it."""

    def invalid(reason: str) -> InvalidStorageKey:
        shown = key if len(key) <= 80 else key[:77] + "..."
        return InvalidStorageKey(f"Storage key {shown!r} is not valid: {reason}.")

    if not key:
        raise invalid("it is empty")
    if len(key) > MAX_KEY_LENGTH:
        raise invalid(f"it is longer than {MAX_KEY_LENGTH} characters")
    if key.startswith("/"):
        raise invalid("it must be relative, without a leading '/'")
    for segment in key.split("/"):
        if not segment:
            raise invalid("it has an empty segment ('//' or a trailing '/')")
        if segment in {".", ".."}:
            raise invalid("'.' and '..' segments are not allowed")
        if segment.startswith("."):
            raise invalid("a segment may not start with '.'")
        if len(segment) > MAX_SEGMENT_LENGTH:
            raise invalid(f"a segment is longer than {MAX_SEGMENT_LENGTH} characters")
        if not _SEGMENT.fullmatch(segment):
            raise invalid("only letters, digits, '.', '_', '-', '~' and '/' between segments are allowed")
    return key


def _validate_content_type(content_type: str) -> str:
    # The value becomes a response header of the media route, so nothing that could split or forge headers.
    if len(content_type) > 255 or not _CONTENT_TYPE.fullmatch(content_type):
        raise InvalidInput(f"Content type {content_type[:80]!r} is not valid: expected a MIME type like image/png.")
    return content_type


def _validate_lifetime(expires_in: int) -> int:
    if not 1 <= expires_in <= MAX_URL_LIFETIME:
        raise ValueError(f"expires_in must be between 1 and {MAX_URL_LIFETIME} seconds, not {expires_in}")
    return expires_in


async def _probe(storage: Storage) -> None:
    token = secrets.token_hex(8)
    key = f"{_PROBE_PREFIX}/probe-{token}"
    payload = f"viewfinder storage probe {token}".encode()
    try:
        await storage.put(key, payload, "text/plain")
        if await storage.get(key) != payload:
            raise StorageCheckFailed("the storage probe object came back different from what was written")
    finally:
        await storage.delete(key)


# Local folder


def media_signature(signing_key: bytes, key: str, expires: int) -> str:
    # NUL cannot occur in a valid key, so the message is unambiguous; the prefix keeps this MAC from being
    # replayed as any other use of the same secret.
    message = b"viewfinder-media\x00" + key.encode() + b"\x00" + str(expires).encode()
    return hmac.new(signing_key, message, hashlib.sha256).hexdigest()


def _local_root(storage_url: str) -> Path:
    parts = urlsplit(storage_url)
    if parts.scheme != "file" or parts.netloc not in {"", "localhost"} or not parts.path.startswith("/"):
        raise ValueError(f"expected an absolute file:///path storage URL, not {storage_url!r}")
    return Path(unquote(parts.path))


class _LinkMemo:
    """Signed links handed out again while they keep at least 90 % of the lifetime asked for.

    A page that lists many images then signs each one once in a while, not on every read (S3 presigning runs in
    a thread), and the images keep one address for a while, so that browsers can cache them.
    """

    REUSE_FRACTION = 0.1  # of the lifetime: a link is reused until this much of it has passed

    def __init__(self, max_entries: int = 100_000) -> None:
        self._links: LRUCache[tuple[str, int], tuple[str, float]] = LRUCache(maxsize=max_entries)
        self._lock = threading.Lock()  # a worker's async bridge may sign from another thread

    def get(self, key: str, lifetime: int) -> str | None:
        with self._lock:
            found = self._links.get((key, lifetime))
        if found is None:
            return None
        url, signed_at = found
        return url if utcnow().timestamp() - signed_at <= lifetime * self.REUSE_FRACTION else None

    def put(self, key: str, lifetime: int, url: str) -> None:
        with self._lock:
            self._links[(key, lifetime)] = (url, utcnow().timestamp())


class LocalStorage:
    """Objects as files under `root`, each with a hidden sidecar holding its content type."""

    def __init__(self, root: Path, *, base_url: str, signing_key: bytes) -> None:
        self.root = root
        self.base_url = base_url.rstrip("/")
        self._signing_key = signing_key
        self._links = _LinkMemo()

    def path_for(self, key: str) -> Path:
        return self.root / validate_key(key)

    @staticmethod
    def _sidecar(path: Path) -> Path:
        return path.with_name(f".{path.name}.content-type")

    async def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None:
        path = self.path_for(key)
        _validate_content_type(content_type)
        try:
            await anyio.to_thread.run_sync(self._write, path, data, content_type)
        except (NotADirectoryError, IsADirectoryError, FileExistsError):
            # S3 allows both 'a' and 'a/b'; a folder cannot, and keys are generated, so this is a caller's bug.
            raise InvalidStorageKey(
                f"Storage key {key!r} clashes with another object: one key may not be a folder of another."
            ) from None

    def _write(self, path: Path, data: bytes, content_type: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(path)
        # The sidecar goes first so a new object is never visible without its type; on overwrite, readers may
        # briefly see the old bytes with the new type, which is harmless for the generated keys we store.
        _atomic_write(self._sidecar(path), content_type.encode())
        _atomic_write(path, data)

    async def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return await anyio.to_thread.run_sync(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise StorageObjectMissing(f"No stored object at {key!r}.") from None

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        await anyio.to_thread.run_sync(self._remove, path)

    def _remove(self, path: Path) -> None:
        for target in (path, self._sidecar(path)):
            # Absent, or a folder of other keys: either way there is no such object to remove.
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
                target.unlink()

    async def exists(self, key: str) -> bool:
        return await anyio.to_thread.run_sync(self.path_for(key).is_file)

    async def content_type(self, key: str) -> str:
        """The type given to `put`, or one guessed from the name for files that arrived another way."""
        path = self.path_for(key)
        try:
            stored = (await anyio.to_thread.run_sync(self._sidecar(path).read_text)).strip()
            return _validate_content_type(stored)
        except (OSError, InvalidInput):
            return mimetypes.guess_type(path.name)[0] or DEFAULT_CONTENT_TYPE

    async def signed_url(self, key: str, expires_in: int = 3600) -> str:
        if url := self._links.get(key, expires_in):
            return url
        validate_key(key)
        expires = int(utcnow().timestamp()) + _validate_lifetime(expires_in)
        query = urlencode({"expires": expires, "signature": media_signature(self._signing_key, key, expires)})
        url = f"{self.base_url}/media/{key}?{query}"
        self._links.put(key, expires_in, url)
        return url

    def verify(self, key: str, expires: str | None, signature: str | None) -> int:
        """Return the link's remaining lifetime in seconds, or raise why it cannot be used."""
        if not expires or not signature or not (expires.isascii() and expires.isdigit()) or len(expires) > 12:
            raise MediaLinkInvalid("The link's signature is invalid: it is missing or malformed.")
        expected = media_signature(self._signing_key, key, int(expires))
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise MediaLinkInvalid("The link's signature is invalid.")
        remaining = int(expires) - int(utcnow().timestamp())
        if remaining <= 0:
            raise MediaLinkExpired("The link expired; ask for a new one.")
        return remaining

    async def check(self) -> None:
        await _probe(self)

    async def aclose(self) -> None:
        return None


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# S3-compatible bucket

# HEAD requests have no body, so a missing object or bucket only shows as its HTTP status.
_NO_OBJECT = {"NoSuchKey", "404", "NotFound"}
_NO_BUCKET = {"NoSuchBucket", "404", "NotFound"}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class S3Storage:
    """Objects in `bucket` under `prefix`, through boto3's blocking client run in worker threads."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        public_endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self._links = _LinkMemo()
        self.region = region
        # MinIO and most self-hosted servers do not resolve bucket subdomains, so a custom endpoint means paths.
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if endpoint_url or public_endpoint_url else "auto"},
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
        )
        # A session of our own: the default session is shared module state and not safe to create clients from
        # in several threads at once.
        session = boto3.session.Session()

        def client(endpoint: str | None) -> S3Client:
            return session.client(
                "s3",
                endpoint_url=endpoint,
                region_name=region,
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret_access_key,
                config=config,
            )

        self._client: S3Client = client(endpoint_url)
        # Presigned URLs are fetched by browsers and other services, which may not reach the endpoint we use (a
        # name only a compose network resolves): they are signed for the public endpoint, whose host the
        # signature covers. Presigning is local work, so this client never connects anywhere.
        self._presign_client: S3Client = client(public_endpoint_url) if public_endpoint_url else self._client

    def _object_key(self, key: str) -> str:
        validate_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    async def put(self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE) -> None:
        call = partial(
            self._client.put_object,
            Bucket=self.bucket,
            Key=self._object_key(key),
            Body=data,
            ContentType=_validate_content_type(content_type),
        )
        await anyio.to_thread.run_sync(call)

    async def get(self, key: str) -> bytes:
        object_key = self._object_key(key)

        def read() -> bytes:
            response = self._client.get_object(Bucket=self.bucket, Key=object_key)
            with response["Body"] as body:
                return body.read()

        try:
            return await anyio.to_thread.run_sync(read)
        except ClientError as error:
            if _code(error) in _NO_OBJECT:
                raise StorageObjectMissing(f"No stored object at {key!r}.") from None
            raise

    async def delete(self, key: str) -> None:
        call = partial(self._client.delete_object, Bucket=self.bucket, Key=self._object_key(key))
        await anyio.to_thread.run_sync(call)

    async def exists(self, key: str) -> bool:
        call = partial(self._client.head_object, Bucket=self.bucket, Key=self._object_key(key))
        try:
            await anyio.to_thread.run_sync(call)
        except ClientError as error:
            if _code(error) in _NO_OBJECT:
                return False
            raise
        return True

    async def signed_url(self, key: str, expires_in: int = 3600) -> str:
        if url := self._links.get(key, expires_in):
            return url
        call = partial(
            self._presign_client.generate_presigned_url,
            "get_object",
            Params={"Bucket": self.bucket, "Key": self._object_key(key)},
            ExpiresIn=_validate_lifetime(expires_in),
        )
        # Presigning is local work, but resolving credentials the first time may reach the instance metadata.
        url = await anyio.to_thread.run_sync(call)
        self._links.put(key, expires_in, url)
        return url

    async def check(self) -> None:
        await _probe(self)

    async def ensure_bucket(self) -> None:
        """Create the bucket unless it exists; for setup and tests, never done implicitly by `put`."""

        def ensure() -> None:
            try:
                self._client.head_bucket(Bucket=self.bucket)
                return
            except ClientError as error:
                if _code(error) not in _NO_BUCKET:
                    raise
            try:
                if self.region == "us-east-1":
                    self._client.create_bucket(Bucket=self.bucket)
                else:
                    self._client.create_bucket(
                        Bucket=self.bucket,
                        CreateBucketConfiguration={"LocationConstraint": self.region},  # type: ignore[typeddict-item]
                    )
            except ClientError as error:
                # Another process may have created it between our two calls.
                if _code(error) != "BucketAlreadyOwnedByYou":
                    raise

        await anyio.to_thread.run_sync(ensure)

    async def aclose(self) -> None:
        await anyio.to_thread.run_sync(self._client.close)
        if self._presign_client is not self._client:
            await anyio.to_thread.run_sync(self._presign_client.close)


def create_storage(settings: Settings) -> Storage:
    url = settings.effective_storage_url
    parts = urlsplit(url)
    if parts.scheme == "s3":
        return S3Storage(
            parts.netloc,
            unquote(parts.path),
            endpoint_url=settings.s3_endpoint_url,
            public_endpoint_url=settings.s3_public_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id.get_secret_value() if settings.s3_access_key_id else None,
            secret_access_key=(
                settings.s3_secret_access_key.get_secret_value() if settings.s3_secret_access_key else None
            ),
        )
    return LocalStorage(_local_root(url), base_url=str(settings.base_url), signing_key=settings.signing_key)


# The media route

media_router = APIRouter(tags=["media"])

# What a stored file is shown with: never as an active document of our origin, whatever its type claims.
_MEDIA_HEADERS = {
    "content-security-policy": "default-src 'none'; sandbox",
    "x-content-type-options": "nosniff",
}


@media_router.get("/media/{key:path}", include_in_schema=False, name="media")
async def serve_media(
    request: Request,
    key: str,
    expires: Annotated[str | None, Query()] = None,
    signature: Annotated[str | None, Query()] = None,
) -> FileResponse:
    storage = request.app.state.resources.storage
    if not isinstance(storage, LocalStorage):
        # Buckets serve their own presigned URLs; there is nothing here to find.
        raise NotFound(f"Nothing is at {request.url.path}.")
    remaining = storage.verify(key, expires, signature)
    path = storage.path_for(key)
    try:
        status = await anyio.to_thread.run_sync(os.stat, path)
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode):
        raise StorageObjectMissing("The file behind this link no longer exists.")
    content_type = await storage.content_type(key)
    headers = {
        **_MEDIA_HEADERS,
        # Given as a header too, so Starlette does not append a charset to the type that was stored.
        "content-type": content_type,
        "cache-control": f"private, max-age={remaining}",
    }
    return FileResponse(path, headers=headers, media_type=content_type)
