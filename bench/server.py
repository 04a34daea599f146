"""What the benchmarks share: a free port, and `viewfinder serve` started and waited for."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, env: dict[str, str], workers: int = 1) -> subprocess.Popen[bytes]:
    """`viewfinder serve` in its own process group, once it answers /health/live. Its output goes to
    server.log in DATA_DIR: a pipe nobody reads would fill and stall the server."""
    command = [sys.executable, "-m", "viewfinder", "serve", "--port", str(port), "--workers", str(workers)]
    log_path = Path(env["DATA_DIR"]) / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log_path.read_text(errors='replace')[-4000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start within 60 s")


def logged_errors(data_dir: Path, limit: int = 5) -> list[str]:
    """The distinct errors the server logged (each as its exception's last line), to print beside figures that
    include failed answers."""
    seen: list[str] = []
    for line in (data_dir / "server.log").read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("level") == "error":
            last = (entry.get("exception") or entry.get("event", "")).strip().splitlines()[-1]
            summary = f"{entry.get('path', '')} {last}"[:300]
            if summary not in seen:
                seen.append(summary)
        if len(seen) >= limit:
            break
    return seen
