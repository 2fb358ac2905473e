"""The scores over time and the shares of a range: what the fairness chart draws.

The range is cut into the agreement's periods (weeks or months, as agreed on its last day),
each measured like a report of its own; the shares come from one report over the whole
range. A range of more than `MAX_POINTS` weeks is drawn by month instead, so a five-year
chart costs sixty measurements, not two hundred and sixty.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy.orm import Session

from domain.agreement.terms import Period
from domain.agreement.versions import in_force
from domain.fairness.periods import check_span, containing, split
from domain.fairness.reporting import build_report
from domain.households.models import Household
from domain.proposals.measures import Dimension

MAX_POINTS = 62
DEFAULT_POINTS = 12


@dataclass(frozen=True)
class Point:
    first: date
    last: date
    overall: Fraction | None
    money: Fraction | None
    time: Fraction | None


@dataclass(frozen=True)
class Timeline:
    household_name: str
    first: date
    last: date
    period: Period
    points: list[Point]
    names: dict[str, str]
    money: Dimension  # over the whole range
    time: Dimension


def default_range(session: Session, household: Household, today: date) -> tuple[date, date]:
    """The last `DEFAULT_POINTS` periods (weeks or months, as agreed), this one included."""
    period = in_force(session, household.id, today).agreement.period
    start = containing(today, period)[0]
    for _ in range(DEFAULT_POINTS - 1):
        start = containing(start - timedelta(days=1), period)[0]
    return start, today


def timeline(session: Session, *, household: Household, first: date, last: date) -> Timeline:
    check_span(first, last)
    period = in_force(session, household.id, last).agreement.period
    spans = split(first, last, period)
    if len(spans) > MAX_POINTS:
        period = Period.MONTH
        spans = split(first, last, period)
    points = []
    for start, end in spans:
        report, _ = build_report(session, household=household, first=start, last=end)
        scores = report.scores
        points.append(Point(start, end, scores.overall, scores.money, scores.time))
    whole, measured = build_report(session, household=household, first=first, last=last)
    return Timeline(
        household_name=household.name,
        first=first,
        last=last,
        period=period,
        points=points,
        names=measured.names,
        money=whole.money,
        time=whole.time,
    )
