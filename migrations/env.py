"""Alembic environment: one history for every table, on SQLite (batch mode) and PostgreSQL."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from viewfinder.kit.db import create_engine
from viewfinder.models import metadata
from viewfinder.settings import get_settings

config = context.config


def _url() -> str:
    return config.attributes.get("url") or get_settings().sqlalchemy_url


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_url(), pool_size=1)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
