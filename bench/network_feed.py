"""Home feed throughput of `viewfinder serve` against PostgreSQL (or SQLite with --sqlite).

Builds a network in a scratch database (dropped at the end): 10,000 people, 100,000 posts (with their media),
1,000,000 likes, 200,000 comments and 500,000 follows (skewed: a few popular people), with every counter
consistent with the rows, and one signed-in session per person (tokens written as the service writes them, no
argon2 sign-ins). Then starts the server and loads `GET /network/api/v1/feed` (a page of 20) over
`--connections` kept-alive HTTP/1.1 connections for `--seconds`, each request as a random person, and prints
requests per second, p50/p95/p99 latency and the answers by status. `--scale` shrinks every table.

The client is a few lines of raw HTTP/1.1 on asyncio streams (uvloop): on a 2-core machine httpx would spend
as much CPU as the server it measures.

    uv run python -m bench.network_feed [--sqlite] [--seconds 30] [--connections 32] [--scale 1.0] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import secrets
import signal
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import uvloop
from sqlalchemy import create_engine, insert

from bench.auth_login import cpu_seconds, percentile
from bench.server import free_port, logged_errors, start_server
from viewfinder.kit.db import Base
from viewfinder.kit.migrations import upgrade
from viewfinder.kit.security import PASSWORD_HASHER, hash_token
from viewfinder.network.social import models  # noqa: F401 - registers the tables on Base.metadata
from viewfinder.network.social.deps import ACCESS_TOKEN_PREFIX, REFRESH_TOKEN_PREFIX
from viewfinder.network.social.ids import EPOCH_MS, RANDOM_BITS, new_id

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
GENEROUS = "1000000/minute"
FEED_PATH = "/network/api/v1/feed?limit=20"
BATCH = 10_000
WARM_UP_SECONDS = 2
FULL = {"people": 10_000, "posts": 100_000, "likes": 1_000_000, "comments": 200_000, "follows": 500_000}
PHOTO_KEY = "network/bench/photo.jpg"
THUMB_KEY = "network/bench/photo_thumb.jpg"

Rows = list[tuple[Any, ...]]


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(f"{POSTGRES_URL}/postgres", timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


# Building the network


class Network:
    """Every table's rows, as tuples in `columns` order, with the counters already added up."""

    def __init__(self, scale: float, seed: int = 5) -> None:
        rng = random.Random(seed)
        sizes = {name: max(2, round(count * scale)) for name, count in FULL.items()}
        n_people = sizes["people"]
        now = datetime.now(UTC)
        self.now = now
        self.columns: dict[str, Sequence[str]] = {}
        self.rows: dict[str, Rows] = {}
        counter = itertools.count(new_id())  # ids of this process: unique, below anything the server mints later

        # People, with one shared password hash. Popularity (who gets followed, who posts more) is Zipf-like.
        people_ids = [next(counter) for _ in range(n_people)]
        popularity = list(range(n_people))
        rng.shuffle(popularity)
        cumulative = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in popularity))
        followers = [0] * n_people
        following = [0] * n_people
        posts_of = [0] * n_people

        # Follows: 0.2 to 1.8 times `follows / people` per person (the total lands near the target), followees
        # drawn by popularity.
        mean_follows = sizes["follows"] / n_people
        follows: Rows = []
        for person in range(n_people):
            want = min(n_people - 1, max(1, round(rng.uniform(0.2, 1.8) * mean_follows)))
            chosen: set[int] = set()
            while len(chosen) < want:
                for other in rng.choices(range(n_people), cum_weights=cumulative, k=want - len(chosen)):
                    if other != person:
                        chosen.add(other)
            for other in chosen:
                followers[other] += 1
                following[person] += 1
                created = now - timedelta(seconds=rng.randrange(1, 180 * 86400))
                follows.append((next(counter), people_ids[person], people_ids[other], "active", created))

        # Posts: one each at least (so every feed has some), the rest by popularity; ids follow the time.
        authors = list(range(n_people)) + rng.choices(
            range(n_people), cum_weights=cumulative, k=max(0, sizes["posts"] - n_people)
        )
        stamps = sorted(rng.randrange(1, 90 * 86400 * 1000) for _ in authors)
        rng.shuffle(authors)
        posts: Rows = []
        media: Rows = []
        post_times: list[datetime] = []
        for index, (author, ago_ms) in enumerate(zip(authors, reversed(stamps), strict=True)):
            created = now - timedelta(milliseconds=ago_ms)
            milliseconds = int(created.timestamp() * 1000) - EPOCH_MS
            post_id = (milliseconds << RANDOM_BITS) | (index & ((1 << RANDOM_BITS) - 1))
            count = 1 if rng.random() < 0.85 else rng.randint(2, 4)
            posts_of[author] += 1
            posts.append([post_id, people_ids[author], f"Bench post number {index}", None, count, 0, 0, created, None])
            post_times.append(created)
            for position in range(count):
                media.append((next(counter), post_id, position, PHOTO_KEY, THUMB_KEY, 1080, 1080, 320, 320, ""))

        # Likes of posts: one per person and post; more on popular authors' posts.
        n_posts = len(posts)
        weights = list(itertools.accumulate(1 / (1 + (popularity[authors[i]] % 1000)) ** 0.5 for i in range(n_posts)))
        likes: Rows = []
        liked: set[tuple[int, int]] = set()
        while len(likes) < sizes["likes"]:
            needed = sizes["likes"] - len(likes)
            for post_index, person in zip(
                rng.choices(range(n_posts), cum_weights=weights, k=needed),
                (rng.randrange(n_people) for _ in range(needed)),
                strict=True,
            ):
                if (post_index, person) in liked:
                    continue
                liked.add((post_index, person))
                posts[post_index][5] += 1
                created = post_times[post_index] + timedelta(seconds=rng.randrange(1, 3600))
                likes.append((next(counter), people_ids[person], "post", posts[post_index][0], created))
        del liked

        # Comments: top-level, visible, on posts drawn the same way.
        comments: Rows = []
        for post_index in rng.choices(range(n_posts), cum_weights=weights, k=sizes["comments"]):
            posts[post_index][6] += 1
            created = post_times[post_index] + timedelta(seconds=rng.randrange(1, 7200))
            author = people_ids[rng.randrange(n_people)]
            comments.append((next(counter), posts[post_index][0], author, None, "Nice one!", False, 0, 0, created))
        comments.sort(key=lambda row: row[8])  # ids grow with time, as the app's do
        comments = [(next(counter), *row[1:]) for row in comments]

        password_hash = PASSWORD_HASHER.hash("a shared bench passphrase")
        people: Rows = []
        for index, person_id in enumerate(people_ids):
            username = f"bench{index}"
            people.append(
                (
                    person_id,
                    f"{username}@example.com",
                    password_hash,
                    username,
                    username,
                    f"Bench Person {index}",
                    "",
                    None,
                    None,
                    "personal",
                    False,
                    followers[index],
                    following[index],
                    posts_of[index],
                    now,
                    now,
                )
            )

        # One session and token pair per person, stored as hashes exactly as the service stores them.
        self.access_tokens: list[str] = []
        sessions: Rows = []
        tokens: Rows = []
        for person_id in people_ids:
            session_id = next(counter)
            access = ACCESS_TOKEN_PREFIX + secrets.token_urlsafe(32)
            refresh = REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)
            self.access_tokens.append(access)
            sessions.append(
                (session_id, person_id, "bench", "127.0.0.1", now, now, now + timedelta(days=30), None, None)
            )
            tokens.append(
                (next(counter), session_id, hash_token(access), hash_token(refresh), now + timedelta(days=1), now, None)
            )

        person_columns = (
            "id email password_hash username username_key name bio website avatar_url account_type is_private "
            "followers_count following_count posts_count created_at updated_at"
        )
        spec = {
            "network_people": (person_columns, people),
            "network_sessions": (
                "id person_id user_agent ip created_at last_active_at expires_at revoked_at revoked_reason",
                sessions,
            ),
            "network_tokens": (
                "id session_id access_hash refresh_hash access_expires_at created_at rotated_at",
                tokens,
            ),
            "network_follows": ("id follower_id followee_id state created_at", follows),
            "network_posts": (
                "id author_id caption location media_count like_count comment_count created_at edited_at",
                [tuple(row) for row in posts],
            ),
            "network_post_media": (
                "id post_id position storage_key thumbnail_key width height thumbnail_width thumbnail_height alt_text",
                media,
            ),
            "network_likes": ("id person_id target_kind target_id created_at", likes),
            "network_comments": (
                "id post_id author_id parent_id text hidden like_count reply_count created_at",
                comments,
            ),
        }
        for table, (columns, rows) in spec.items():
            self.columns[table] = columns.split()
            self.rows[table] = rows


