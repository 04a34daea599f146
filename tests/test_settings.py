"""Settings: defaults for the embedded mode, clear errors for malformed values, generated secrets."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from viewfinder.settings import SettingsError, load_settings


def test_embedded_defaults_live_in_the_data_folder(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.sqlalchemy_url == f"sqlite+aiosqlite:///{tmp_path}/viewfinder.db"
    assert settings.celery_broker_url == f"sqla+sqlite:///{tmp_path}/broker.db"
    assert settings.effective_storage_url == f"file://{tmp_path}/media"
    assert settings.redis_url is None
    assert settings.smtp_url is None


def test_database_urls_get_async_drivers(tmp_path: Path) -> None:
    pg = load_settings(data_dir=tmp_path, database_url="postgresql://vf:pw@db:5432/vf")
    assert pg.sqlalchemy_url == "postgresql+asyncpg://vf:pw@db:5432/vf"
    lite = load_settings(data_dir=tmp_path, database_url="sqlite:////var/lib/vf.db")
    assert lite.sqlalchemy_url == "sqlite+aiosqlite:////var/lib/vf.db"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("database_url", "nonsense"),
        ("database_url", "mysql://root@localhost/vf"),
        ("broker_url", "kafka://broker"),
        ("storage_url", "s3://"),
        ("smtp_url", "http://mail"),
        ("port", "eighty"),
        ("log_level", "LOUD"),
        ("cors_origins", "*"),
    ],
)
def test_malformed_settings_name_the_setting(
    name: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name.upper(), value)
    with pytest.raises(SettingsError) as raised:
        load_settings(data_dir=tmp_path)
    message = str(raised.value)
    assert name.upper() in message
    assert "\n" not in message


def test_lists_come_comma_separated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTBOUND_ALLOW_HOSTS", "minio, sandbox.local")
    assert load_settings(data_dir=tmp_path).outbound_allow_hosts == ["minio", "sandbox.local"]


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    first = settings.signing_key
    assert first == load_settings(data_dir=tmp_path).signing_key
    assert len(first) >= 48
    secret_file = tmp_path / "secrets" / "secret_key"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert load_settings(data_dir=tmp_path, secret_key="from-the-environment").signing_key == b"from-the-environment"


def test_base_url_follows_host_and_port_unless_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9100")
    monkeypatch.setenv("HOST", "0.0.0.0")
    assert str(load_settings(data_dir=tmp_path).base_url) == "http://127.0.0.1:9100/"
    monkeypatch.setenv("BASE_URL", "https://vf.example.com")
    assert str(load_settings(data_dir=tmp_path).base_url) == "https://vf.example.com/"


def test_the_access_token_key_follows_the_install_secret(tmp_path: Path) -> None:
    first = load_settings(data_dir=tmp_path, secret_key="one").jwt_private_key_pem
    assert first == load_settings(data_dir=tmp_path / "elsewhere", secret_key="one").jwt_private_key_pem
    assert first != load_settings(data_dir=tmp_path, secret_key="two").jwt_private_key_pem
    assert first.startswith(b"-----BEGIN PRIVATE KEY-----")


def test_empty_secrets_count_as_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTRY_DSN", "")
    monkeypatch.setenv("JWT_PRIVATE_KEY", "")
    settings = load_settings(data_dir=tmp_path)
    assert settings.sentry_dsn is None
    assert settings.jwt_private_key is None
