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
    )
    result = viewfinder("config", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert "db-password" not in result.stdout
    assert "smtp-password" not in result.stdout
    assert "very-secret" not in result.stdout
    effective = json.loads(result.stdout)
    assert effective["database_url"] == "postgresql://vf:***@db/vf"
    assert effective["smtp_url"] == "***"
    assert effective["broker_url"].startswith("sqla+sqlite:///")
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
