"""Numeric ids, as the Graph API has them: 64-bit integers that sort by creation time, sent as strings.

The high bits are milliseconds since 2024-01-01 (41 bits last until 2093); the low 22 bits start at a random
value in each millisecond and count up for each further id of that millisecond in this process. So the ids of
one process strictly increase and never repeat (past four million in one millisecond, the count borrows the
next millisecond), and two processes minting in the same millisecond rarely meet; if they do, the primary key
refuses the row rather than overwrite one.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta

EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
RANDOM_BITS = 22
MAX_ID = (1 << 63) - 1
_LOW_MASK = (1 << RANDOM_BITS) - 1
_EPOCH = datetime.fromtimestamp(EPOCH_MS / 1000, UTC)

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


def id_at(when: datetime, *, rng: random.Random | None = None) -> int:
    """An id of a past (or future) instant, for rows written with a backdated `created_at` (the simulator's):
    the feed and the lists order by id, so such a row needs an id of its time, not of the moment it is written.
    The low bits are random in the lower half, as `new_id`'s (from `rng` when given: a caller minting thousands
    saves a system call each); two ids of one millisecond rarely meet, and a caller minting many for one
    instant must check that they differ (the primary key refuses a repeat)."""
    # Integer arithmetic on timedeltas: a float timestamp could round an instant into its neighbour millisecond.
    milliseconds = (when - _EPOCH) // timedelta(milliseconds=1)
    if milliseconds < 0:
        raise ValueError(f"ids start at 2024-01-01, not at {when.isoformat()}")
    low = rng.getrandbits(RANDOM_BITS - 1) if rng is not None else secrets.randbits(RANDOM_BITS - 1)
    return (milliseconds << RANDOM_BITS) | low


def first_id_at(when: datetime) -> int:
    """The smallest id of an instant: `id >= first_id_at(t)` selects what was made since t by the primary key."""
    return id_at(when) & ~_LOW_MASK
