"""Identity's operator commands: create a user, set up the demo, verify the audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.test_cli import clean_env, viewfinder


def test_user_create_then_demo_then_audit_verify(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    assert viewfinder("migrate", env=env).returncode == 0

    created = viewfinder(
        "user",
        "create",
        "--email",
        "Ops@Example.com",
        "--password",
        "a long unusual passphrase",
        "--workspace",
        "Ops",
        env=env,
    )
    assert created.returncode == 0, created.stderr
    assert "ops@example.com" in created.stdout
    again = viewfinder("user", "create", "--email", "ops@example.com", "--password", "another long passphrase", env=env)
    assert again.returncode == 1
    assert "exists" in again.stderr
    weak = viewfinder("user", "create", "--email", "new@example.com", "--password", "password123", env=env)
    assert weak.returncode == 1

    demo = viewfinder("demo", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "demo@example.com" in demo.stdout

    verified = viewfinder("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stdout
    assert "broken" not in verified.stdout

    database = sqlite3.connect(tmp_path / "data" / "viewfinder.db")
    database.execute("UPDATE audit_entries SET summary = 'nothing happened' WHERE seq = 1")
    database.commit()
    database.close()
    tampered = viewfinder("audit", "verify", env=env)
    assert tampered.returncode == 1
    assert "broken at entry 1: the entry was altered" in tampered.stdout
