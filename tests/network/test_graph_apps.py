"""Graph API apps: registered with a name and redirect URIs, a secret shown once and kept only as a hash."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI

from viewfinder.kit.errors import InvalidInput, NotFound
from viewfinder.kit.sealing import unseal
from viewfinder.network.graph.models import NetworkApp
from viewfinder.network.graph.service.apps import SECRET_PURPOSE, authenticated_app, create_app, reset_secret

pytestmark = pytest.mark.anyio

CALLBACK = "https://suite.example/api/v1/oauth/instagram/callback"


async def test_an_app_is_made_with_a_secret_kept_only_as_a_hash(app: FastAPI) -> None:
    async with app.state.resources.db.unit_of_work() as session:
        created = await create_app(
            session, app.state.resources.settings, name=" Viewfinder ", redirect_uris=[CALLBACK, CALLBACK]
        )
    assert re.fullmatch(r"[0-9a-f]{32}", created.secret)

    async with app.state.resources.db.sessions() as session:
        stored = await session.get(NetworkApp, created.app.id)
        assert stored is not None
        assert (stored.name, stored.redirect_uris) == ("Viewfinder", [CALLBACK])
        assert created.secret not in stored.secret_hash
        found = await authenticated_app(session, str(created.app.id), created.secret)
        assert found is not None
        assert found.id == created.app.id
        assert await authenticated_app(session, str(created.app.id), "0" * 32) is None
        assert await authenticated_app(session, "not-an-id", created.secret) is None
        assert await authenticated_app(session, "12345", created.secret) is None


@pytest.mark.parametrize(
    ("name", "redirect_uris", "field"),
    [
        ("", [CALLBACK], "name"),
        ("x" * 101, [CALLBACK], "name"),
        ("Viewfinder", [], "redirect_uris"),
        ("Viewfinder", ["ftp://suite.example/callback"], "redirect_uris"),
        ("Viewfinder", ["https://suite.example/callback#frag"], "redirect_uris"),
        ("Viewfinder", ["not a url"], "redirect_uris"),
    ],
)
async def test_bad_apps_are_refused_on_their_field(
    app: FastAPI, name: str, redirect_uris: list[str], field: str
) -> None:
    async with app.state.resources.db.sessions() as session:
        with pytest.raises(InvalidInput) as refused:
            await create_app(session, app.state.resources.settings, name=name, redirect_uris=redirect_uris)
    assert [error["field"] for error in refused.value.errors] == [field]


def test_the_command_prints_the_id_and_the_secret_once(tmp_path: Path, sqlite_template: Path) -> None:
    database = tmp_path / "viewfinder.db"
    shutil.copy(sqlite_template, database)  # migrated already
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(DATA_DIR=str(tmp_path / "data"), DATABASE_URL=f"sqlite+aiosqlite:///{database}")
    command = ["network", "app", "create", "--name", "Viewfinder", "--redirect-uri", CALLBACK, "--json"]
    result = subprocess.run(
        [sys.executable, "-m", "viewfinder", *command], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    made = json.loads(result.stdout)
    assert made["name"] == "Viewfinder"
    assert made["redirect_uris"] == [CALLBACK]
    assert made["app_id"].isdigit()
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("viewfinder.db*"))  # the WAL too
    assert made["app_id"].encode() in stored or int(made["app_id"]).to_bytes(8, "big") in stored
    assert made["app_secret"].encode() not in stored  # only its hash is stored

    refused = subprocess.run(
        [sys.executable, "-m", "viewfinder", "network", "app", "create", "--name", "X", "--redirect-uri", "nope"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert "'nope' is not an http(s) address" in refused.stderr


def test_the_token_command_issues_a_long_lived_token(tmp_path: Path, sqlite_template: Path) -> None:
    database = tmp_path / "viewfinder.db"
    shutil.copy(sqlite_template, database)  # migrated already
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(DATA_DIR=str(tmp_path / "data"), DATABASE_URL=f"sqlite+aiosqlite:///{database}")

    def viewfinder(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "viewfinder", *arguments], env=env, capture_output=True, text=True, timeout=180
        )

    assert viewfinder("demo").returncode == 0  # the demo brand, lumen.coffee, is a business account
    made = json.loads(
        viewfinder("network", "app", "create", "--name", "V", "--redirect-uri", CALLBACK, "--json").stdout
    )
    scopes = "instagram_business_basic,instagram_business_content_publish"
    result = viewfinder(
        "network", "token", "--app-id", made["app_id"], "--username", "lumen.coffee", "--scopes", scopes, "--json"
    )
    assert result.returncode == 0, result.stderr
    issued = json.loads(result.stdout)
    assert issued["access_token"].startswith("IGAA")
    assert issued["expires_in"] == 60 * 86400
    assert issued["scopes"] == scopes.split(",")

    refused = viewfinder(
        "network", "token", "--app-id", made["app_id"], "--username", "nobody.here", "--scopes", scopes
    )
    assert refused.returncode == 1
    assert "@nobody.here" in refused.stderr


async def test_a_reset_secret_replaces_the_old_one_at_once(app: FastAPI) -> None:
    settings = app.state.resources.settings
    async with app.state.resources.db.unit_of_work() as session:
        created = await create_app(session, settings, name="Viewfinder", redirect_uris=[CALLBACK])
    app_id = str(created.app.id)
    async with app.state.resources.db.unit_of_work() as session:
        renewed = await reset_secret(session, settings, app_id)
    assert re.fullmatch(r"[0-9a-f]{32}", renewed.secret)
    assert renewed.secret != created.secret

    async with app.state.resources.db.unit_of_work() as session:
        assert await authenticated_app(session, app_id, created.secret) is None
        assert await authenticated_app(session, app_id, renewed.secret) is not None
        stored = await session.get(NetworkApp, created.app.id)
        assert stored is not None
        assert stored.secret_sealed is not None
        # Webhooks are signed with the new secret from now on.
        assert unseal(settings, stored.secret_sealed, purpose=SECRET_PURPOSE) == renewed.secret
        with pytest.raises(NotFound):
            await reset_secret(session, settings, "123")
