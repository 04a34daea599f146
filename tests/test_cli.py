"""The `viewfinder` command as an operator runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def viewfinder(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viewfinder", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env["DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


def test_a_malformed_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = viewfinder("up", env=clean_env(tmp_path, DATABASE_URL="nonsense"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0]
    assert not (tmp_path / "data").exists()  # nothing was started or written


def test_config_masks_secrets(tmp_path: Path) -> None:
    env = clean_env(
        tmp_path,
        DATABASE_URL="postgresql://vf:db-password@db/vf",
        SMTP_URL="smtp://mailer:smtp-password@mail:587",
        SECRET_KEY="very-secret",
        REDIS_URL="redis://:redis-password@redis:6379/1",
        BROKER_URL="amqp://vf:p@ss-word@rabbit:5672//",
    )
    result = viewfinder("config", "--json", env=env)
    assert result.returncode == 0, result.stderr
    for secret in ("db-password", "smtp-password", "very-secret", "redis-password", "ss-word"):
        assert secret not in result.stdout
    effective = json.loads(result.stdout)
    assert effective["database_url"] == "postgresql://vf:***@db/vf"
    assert effective["smtp_url"] == "***"
    assert effective["redis_url"] == "redis://:***@redis:6379/1"
    assert effective["broker_url"] == "amqp://vf:***@rabbit:5672//"
    assert effective["data_dir"] == str(tmp_path / "data")


def test_migrate_creates_the_embedded_database(tmp_path: Path) -> None:
    result = viewfinder("migrate", env=clean_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "viewfinder.db").stat().st_size > 0
    again = viewfinder("migrate", env=clean_env(tmp_path))
    assert again.returncode == 0


def test_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    result = viewfinder("version", env=clean_env(tmp_path))
    assert result.stdout.strip() == version("viewfinder")


def test_the_outbox_shows_a_queued_test_mail_with_its_links(tmp_path: Path) -> None:
    env = clean_env(tmp_path, BASE_URL="https://viewfinder.example.com")
    assert viewfinder("migrate", env=env).returncode == 0
    sent = viewfinder("mail", "send-test", "--to", "ops@example.com", env=env)
    assert sent.returncode == 0, sent.stderr
    listed = viewfinder("mail", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    [mail] = json.loads(listed.stdout)
    assert mail["to"] == "ops@example.com"
    assert mail["status"] == "queued"
    assert "https://viewfinder.example.com/" in mail["links"]


def test_a_bad_address_is_refused_in_one_line(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    assert viewfinder("migrate", env=env).returncode == 0
    result = viewfinder("mail", "send-test", "--to", "not an address", env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == "viewfinder: 'not an address' is not a mail address"


def test_the_outbox_listing_keeps_links_whole(tmp_path: Path) -> None:
    env = clean_env(tmp_path, BASE_URL="https://viewfinder.example.com/a/rather/long/path/that/a/table/would/cut")
    assert viewfinder("migrate", env=env).returncode == 0
    assert viewfinder("mail", "send-test", "--to", "ops@example.com", env=env).returncode == 0
    listed = viewfinder("mail", "list", env=env)
    assert "    https://viewfinder.example.com/a/rather/long/path/that/a/table/would/cut" in listed.stdout
