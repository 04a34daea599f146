"""Helpers to run `viewfinder` commands as real processes in tests, and to stop them cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tests.conftest import TEST_SECRET_KEY


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def viewfinder_env(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "PROMETHEUS"))}
    env.update(DATA_DIR=str(data_dir), DATABASE_URL=database_url, SECRET_KEY=TEST_SECRET_KEY, LOG_FORMAT="json")
    env.update(extra)
    return env


@contextmanager
def running(args: list[str], env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run `viewfinder ARGS` in its own process group; stop the whole group afterwards."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "viewfinder", *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()  # the leader only, as `viewfinder up` does: Celery shuts down warm
                with suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=15)
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, log_path: Path | None = None) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    output = log_path.read_text(errors="replace")[-4000:] if log_path and log_path.exists() else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{output}")
