"""Keyset pages, newest first: the one ordering every date-ordered list uses."""

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select

Query = TypeVar("Query", bound=Select[Any])


def newest_first(
    query: Query, day: Any, row_id: Any, *, after: tuple[date, str] | None, limit: int
) -> Query:
    """`query` ordered by `day` then `row_id`, both descending, from just past the cursor
    `after` (the last (day, id) a client saw): rows of the same day keep their place, so
    a page boundary never skips or repeats one."""
    if after is not None:
        last_day, last_id = after
        query = query.where((day < last_day) | ((day == last_day) & (row_id < last_id)))
    return query.order_by(day.desc(), row_id.desc()).limit(limit)
