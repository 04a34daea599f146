"""How long the simulator takes to build a living network: 1,000 people × 30 days by default, on SQLite and on
PostgreSQL, each in a scratch database (and a scratch data folder for the pictures) dropped at the end.

Runs `viewfinder.network.simulator.simulation.simulate` as `viewfinder network simulate` does, and prints the
seconds in all, the seconds of each phase (generating the timeline, writing the files, each table) and what was
made. The issue's target: under two minutes for 1,000 people on a 2-core machine.

    uv run python -m bench.network_simulate [--users 1000] [--days 30] [--seed 1] [--only sqlite|postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg

from viewfinder.kit.migrations import upgrade
from viewfinder.kit.resources import Resources
from viewfinder.network.simulator.simulation import Summary, simulate
from viewfinder.settings import load_settings

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(f"{POSTGRES_URL}/postgres", timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _simulate(data_dir: Path, database_url: str, users: int, days: int, seed: int) -> Summary:
    settings = load_settings(data_dir=data_dir, database_url=database_url, secret_key="bench-secret-key")
    resources = Resources(settings)
    try:
        return await simulate(resources.db, resources.storage, users=users, days=days, seed=seed)
    finally:
        await resources.aclose()


def run(engine: str, users: int, days: int, seed: int) -> Summary:
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        if engine == "sqlite":
            url = f"sqlite+aiosqlite:///{data_dir / 'viewfinder.db'}"
            upgrade(url)
            return asyncio.run(_simulate(data_dir, url, users, days, seed))
        database = f"viewfinder_bench_{uuid.uuid4().hex[:8]}"
        asyncio.run(_admin(f'CREATE DATABASE "{database}"'))
        try:
            url = f"{POSTGRES_URL.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{database}"
            upgrade(url)
            return asyncio.run(_simulate(data_dir, url, users, days, seed))
        finally:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def report(engine: str, summary: Summary, wall: float) -> None:
    made = (
        f"{summary.follows:,} follows (+{summary.follow_requests:,} requests, {summary.unfollows:,} unfollowed), "
        f"{summary.posts:,} posts with {summary.media:,} pictures, {summary.likes + summary.comment_likes:,} likes, "
        f"{summary.comments + summary.replies:,} comments, {summary.mentions:,} mentions, "
        f"{summary.user_tags:,} user tags on {summary.tagged_posts:,} posts, "
        f"{summary.messages:,} messages in {summary.message_threads:,} threads ({summary.unread_threads:,} unread), "
        f"{summary.notifications:,} notifications"
    )
    phases = ", ".join(f"{name.removeprefix('network_')} {seconds:.1f} s" for name, seconds in summary.timings.items())
    print(f"{engine:<11} {summary.people:,} people × {summary.days} days: {summary.seconds:.1f} s")
    print(f"  with the migrations {wall:.1f} s")
    print(f"  made       {made}")
    print(f"  phases     {phases}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="run on one database only")
    args = parser.parse_args()
    print(
        f"machine     {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (1 min; other work skews the times)"
    )
    for engine in ("sqlite", "postgres"):
        if args.only and engine != args.only:
            continue
        started = time.perf_counter()
        summary = run(engine, args.users, args.days, args.seed)
        report("SQLite" if engine == "sqlite" else "PostgreSQL", summary, time.perf_counter() - started)


if __name__ == "__main__":
    main()
