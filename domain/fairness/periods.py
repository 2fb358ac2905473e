"""Periods: the calendar weeks and months the engine measures, and the days inside them.

Weeks run Monday to Sunday (ISO 8601); months are calendar months. Every range here is
inclusive at both ends, like the `from` and `to` of a report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TypeVar

from domain.agreement.terms import Period
from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

MAX_YEARS = 5

Span = tuple[date, date]
T = TypeVar("T")


def check_span(first: date, last: date) -> None:
    """A report period: `to` not before `from`, and at most five years long."""
    if last < first:
        raise InvalidInput("'to' is before 'from'", field="to")
    if last >= add_years(first, MAX_YEARS):
        raise InvalidInput(f"a period spans at most {MAX_YEARS} years", field="to")


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def days(first: date, last: date) -> int:
    return (last - first).days + 1


def containing(day: date, period: Period) -> Span:
    """The whole calendar week or month that `day` falls in."""
    if period is Period.WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def split(first: date, last: date, period: Period) -> list[Span]:
    """The calendar periods that `first`..`last` touches, each clipped to that range."""
    spans: list[Span] = []
    day = first
    while day <= last:
        start, end = containing(day, period)
        spans.append((max(start, first), min(end, last)))
        day = end + timedelta(days=1)
    return spans


def complete_before(day: date, period: Period, count: int) -> list[Span]:
    """The last `count` whole periods that end on or before `day`, oldest first."""
    start, end = containing(day, period)
    if end != day:
        end = start - timedelta(days=1)
    spans: list[Span] = []
    for _ in range(count):
        spans.append(containing(end, period))
        end = spans[-1][0] - timedelta(days=1)
    return spans[::-1]


def in_force(
    versions: Sequence[tuple[date, T]], first: date, last: date, default: T
) -> list[tuple[date, date, T]]:
    """`first`..`last` cut where a new version takes effect, each piece with the version
    in force on its days. `versions` are (effective_from, version), oldest first; before
    the first one, `default` applies."""
    current = default
    pieces: list[tuple[date, date, T]] = []
    start = first
    for effective, version in versions:
        if effective <= first:
            current = version
        elif effective <= last:
            pieces.append((start, effective - timedelta(days=1), current))
            start, current = effective, version
    pieces.append((start, last, current))
    return pieces


def days_away(ranges: Iterable[Span], first: date, last: date) -> int:
    """Days of `first`..`last` covered by at least one range: overlapping absences count
    each day once."""
    clipped = sorted((max(a, first), min(b, last)) for a, b in ranges if b >= first and a <= last)
    total, reached = 0, first - timedelta(days=1)
    for start, end in clipped:
        start = max(start, reached + timedelta(days=1))
        if end >= start:
            total += days(start, end)
            reached = end
    return total