def load_sqlite(path: Path, network: Network) -> dict[str, float]:
    """Core `insert()` executemany in batches, one transaction per table."""
    engine = create_engine(f"sqlite:///{path}")
    timings: dict[str, float] = {}
    try:
        for table_name, rows in network.rows.items():
            table = Base.metadata.tables[table_name]
            columns = network.columns[table_name]
            started = time.perf_counter()
            with engine.begin() as connection:
                for start in range(0, len(rows), BATCH):
                    batch = [dict(zip(columns, row, strict=True)) for row in rows[start : start + BATCH]]
                    connection.execute(insert(table), batch)
            timings[table_name] = time.perf_counter() - started
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return timings


async def load_postgres(database_url: str, network: Network) -> dict[str, float]:
    """asyncpg COPY, one transaction per table."""
    connection = await asyncpg.connect(database_url, timeout=10)
    timings: dict[str, float] = {}
    try:
        for table_name, rows in network.rows.items():
            started = time.perf_counter()
            async with connection.transaction():
                await connection.copy_records_to_table(table_name, records=rows, columns=network.columns[table_name])
            timings[table_name] = time.perf_counter() - started
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return timings


# Loading the feed


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (the server's workers), Linux only (NaN elsewhere)."""
    total = cpu_seconds(pid)
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in children.read_text().split():
            total += tree_cpu_seconds(int(child))
    return total


async def _one_connection(
    port: int, tokens: list[str], deadline: float, latencies: list[float], statuses: Counter[int | str]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    requests = [
        (f"GET {FEED_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n").encode()
        for token in tokens
    ]
    try:
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            writer.write(random.choice(requests))
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
                    break
            else:
                raise RuntimeError(f"no Content-Length in {head!r}")
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - sent) * 1000)
            statuses[status] += 1
    except (OSError, asyncio.IncompleteReadError) as error:
        statuses[type(error).__name__] += 1
    finally:
        writer.close()


