"""Reading one source row into domain values, and the date window of sources without a cursor.

A row that cannot be read becomes a `RowError` with a reason; the rest of the batch still
lands. A page that cannot be read at all (no `data`, not a list) fails the whole run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.errors import InvalidInput
from domain.imports.records import Batch, ImportedTransaction, RowError, SourceFailed
from domain.money import is_known_currency, parse_major


class RowProblem(Exception):
    """One row is unreadable; `reason` says why in words a user can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Rows:
    """The rows and row errors of one fetch, collected one leaf at a time."""

    transactions: list[ImportedTransaction] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def add(self, source_id: str | None, read: Callable[[], ImportedTransaction | None]) -> None:
        """Read one leaf row; a row that fails is recorded against `source_id`."""
        try:
            row = read()
        except RowProblem as problem:
            self.fail(source_id, problem.reason)
        except KeyError as exc:
            self.fail(source_id, f"the field {exc.args[0]!r} is missing")
        except (TypeError, ValueError, ArithmeticError) as exc:
            self.fail(source_id, f"unreadable row: {str(exc)[:200]}")
        else:
            if row is not None:
                self.transactions.append(row)

    def fail(self, source_id: str | None, reason: str) -> None:
        self.errors.append(RowError(reason, source_id=source_id))

    def batch(self, cursor: str | None) -> Batch:
        return Batch(transactions=self.transactions, errors=self.errors, cursor=cursor)


def power_of_ten(places: int) -> int:
    """10**places as an int (typeshed types `int ** int` as Any: the exponent may be < 0)."""
    return int(10**places)


def text(row: Mapping[str, Any], key: str) -> str | None:
    """An optional text field; blank counts as absent."""
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowProblem(f"{key} is not text: {value!r}")
    stripped = str(value).strip()
    return stripped or None


def required_text(row: Mapping[str, Any], key: str) -> str:
    value = text(row, key)
    if value is None:
        raise RowProblem(f"{key} is missing")
    return value


def identifier(row: Mapping[str, Any], key: str = "id") -> str | None:
    """The row's id as text, for error reports; never raises."""
    value = row.get(key) if isinstance(row, Mapping) else None
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def currency_code(value: object) -> str:
    """An ISO 4217 code from a source, upper-cased (Lunch Money writes `usd`)."""
    if not isinstance(value, str) or not is_known_currency(value.strip().upper()):
        raise RowProblem(f"{value!r} is not a supported ISO 4217 currency")
    return value.strip().upper()


def minor_units(amount: object, currency: str, *, what: str = "amount") -> int:
    """A decimal string in major units ("-4.5000" USD) as exact minor units (-450).

    Trailing zeros past the currency's exponent are fine; a digit that would need rounding
    ("4.5050" USD) is a row error, never rounded away. Floats are refused: the sources send
    strings precisely so that nothing is lost on the way.
    """
    if not isinstance(amount, str):
        raise RowProblem(f"{what} {amount!r} is not a decimal string")
    try:
        return parse_major(amount.strip(), currency).amount
    except InvalidInput as exc:
        if "more decimals" in exc.detail:
            raise RowProblem(f"{what} {amount} {currency} is not exact: {exc.detail}") from exc
        raise RowProblem(f"{what} {amount!r} is not a decimal amount") from exc


def calendar_date(value: object, *, what: str = "date") -> dt.date:
    """The date part of a date or timestamp exactly as the source wrote it.

    "2025-10-31T20:00:00-05:00" is the 31st: the source's own calendar day, never shifted
    through UTC.
    """
    if not isinstance(value, str) or len(value) < 10 or (len(value) > 10 and value[10] not in "T "):
        raise RowProblem(f"{what} {value!r} is not an ISO 8601 date")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise RowProblem(f"{what} {value!r} is not a valid date") from exc


@dataclass(frozen=True, slots=True)
class DateWindow:
    """The dates to (re-)read from a source that has no change cursor.

    Firefly III, Lunch Money and Actual cannot say what changed since the last sync, so each
    sync re-reads from `overlap_days` before the previous one up to today; rows edited or
    booked late within the overlap come back and the import service dedupes the rest.
    The cursor is the ISO date the window ended on.
    """

    start: dt.date | None  # None: from the source's beginning
    end: dt.date

    @property
    def cursor(self) -> str:
        return self.end.isoformat()


def date_window(
    cursor: str | None, *, overlap_days: int, initial_start: dt.date | None, today: dt.date
) -> DateWindow:
    if cursor is None:
        return DateWindow(start=initial_start, end=today)
    try:
        last = dt.date.fromisoformat(cursor)
    except ValueError as exc:
        raise SourceFailed(
            f"the stored sync cursor {cursor!r} is not a date; reset the connection's cursor"
        ) from exc
    return DateWindow(start=min(last, today) - dt.timedelta(days=overlap_days), end=today)


def page_field(body: object, key: str, kind: type, *, source: str) -> Any:
    """A required field of a response page; a page of the wrong shape fails the run."""
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SourceFailed(f"{source} sent a page without a usable {key!r} ({kind.__name__})")
    return value
