"""Numeric ids, as the Graph API has them: 64-bit integers that sort by creation time, sent as strings.

The high bits are milliseconds since 2024-01-01 (41 bits last until 2093); the low 22 bits start at a random
value in each millisecond and count up for each further id of that millisecond in this process. So the ids of
one process strictly increase and never repeat (past four million in one millisecond, the count borrows the
next millisecond), and two processes minting in the same millisecond rarely meet; if they do, the primary key
refuses the row rather than overwrite one.
"""

from __future__ import annotations

import secrets
import threading
import time

EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
RANDOM_BITS = 22
MAX_ID = (1 << 63) - 1
_LOW_MASK = (1 << RANDOM_BITS) - 1

_lock = threading.Lock()
_last = 0


def new_id() -> int:
    global _last
    milliseconds = time.time_ns() // 1_000_000 - EPOCH_MS
    # A random start in the lower half leaves two million ids per millisecond before the count borrows.
    candidate = (milliseconds << RANDOM_BITS) | secrets.randbits(RANDOM_BITS - 1)
    with _lock:
        if candidate <= _last or (candidate >> RANDOM_BITS) == (_last >> RANDOM_BITS):
            candidate = _last + 1
        _last = candidate
    return candidate


def parse_id(value: str) -> int | None:
    """A path's id as an int, or None when it cannot be one of ours (the caller answers 404)."""
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
