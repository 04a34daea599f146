"""Keep-alive latency of `viewfinder serve` with several processes on one socket.

Starts the server on SQLite in a scratch data folder on our socket (IPPROTO_TCP, so TCP_NODELAY reaches
accepted connections) and on uvicorn's own `bind_socket()` — the configuration of Kludex/uvicorn#3149 —, on
uvloop and on the plain asyncio loop, and prints the median and p95 of sequential requests on one
kept-alive connection.

    uv run python -m bench.keepalive [--requests 200] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

from bench.server import free_port

SERVER = """
import sys, uvicorn
from uvicorn.supervisors import Multiprocess
from viewfinder.serving import APP_FACTORY, bind_tcp_socket
host, port, workers, mode, loop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
config = uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port, workers=workers, log_config=None,
                        access_log=False, loop=loop, http="httptools")
sock = bind_tcp_socket(host, port) if mode == "viewfinder" else config.bind_socket()
Multiprocess(config, sockets=[sock]).run()
"""


def measure(mode: str, loop: str, workers: int, requests: int) -> list[float]:
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, DATA_DIR=data_dir, LOG_LEVEL="WARNING", SECRET_KEY="bench")
        subprocess.run([sys.executable, "-m", "viewfinder", "migrate"], env=env, check=True, capture_output=True)
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, "127.0.0.1", str(port), str(workers), mode, loop],
            env=env,
            start_new_session=True,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/health/live"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    httpx.get(url, timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            with httpx.Client(http2=False) as client:
                client.get(url)  # open the connection; the first answer is never delayed
                timings = []
                for _ in range(requests):
                    started = time.perf_counter()
                    client.get(url).raise_for_status()
                    timings.append((time.perf_counter() - started) * 1000)
            return timings
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    # uvloop sets TCP_NODELAY on every TCP transport; the plain asyncio loop only on IPPROTO_TCP sockets.
    for loop in ("uvloop", "asyncio"):
        for mode in ("viewfinder", "uvicorn-bind-socket"):
            timings = sorted(measure(mode, loop, args.workers, args.requests))
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"{mode:20s} loop={loop:8s} workers={args.workers} keep-alive median "
                f"{statistics.median(timings):6.2f} ms  p95 {p95:6.2f} ms  ({args.requests} requests)"
            )


if __name__ == "__main__":
    main()
