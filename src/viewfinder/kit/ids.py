"""Identifiers: UUIDv7 for the suite's rows, so keys sort by creation time and index well."""

import uuid

from uuid6 import uuid7


def new_id() -> uuid.UUID:
    # uuid6 returns its own subclass; a plain UUID compares and serialises the same everywhere.
    return uuid.UUID(int=uuid7().int)
