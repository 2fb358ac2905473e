"""A goal's progress and pace: pure functions over contributions, the target and a day.

Months are calendar months counted from `today`: one month after 31 January is the last
day of February (29th in a leap year), and the month after that is 31 March again, so a
due date at a month end stays at month ends. The monthly amount needed is the remaining
amount spread over the months left, rounded up to a whole minor unit so that saving it
every month really gets there. The pace is what the last three months brought in (or the
months since the goal started, when it is younger), per month.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from domain.agreement.terms import normalise
from domain.money import allocate
from domain.proposals.measures import Dimension, measure

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

PACE_MONTHS = 3


@dataclass(frozen=True, slots=True)
class Entry:
    """One contribution: positive saves, negative withdraws."""

    member_id: str
    on: date
    amount: int


@dataclass(frozen=True, slots=True)
class Progress:
    saved: int
    target: int | None
    remaining: int | None  # None without a target; never below 0
    reached: bool
    past_due: bool  # the due date has passed and the target is not reached
    months_left: int | None  # calendar months from today to the due date, a part counting
    monthly_needed: int | None  # None without a target and a due date, or once past due
    pace_monthly: Fraction  # saved per month over the pace window
    projected: int | None  # saved by the due date at the current pace (rounded down)
    on_track: bool | None  # None without a target and a due date
    members: Dimension
    agreed: dict[str, int]  # each member's part of the target (of what is saved, without one)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), clamped to the month end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_between(start: date, end: date) -> int:
    """Calendar months from `start` to `end`, a started month counting as one; 0 if
    `end` is not after `start`."""
    if end <= start:
        return 0
    full = (end.year - start.year) * 12 + end.month - start.month
    while full > 0 and add_months(start, full) > end:
        full -= 1
    return full + (1 if add_months(start, full) < end else 0)


def pace_per_month(entries: Sequence[Entry], *, today: date, started_on: date) -> Fraction:
    """Net saved per month over the last `PACE_MONTHS` months, or over the months since
    `started_on` (at least one) when the goal is younger than that."""
    window_start = add_months(today, -PACE_MONTHS)
    months = PACE_MONTHS
    if started_on > window_start:
        window_start = started_on
        months = max(1, min(PACE_MONTHS, months_between(started_on, today)))
        total = sum(e.amount for e in entries if window_start <= e.on <= today)
    else:
        total = sum(e.amount for e in entries if window_start < e.on <= today)
    return Fraction(total, months)


def progress(
    entries: Sequence[Entry],
    *,
    target: int | None,
    due_on: date | None,
    today: date,
    started_on: date,
    weights: Mapping[str, Fraction | int],
    order: Sequence[str],
) -> Progress:
    """Where a goal stands on `today`.

    `weights` are the goal split's shares of the target (any positive numbers); `order` is
    the members to report, in the household's order. Contributions dated after `today`
    count as saved (they were recorded) but not towards the pace.
    """
    saved = sum(e.amount for e in entries)
    remaining = None if target is None else max(target - saved, 0)
    reached = target is not None and saved >= target
    past_due = due_on is not None and due_on < today and not reached
    months_left = None if due_on is None else months_between(today, due_on)
    pace = pace_per_month(entries, today=today, started_on=started_on)
    monthly_needed = projected = on_track = None
    if remaining is not None and months_left is not None:
        if reached:
            monthly_needed, projected, on_track = 0, saved, True
        elif past_due:
            projected, on_track = saved, False
        else:
            spread = max(months_left, 1)
            monthly_needed = -(-remaining // spread)
            projected = saved + int(max(pace, Fraction(0)) * months_left)
            on_track = projected >= target if target is not None else None
    contributed: dict[str, int] = {}
    for entry in entries:
        contributed[entry.member_id] = contributed.get(entry.member_id, 0) + entry.amount
    members = list(order) + [m for m in contributed if m not in order]
    targets = normalise(weights) if weights else {}
    return Progress(
        saved=saved,
        target=target,
        remaining=remaining,
        reached=reached,
        past_due=past_due,
        months_left=months_left,
        monthly_needed=monthly_needed,
        pace_monthly=pace,
        projected=projected,
        on_track=on_track,
        members=measure(members, contributed, targets),
        agreed=split_by(target if target is not None else max(saved, 0), weights),
    )


def split_by(total: int, weights: Mapping[str, Fraction | int]) -> dict[str, int]:
    """`total` in proportion to the weights, by the largest-remainder rule every split uses."""
    positive = [m for m, w in weights.items() if w > 0]
    parts = dict.fromkeys(weights, 0)
    if total and positive:
        parts.update(zip(positive, allocate(total, [weights[m] for m in positive]), strict=True))
    return parts
