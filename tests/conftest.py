"""Shared fixtures: every API test runs on SQLite and on PostgreSQL, each test on a clean database.

SQLite: the history is migrated once into a template file, copied for each test.
PostgreSQL: one database per test process (xdist worker), migrated once, emptied after each test.
PostgreSQL is required under CI; elsewhere its tests are skipped with the reason when it is unreachable.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import redis
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from viewfinder.settings import Settings, load_settings

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TEST_SECRET_KEY = "test-secret-key-not-for-production"


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


def _worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from viewfinder.kit.migrations import upgrade

    path = tmp_path_factory.mktemp("sqlite-template") / "viewfinder.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


async def _admin(admin_url: str, statement: str) -> None:
    connection = await asyncpg.connect(admin_url, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _create_database(admin_url: str, name: str) -> None:
    await _admin(admin_url, f'CREATE DATABASE "{name}"')


async def _drop_database(admin_url: str, name: str) -> None:
    await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _unavailable(service: str, error: Exception) -> None:
    """Outside CI a missing service skips its tests, with the reason; under CI it fails them."""
    if os.environ.get("CI"):
        raise RuntimeError(f"{service} is required under CI and is unreachable: {error}") from error
    pytest.skip(f"{service} unreachable: {error}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database of this test process, dropped at the end."""
    from viewfinder.kit.migrations import upgrade

    # Unique per run, so two checkouts testing on one server never drop each other's database.
    name = f"viewfinder_test_{_worker_id()}_{uuid.uuid4().hex[:8]}"
    try:
        asyncio.run(_create_database(POSTGRES_ADMIN_URL, name))
    except (OSError, asyncpg.PostgresError) as error:
        _unavailable(f"PostgreSQL at {POSTGRES_ADMIN_URL}", error)
    url = make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql+asyncpg", database=name)
    rendered = url.render_as_string(hide_password=False)
    upgrade(rendered)
    yield rendered
    asyncio.run(_drop_database(POSTGRES_ADMIN_URL, name))


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis database tests may use (their keys are namespaced per test)."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        _unavailable(f"Redis at {REDIS_TEST_URL}", error)
    finally:
        client.close()
    return REDIS_TEST_URL


async def _empty_postgres(url: str) -> None:
    from viewfinder.models import metadata

    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "viewfinder.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    yield url
    asyncio.run(_empty_postgres(url))


def make_settings(data_dir: Path, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "broker_url": "memory://",
        "secret_key": TEST_SECRET_KEY,
        "log_format": "console",
        "base_url": "http://testserver",
        # The built web app answers every path; tests that add routes of their own need it out of the way.
        "web_dist_dir": data_dir / "no-web-app",
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data", database_url)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    from viewfinder.app import create_app

    application = create_app(settings)
    yield application
    await application.state.resources.aclose()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
