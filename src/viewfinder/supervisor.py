"""`viewfinder up`: web, worker and beat as supervised child processes of one command.

Each child runs in its own session so that a signal reaches it only through us and so that its whole
process group (Celery's pool included) can be stopped together. A child that dies is restarted with
backoff. On SIGTERM or Ctrl-C every child gets SIGTERM, and whatever is left after the grace period is
killed, so nothing outlives `up`.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import structlog

log = structlog.get_logger("viewfinder.up")

STOP_GRACE_SECONDS = 8.0
MAX_BACKOFF_SECONDS = 30.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # If `up` itself is killed with SIGKILL, the kernel still stops the children.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            self.argv, env=env, start_new_session=True, preexec_fn=_die_with_parent if sys.platform == "linux" else None
        )
        self.started_at = time.monotonic()
        log.info("child_started", child=self.name, pid=self.process.pid)


class Supervisor:
    def __init__(self, children: list[Child], env: dict[str, str]) -> None:
        self.children = children
        self.env = env
        self.stopping = False

    def _request_stop(self, signum: int, _frame: object) -> None:
        log.info("stopping", signal=signal.Signals(signum).name)
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        for child in self.children:
            child.start(self.env)
        while not self.stopping:
            self._restart_dead_children()
            time.sleep(0.2)
        self.stop()
        return 0

    def _restart_dead_children(self) -> None:
        now = time.monotonic()
        for child in self.children:
            assert child.process is not None
            code = child.process.poll()
            if code is None:
                continue
            if child.next_start == 0.0:
                # A child that ran a while before dying starts over with a short delay.
                if now - child.started_at > MAX_BACKOFF_SECONDS:
                    child.restarts = 0
                delay = min(MAX_BACKOFF_SECONDS, 2.0**child.restarts)
                child.next_start = now + delay
                log.warning("child_exited", child=child.name, code=code, restart_in_s=delay)
            elif now >= child.next_start:
                child.restarts += 1
                child.next_start = 0.0
                child.start(self.env)

    def stop(self) -> None:
        # SIGTERM to each leader only: Celery's warm shutdown lets its pool finish the job at hand, which a
        # signal to the whole group would cut short.
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                child.process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("child_killed", child=child.name)
            # Kill whatever is left in the group (Celery pool processes, for one).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signal.SIGKILL)
            child.process.wait()
        log.info("stopped")
