"""Rows a household owns, read by id: another household's row is as missing as no row."""

from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from domain.errors import NotFound


class HouseholdOwned(Protocol):
    household_id: str


Row = TypeVar("Row", bound=HouseholdOwned)


def get_in_household(
    session: Session,
    model: type[Row],
    row_id: str,
    household_id: str,
    *,
    what: str,
    field: str | None = None,
    lock: bool = False,
    populate_existing: bool = False,
) -> Row:
    """The `model` row `row_id` of household `household_id`, or NotFound("<what> not found").

    A row of another household answers exactly like a missing one, so an id never tells a
    caller that something exists elsewhere. `lock` reads it FOR UPDATE (PostgreSQL)."""
    row = session.get(model, row_id, with_for_update=lock, populate_existing=populate_existing)
    if row is None or row.household_id != household_id:
        raise NotFound(f"{what} not found", field=field)
    return row
