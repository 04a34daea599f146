"""Running the web app under uvicorn, one process or several sharing one listening socket.

uvicorn binds the shared socket with `socket.socket(family=…)`, whose protocol number is 0. asyncio only
sets TCP_NODELAY on accepted sockets whose protocol is IPPROTO_TCP, so every keep-alive answer after the
first then waits ~40 ms for a delayed ACK (Kludex/uvicorn#3149). We bind the socket ourselves with the
protocol set; `bench/keepalive.py` measures the difference.
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

APP_FACTORY = "viewfinder.app:create_app"


def bind_tcp_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def serve(host: str, port: int, workers: int) -> None:
    config = uvicorn.Config(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        log_config=None,  # our structlog setup owns logging
        access_log=False,  # the request middleware writes the access log, with the request id
        proxy_headers=True,
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    if workers == 1:
        uvicorn.Server(config).run()
        return
    Multiprocess(config, sockets=[bind_tcp_socket(host, port)]).run()
