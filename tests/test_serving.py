"""The shared listening socket must give accepted connections TCP_NODELAY (Kludex/uvicorn#3149).

Without it, every keep-alive answer after the first waits for a delayed ACK (~40 ms); `bench/keepalive.py`
measures the latency itself.
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import time

import httpx
import pytest

from tests.processes import free_port, running, viewfinder_env, wait_for
from viewfinder.serving import bind_tcp_socket


async def _accepted_nodelay(listening: socket.socket) -> int:
    port = listening.getsockname()[1]
    seen: list[int] = []

    async def handle(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(handle, sock=listening)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.read()
    writer.close()
    server.close()
    return seen[0]


def test_accepted_connections_get_nodelay_on_our_socket() -> None:
    # The plain asyncio loop is the one that checks the socket's protocol before setting TCP_NODELAY.
    assert asyncio.run(_accepted_nodelay(bind_tcp_socket("127.0.0.1", 0))) == 1


def test_a_protocol_zero_socket_shows_the_bug_we_avoid() -> None:
    plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    plain.bind(("127.0.0.1", 0))
    assert asyncio.run(_accepted_nodelay(plain)) == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_serve_with_several_processes_keeps_keep_alive_fast(tmp_path, database_url: str) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    env = viewfinder_env(tmp_path / "data", database_url, PORT=str(port))
    log = tmp_path / "serve.log"
    with running(["serve", "--workers", "2"], env, log):
        url = f"http://127.0.0.1:{port}/health/live"
        wait_for(lambda: _answers(url), timeout=60, what="serve --workers 2", log_path=log)
        with httpx.Client() as client:
            client.get(url)  # open the connection: only answers after the first can stall
            timings = []
            for _ in range(30):
                started = time.perf_counter()
                assert client.get(url).json() == {"status": "ok"}
                timings.append(time.perf_counter() - started)
    # Not a speed target: a connection without TCP_NODELAY waits ~40 ms for a delayed ACK on every
    # keep-alive answer, far above this bound even on a loaded machine; bench/keepalive.py gives figures.
    assert statistics.median(timings) < 0.025


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
