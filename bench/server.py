"""What the benchmarks share: a free port, and `viewfinder serve` started and waited for."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, env: dict[str, str], workers: int = 1) -> subprocess.Popen[bytes]:
    """`viewfinder serve` in its own process group, once it answers /health/live."""
    command = [sys.executable, "-m", "viewfinder", "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, env=env, start_new_session=True, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start within 60 s")
