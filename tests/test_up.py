"""`viewfinder up` as a user runs it: everything comes up ready, and SIGTERM stops every process."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx

from tests.processes import free_port, running, viewfinder_env, wait_for


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def test_up_serves_ready_and_stops_everything_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    # The embedded defaults: no DATABASE_URL, BROKER_URL or STORAGE_URL, everything in the data folder.
    env = viewfinder_env(tmp_path / "data", "", PORT=str(port))
    del env["DATABASE_URL"]
    log = tmp_path / "up.log"
    base = f"http://127.0.0.1:{port}"
    with running(["up"], env, log) as up:
        wait_for(lambda: _ready(f"{base}/health/ready"), timeout=90, what="/health/ready", log_path=log)
        checks = httpx.get(f"{base}/health/ready").json()["checks"]
        assert {name: check["status"] for name, check in checks.items()} == dict.fromkeys(
            ["database", "broker", "worker", "storage"], "ok"
        )
        # The worker's job counts reach the web's /metrics (one multiprocess registry for the install).
        wait_for(
            lambda: 'task="ops.record_heartbeat"' in httpx.get(f"{base}/metrics").text,
            timeout=30,
            what="job metrics",
            log_path=log,
        )
        processes = _descendants(up.pid)
        assert len(processes) >= 3
        started = time.monotonic()
        os.kill(up.pid, signal.SIGTERM)
        up.wait(timeout=10)
        stopped_in = time.monotonic() - started
        assert up.returncode == 0
    assert stopped_in < 10
    assert [pid for pid in processes if _alive(pid)] == []
    assert (tmp_path / "data" / "viewfinder.db").exists()
