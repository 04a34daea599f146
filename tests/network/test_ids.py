"""Numeric ids: 64-bit, time-ordered, unique enough, parsed strictly from paths."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from viewfinder.network.social.ids import EPOCH_MS, MAX_ID, RANDOM_BITS, first_id_at, id_at, new_id, parse_id


def test_ids_are_positive_64_bit_and_carry_their_time() -> None:
    ids = [new_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    assert all(0 < i <= MAX_ID for i in ids)
    now_ms = time.time_ns() // 1_000_000
    assert abs((ids[-1] >> RANDOM_BITS) + EPOCH_MS - now_ms) < 5_000


def test_ids_sort_by_creation_time() -> None:
    first = new_id()
    time.sleep(0.002)
    assert new_id() > first
    # Within one process they strictly increase, however many come in one millisecond.
    burst = [new_id() for _ in range(50_000)]
    assert burst == sorted(set(burst))


def test_parse_id_accepts_only_our_ids() -> None:
    value = new_id()
    assert parse_id(str(value)) == value
    for bad in ("", "0", "-1", "abc", "1e5", "١٢٣", str(MAX_ID + 1), "9" * 25, " 12"):
        assert parse_id(bad) is None, bad


def test_the_first_id_of_an_instant_is_below_every_id_made_then() -> None:
    when = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
    first = first_id_at(when)
    assert all(first <= id_at(when) for _ in range(50))
    assert id_at(when - timedelta(milliseconds=1)) < first