async def load_feed(
    port: int, tokens: list[str], seconds: float, connections: int
) -> tuple[list[float], Counter[int | str], float, int]:
    # Warm up: every worker's pool, caches and code paths, outside the measurement.
    warm: Counter[int | str] = Counter()
    await asyncio.gather(
        *(_one_connection(port, tokens, time.perf_counter() + WARM_UP_SECONDS, [], warm) for _ in range(connections))
    )
    latencies: list[float] = []
    statuses: Counter[int | str] = Counter()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_one_connection(port, tokens, deadline, latencies, statuses) for _ in range(connections)))
    return latencies, statuses, time.perf_counter() - started, warm.total()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink (or grow) every table")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite in the scratch folder, not PostgreSQL")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args()

    started = time.perf_counter()
    network = Network(args.scale)
    generate_seconds = time.perf_counter() - started

    database = f"viewfinder_bench_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        created = False
        server = None
        try:
            if args.sqlite:
                database_url = f"sqlite:///{data_dir / 'viewfinder.db'}"
                upgrade(f"sqlite+aiosqlite:///{data_dir / 'viewfinder.db'}")
                timings = load_sqlite(data_dir / "viewfinder.db", network)
            else:
                asyncio.run(_admin(f'CREATE DATABASE "{database}"'))
                created = True
                database_url = f"{POSTGRES_URL}/{database}"
                upgrade(database_url.replace("postgresql://", "postgresql+asyncpg://", 1))
                timings = asyncio.run(load_postgres(database_url, network))
            env = dict(
                os.environ,
                DATA_DIR=str(data_dir),
                DATABASE_URL=database_url,
                SECRET_KEY="bench-secret-key",
                LOG_LEVEL=args.log_level,
                API_RATE_LIMIT=GENEROUS,
                SIGNIN_RATE_LIMIT=GENEROUS,
                SIGNUP_RATE_LIMIT=GENEROUS,
            )
            port = free_port()
            server = start_server(port, env, args.workers)
            sample = httpx.get(
                f"http://127.0.0.1:{port}{FEED_PATH}",
                headers={"Authorization": f"Bearer {network.access_tokens[0]}"},
                timeout=30,
            )
            sample.raise_for_status()
            sample_items = len(sample.json()["items"])
            sample_bytes = len(sample.content)
            client_cpu = time.process_time()
            server_cpu = tree_cpu_seconds(server.pid)
            load_before = os.getloadavg()[0]
            latencies, statuses, elapsed, warmed = uvloop.run(
                load_feed(port, network.access_tokens, args.seconds, args.connections)
            )
            client_cpu = time.process_time() - client_cpu
            server_cpu = tree_cpu_seconds(server.pid) - server_cpu
            load_after = os.getloadavg()[0]
            errors = logged_errors(data_dir) if set(statuses) - {200} else []
        finally:
            if server is not None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=15)
            if created:
                asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))

    engine = "SQLite" if args.sqlite else "PostgreSQL"
    ok = statuses.get(200, 0)
    print(f"database         {engine}, {args.workers} server process(es), {os.cpu_count()} CPUs, scale {args.scale}")
    print(f"generate rows    {generate_seconds:.1f} s (in Python, before loading)")
    for table_name, rows in network.rows.items():
        print(f"  {table_name:<20} {len(rows):>9,} rows  {timings[table_name]:6.1f} s")
    print(f"sample page      {sample_items} items, {sample_bytes:,} bytes (the first person's feed)")
    print(f"load average     {load_before:.2f} before the run, {load_after:.2f} after (1 min; other work skews it)")
    print(f"build total      {sum(timings.values()):.1f} s")
    print(f"connections      {args.connections} for {elapsed:.1f} s; answers {dict(sorted(statuses.items(), key=str))}")
    print(f"requests/s       {ok / elapsed:.1f}  (200s only; all answers {statuses.total() / elapsed:.1f})")
    if latencies:
        print(
            f"latency          p50 {percentile(latencies, 0.50):.1f} ms  p95 {percentile(latencies, 0.95):.1f} ms  "
            f"p99 {percentile(latencies, 0.99):.1f} ms"
        )
    answered = max(statuses.total() + warmed, 1)  # the warm-up's requests are in the CPU time too
    print(f"server CPU       {server_cpu:.1f} s, about {server_cpu * 1000 / answered:.1f} ms per request (all workers)")
    share = client_cpu / (elapsed + WARM_UP_SECONDS)
    print(f"client CPU       {client_cpu:.1f} s over the warm-up and the run ({share:.0%} of a core)")
    for line in errors:
        print(f"server error     {line}")


if __name__ == "__main__":
    main()
