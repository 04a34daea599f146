"""Sign-in throughput of `viewfinder serve` against PostgreSQL (or SQLite with --sqlite).

Creates a scratch database (dropped at the end) and data folder, migrates them, starts the server on a free
port with rate limits out of the way, signs one user up through the API, then signs in over `--concurrency`
kept-alive connections for `--seconds`, and prints sign-ins per second, p50/p95 latency and the argon2id
parameters the app hashes with.

    uv run python -m bench.auth_login [--seconds 15] [--concurrency 8] [--workers 1] [--sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import asyncpg
import httpx

from bench.server import free_port, start_server
from viewfinder.kit.migrations import upgrade
from viewfinder.kit.security import PASSWORD_HASHER

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
EMAIL = "bench@example.com"
PASSWORD = "a long and unusual bench passphrase"
GENEROUS = "1000000/minute"


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(f"{POSTGRES_URL}/postgres", timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def sign_in_for(base_url: str, seconds: float, concurrency: int) -> tuple[list[float], Counter[int], float]:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        created = await client.post("/api/v1/auth/signup", json={"email": EMAIL, "password": PASSWORD, "name": "B"})
        created.raise_for_status()
        for _ in range(concurrency):  # warm up: connections, the pool, the first hashes
            (await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})).raise_for_status()
        started = time.perf_counter()
        deadline = started + seconds

        async def one_connection() -> None:
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                response = await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
                latencies.append((time.perf_counter() - sent) * 1000)
                statuses[response.status_code] += 1

        await asyncio.gather(*(one_connection() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, statuses, elapsed


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, all its threads included (Linux), or NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def verify_ms() -> float:
    """One argon2id verification, in this process: the floor of a sign-in's cost."""
    stored = PASSWORD_HASHER.hash(PASSWORD)
    PASSWORD_HASHER.verify(stored, PASSWORD)
    started = time.process_time()
    for _ in range(10):
        PASSWORD_HASHER.verify(stored, PASSWORD)
    return (time.process_time() - started) * 100


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="server processes (WEB_CONCURRENCY)")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite in the scratch folder, not PostgreSQL")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args()

    database = f"viewfinder_bench_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        if args.sqlite:
            database_url = f"sqlite:///{data_dir / 'viewfinder.db'}"
            upgrade(f"sqlite+aiosqlite:///{data_dir / 'viewfinder.db'}")
        else:
            asyncio.run(_admin(f'CREATE DATABASE "{database}"'))
            database_url = f"{POSTGRES_URL}/{database}"
            upgrade(database_url.replace("postgresql://", "postgresql+asyncpg://", 1))
        env = dict(
            os.environ,
            DATA_DIR=str(data_dir),
            DATABASE_URL=database_url,
            SECRET_KEY="bench-secret-key",
            LOG_LEVEL=args.log_level,
            SIGNIN_RATE_LIMIT=GENEROUS,
            SIGNUP_RATE_LIMIT=GENEROUS,
            API_RATE_LIMIT=GENEROUS,
        )
        port = free_port()
        server = None
        try:
            server = start_server(port, env, args.workers)
            cpu_before = cpu_seconds(server.pid)
            latencies, statuses, elapsed = asyncio.run(
                sign_in_for(f"http://127.0.0.1:{port}", args.seconds, args.concurrency)
            )
            server_cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            if server is not None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=15)
            if not args.sqlite:
                asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))

    ok = statuses.get(200, 0)
    hasher = PASSWORD_HASHER
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"database         {engine}, {args.workers} server process(es), {os.cpu_count()} CPUs")
    print(
        f"argon2id         memory {hasher.memory_kib // 1024} MiB, {hasher.iterations} iterations, "
        "parallelism 1, hash 32 bytes, salt 16 bytes (libsodium)"
    )
    print(f"connections      {args.concurrency} for {elapsed:.1f} s; answers {dict(sorted(statuses.items()))}")
    print(f"sign-ins/s       {ok / elapsed:.1f}")
    if args.workers == 1:
        # Includes the sign-up and warm-up requests: a slight overestimate.
        per_sign_in = server_cpu * 1000 / max(ok, 1)
        print(f"server CPU       {per_sign_in:.1f} ms per sign-in (one argon2id verify alone: {verify_ms():.1f} ms)")
    print(
        f"latency          p50 {percentile(latencies, 0.50):.1f} ms  p95 {percentile(latencies, 0.95):.1f} ms  "
        f"mean {statistics.fmean(latencies):.1f} ms"
    )


if __name__ == "__main__":
    main()
