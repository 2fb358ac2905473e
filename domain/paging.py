"""Keyset pages, newest first: by (day, id) for date-ordered lists, by id for the rest."""

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


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


def newest_id_first(query: Query, row_id: Any, *, after: str | None, limit: int) -> Query:
    """`query` ordered by `row_id` descending (ids are time-ordered: newest first), from just
    past the cursor `after` (the last id a client saw), at most `limit` rows."""
    if after is not None:
        query = query.where(row_id < after)
    return query.order_by(row_id.desc()).limit(limit)
