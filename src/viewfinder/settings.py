"""Every setting, read from the environment once, with safe defaults for the embedded mode."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AnyHttpUrl, BeforeValidator, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


def _split_csv(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


CsvList = Annotated[list[str], NoDecode, BeforeValidator(_split_csv)]


class Settings(BaseSettings):
    """The effective configuration. Secrets are `SecretStr` so they never print by accident."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore", frozen=True)

    data_dir: Path = Path("./data")
    # The built web app; by default web/dist of the source tree (the container image sets it).
    web_dist_dir: Path | None = None
    database_url: str = ""
    database_pool_size: int = Field(default=10, ge=1, le=200)
    broker_url: str = ""
    # The queue jobs go to: installs sharing one broker keep apart by giving each its own.
    job_queue: str = Field(default="viewfinder", pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    redis_url: str | None = None
    storage_url: str = ""
    s3_endpoint_url: str | None = None
    # Where presigned media URLs point, for those outside S3_ENDPOINT_URL's network; unset: S3_ENDPOINT_URL.
    s3_public_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: SecretStr | None = None
    s3_secret_access_key: SecretStr | None = None
    smtp_url: SecretStr | None = None
    mail_from: str = "Viewfinder <viewfinder@localhost>"
    # Unset, it is where `serve` listens (see _default_base_url).
    base_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8000")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    web_concurrency: int = Field(default=1, ge=1, le=64)
    worker_concurrency: int = Field(default=2, ge=1, le=64)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"
    sentry_dsn: SecretStr | None = None
    secret_key: SecretStr | None = None
    # Ed25519 private key (PEM) that signs access tokens; unset, derived from the install's secret.
    jwt_private_key: SecretStr | None = None
    access_token_minutes: int = Field(default=15, ge=1, le=1440)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    signin_rate_limit: str = "5/15 minutes"
    signin_ip_rate_limit: str = "50/15 minutes"
    signup_rate_limit: str = "10/hour"
    api_rate_limit: str = "100/minute"
    cors_origins: CsvList = []
    outbound_allow_hosts: CsvList = []
    max_request_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    worker_heartbeat_seconds: int = Field(default=15, ge=1)
    worker_stale_seconds: int = Field(default=60, ge=5)
    # How the network's `POST /oauth/access_token` answers: flat `{access_token, user_id, permissions}`, or
    # `{"data": [{…}]}` as Meta's Business Login guide shows it (clients differ in which one they read).
    network_oauth_token_shape: Literal["flat", "data"] = "flat"  # noqa: S105 - a shape, not a secret
    # How the network's webhooks carry comments and mentions: each entry with `changes: [{field, value}]`, or
    # one entry per change with `field` and `value` in it, as Meta's Business Login examples show.
    network_webhook_shape: Literal["changes", "flat"] = "changes"
    # The Sandbox network's Graph API: what an app and an account may spend per rolling hour before Instagram's
    # rate-limit errors (code 4 for the app, 80002 for the account), in calls and in CPU and wall time.
    network_graph_app_calls_per_hour: int = Field(default=4800, ge=1)
    network_graph_account_calls_per_hour: int = Field(default=4800, ge=1)
    network_graph_cpu_seconds_per_hour: float = Field(default=600.0, gt=0)
    network_graph_time_seconds_per_hour: float = Field(default=3600.0, gt=0)
    # Posts an account may publish through the Graph (`media_publish`) per rolling 24 hours: Instagram's quota,
    # answered by `content_publishing_limit` and refused beyond with code 9, subcode 2207042.
    network_graph_publishing_limit: int = Field(default=50, ge=1)
    # Authorises the network's admin API (faults on demand); unset or empty, that API answers 404.
    network_admin_token: SecretStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_base_url(cls, data: Any) -> Any:
        # Links in mails and signed media URLs must point where the install answers, PORT and HOST included.
        port = str(data.get("port") or 8000) if isinstance(data, dict) else ""
        if isinstance(data, dict) and not data.get("base_url") and port.isdigit():
            host = str(data.get("host") or "127.0.0.1")
            host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104 - compared, not bound
            host = f"[{host}]" if ":" in host else host
            data = {**data, "base_url": f"http://{host}:{port}"}
        return data

    @field_validator("cors_origins")
    @classmethod
    def _no_wildcard_origin(cls, value: list[str]) -> list[str]:
        if "*" in value:
            raise ValueError("list the origins: '*' would let any site call the API with a user's cookies")
        return value

    @field_validator(
        "jwt_private_key", "secret_key", "sentry_dsn", "s3_access_key_id", "s3_secret_access_key", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        # Compose files pass unset variables as empty strings.
        return None if value == "" else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not value:
            return value
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("expected a URL such as postgresql://user@host/db or sqlite:///path.db") from None
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError(f"unsupported database '{url.get_backend_name()}': use sqlite or postgresql")
        return value

    @field_validator("broker_url")
    @classmethod
    def _check_broker_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in {"sqla+sqlite", "redis", "rediss", "amqp", "amqps", "memory"}:
            raise ValueError("expected redis://, amqp:// or sqla+sqlite:///path")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value and urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
            raise ValueError("expected redis://host:port/db")
        return value or None

    @field_validator("storage_url")
    @classmethod
    def _check_storage_url(cls, value: str) -> str:
        if not value:
            return value
        parts = urlsplit(value)
        if parts.scheme not in {"file", "s3"}:
            raise ValueError("expected file:///path or s3://bucket/prefix")
        if parts.scheme == "s3" and not parts.netloc:
            raise ValueError("an s3:// URL needs a bucket: s3://bucket/prefix")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        parts = urlsplit(value.get_secret_value())
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError("expected smtp://user:password@host:port or smtps://…")
        return value

    # Derived values: the embedded defaults live in the data folder.

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def sqlalchemy_url(self) -> str:
        """The async driver URL (aiosqlite or asyncpg) for the configured database."""
        if not self.database_url:
            return f"sqlite+aiosqlite:///{self.resolved_data_dir / 'viewfinder.db'}"
        url = make_url(self.database_url)
        driver = "sqlite+aiosqlite" if url.get_backend_name() == "sqlite" else "postgresql+asyncpg"
        return url.set(drivername=driver).render_as_string(hide_password=False)

    @property
    def celery_broker_url(self) -> str:
        return self.broker_url or f"sqla+sqlite:///{self.resolved_data_dir / 'broker.db'}"

    @property
    def effective_storage_url(self) -> str:
        return self.storage_url or f"file://{self.resolved_data_dir / 'media'}"

    @property
    def jwt_private_key_pem(self) -> bytes:
        """The access-token signing key: from `JWT_PRIVATE_KEY`, or derived from the install's secret, so that
        every web process of an install signs and checks alike with nothing more to share than SECRET_KEY."""
        if self.jwt_private_key is not None:
            return self.jwt_private_key.get_secret_value().encode()
        return _derived_ed25519_pem(self.signing_key)

    @property
    def signing_key(self) -> bytes:
        """The install's secret: from `SECRET_KEY`, or generated once into the data folder (mode 0600)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        return _secret_file(self.resolved_data_dir / "secrets" / SECRET_KEY_FILE).encode()


@lru_cache(maxsize=4)
def _derived_ed25519_pem(secret: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"viewfinder access tokens").derive(secret)
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _secret_file(path: Path) -> str:
    """Read a generated secret, creating it atomically on first use (processes may start together)."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_urlsafe(48))
    try:
        os.link(tmp, path)  # fails if another process won the race; then its value is the one
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()


class SettingsError(Exception):
    """A setting could not be read; `str()` is one line naming it."""


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"invalid setting {name}: {first['msg']}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
