"""Cursor pagination: `?limit=&cursor=` in, `{data, next_cursor}` out.

Ids are UUIDv7, so "newest first" is "id descending" and a cursor is just the last id seen,
base64url-encoded so clients treat it as opaque. A list ordered by something else puts that
first and still ends the cursor with the id (`2026-03-01|<id>`), its tie-breaker.
"""

import base64
import binascii
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from domain.errors import InvalidInput

T = TypeVar("T")
R = TypeVar("R")

MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    data: list[T]
    next_cursor: str | None


class PageParams(BaseModel):
    limit: int
    after: str | None

    @property
    def fetch(self) -> int:
        """One more than asked: if it comes back, there is a next page."""
        return self.limit + 1


def encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        value = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        value = ""
    if not value or len(value) > 64 or not value.isprintable() or not _ends_with_id(value):
        raise InvalidInput("the cursor is not one this API gave out", field="cursor")
    return value


def _ends_with_id(value: str) -> bool:
    """A cursor that decodes but holds no id would silently restart the list from the top."""
    last = value.rsplit("|", 1)[-1]
    try:
        return str(uuid.UUID(last)) == last
    except ValueError:
        return False


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=128, description="`next_cursor` of the previous page.")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, after=decode_cursor(cursor) if cursor else None)


Paging = Annotated[PageParams, Depends(page_params)]


def page(
    rows: Sequence[R], params: PageParams, render: Callable[[R], T], key: Callable[[R], str]
) -> Page[T]:
    return page_of(rows, params, lambda shown: [render(r) for r in shown], key)


def page_of(
    rows: Sequence[R],
    params: PageParams,
    render_all: Callable[[Sequence[R]], list[T]],
    key: Callable[[R], str],
) -> Page[T]:
    """`page` for lists rendered in one go (shares and payers of many expenses at once)."""
    more = len(rows) > params.limit
    shown = rows[: params.limit]
    next_cursor = encode_cursor(key(shown[-1])) if more and shown else None
    return Page[T](data=render_all(shown), next_cursor=next_cursor)


def date_key(day: date, row_id: str) -> str:
    """The cursor key of a list ordered by a date, then by id."""
    return f"{day.isoformat()}|{row_id}"


def date_after(params: PageParams) -> tuple[date, str] | None:
    """Where a date-ordered list resumes, from a cursor made with `date_key`."""
    if params.after is None:
        return None
    day, _, row_id = params.after.partition("|")
    try:
        return date.fromisoformat(day), row_id
    except ValueError as exc:
        raise InvalidInput("the cursor is not one this API gave out", field="cursor") from exc
