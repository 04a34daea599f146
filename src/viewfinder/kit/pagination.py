"""Cursor pagination: `?limit=` 1–100 (default 24) and `?cursor=`, answered as `{items, next_cursor}`.

The cursor is the sort key of the last item, so pages stay stable while rows are added (keyset paging),
and each page costs one indexed query whatever its depth.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Row, Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from viewfinder.kit.errors import InvalidInput

DEFAULT_LIMIT = 24
MAX_LIMIT = 100

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class PageParams:
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page, 1–100")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="The `next_cursor` of the previous page")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def _encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "u" in value:
        return uuid.UUID(value["u"])
    if isinstance(value, dict) and "t" in value:
        moment = datetime.fromisoformat(value["t"])
        if moment.tzinfo is None:
            raise ValueError("cursor timestamps carry their offset")
        return moment
    return value


def _bad_cursor(detail: str) -> InvalidInput:
    return InvalidInput(detail, errors=[{"field": "cursor", "message": "not a valid cursor", "code": "cursor"}])


def encode_cursor(values: Sequence[Any]) -> str:
    raw = orjson.dumps([_encode_value(v) for v in values])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = orjson.loads(raw)
        if not isinstance(values, list):
            raise ValueError("not a list")
        return [_decode_value(v) for v in values]
    except (ValueError, TypeError):
        raise InvalidInput(
            "The cursor is not valid: pass the next_cursor of a previous page unchanged.",
            errors=[{"field": "cursor", "message": "not a valid cursor", "code": "cursor"}],
        ) from None


def _page_statement(
    statement: Select[*tuple[Any, ...]],
    keys: Sequence[InstrumentedAttribute[Any]],
    params: PageParams,
    descending: bool,
) -> Select[*tuple[Any, ...]]:
    if params.cursor:
        after = decode_cursor(params.cursor)
        # A cursor is client input: values of the wrong type would fail in the database or page wrongly.
        if len(after) != len(keys) or not all(
            isinstance(value, key.type.python_type) for value, key in zip(after, keys, strict=False)
        ):
            raise _bad_cursor("The cursor does not belong to this list.")
        key = tuple_(*keys)
        statement = statement.where(key < tuple_(*after) if descending else key > tuple_(*after))
    order = [k.desc() if descending else k.asc() for k in keys]
    return statement.order_by(*order).limit(params.limit + 1)


def _page(rows: list[Any], keys: Sequence[InstrumentedAttribute[Any]], limit: int) -> tuple[list[Any], str | None]:
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor([getattr(last, k.key) for k in keys])


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    params: PageParams,
    *,
    descending: bool = True,
) -> tuple[list[Any], str | None]:
    """Run `statement` for one page ordered by `keys` (unique together); return rows and the next cursor.

    `statement` selects one ORM entity; the keys are attributes of it.
    """
    rows = list((await session.scalars(_page_statement(statement, keys, params, descending))).all())
    return _page(rows, keys, params.limit)


async def paginate_rows(
    session: AsyncSession,
    statement: Select[*tuple[Any, ...]],
    keys: Sequence[InstrumentedAttribute[Any]],
    params: PageParams,
    *,
    descending: bool = True,
) -> tuple[list[Row[*tuple[Any, ...]]], str | None]:
    """`paginate` for a statement of plain columns, for hot lists that skip the ORM's objects: the keys must be
    among its columns, under their own names."""
    rows = list((await session.execute(_page_statement(statement, keys, params, descending))).all())
    return _page(rows, keys, params.limit)
