"""Measuring a period: the SQL totals turned into the money and time dimensions.

Time is measured against the agreement in force on each day (see `report.time_dimension`):
the period is cut where a new version took effect. The agreement's other terms (tolerance,
dimension weights, hour value, period) are those in force on the period's last day.
Targets use the members' current capacity; a capacity target that lacks someone's weekly
minutes falls back to equal shares for that piece, and the report says so. A member's time
target shrinks for the days they were away, and likewise for the days of the period before
they joined the household (counted in its time zone).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy.orm import Session

from domain.agreement.terms import Agreement, Load, TimeTarget, time_targets
from domain.agreement.versions import Version, version_on, versions
from domain.chores.members import local_day
from domain.chores.weights import weighted_minutes
from domain.errors import InvalidInput
from domain.fairness import queries
from domain.fairness.periods import Span, days, days_away, in_force
from domain.households.models import Household
from domain.proposals.measures import Dimension, money_dimension, presence_scaled
from domain.proposals.scores import CheckInSummary, TimeSegment, time_dimension


@dataclass(frozen=True)
class Measured:
    first: date
    last: date
    order: list[str]  # members shown: the active ones and anyone with data in the period
    active: list[str]
    names: dict[str, str]
    contributed: dict[str, int]
    owed: dict[str, int]
    money: Dimension
    time: Dimension
    version: Version  # in force on the last day
    notes: list[str] = field(default_factory=list)
    member_ids: list[str] = field(default_factory=list)  # every member, in id order
    check_ins: list[CheckInSummary] = field(default_factory=list)  # of the period

    @property
    def agreement(self) -> Agreement:
        return self.version.agreement


def measure_period(
    session: Session,
    *,
    household: Household,
    first: date,
    last: date,
    agreement: Agreement | None = None,
    history: list[Version] | None = None,
) -> Measured:
    """`agreement` measures the whole period against that one instead of the stored ones
    (what a proposed change would score)."""
    people = queries.members(session, household.id)
    active = [m.id for m in people if m.active]
    if history is None:
        history = versions(session, household.id)
    if agreement is not None:
        history = [Version(0, first, agreement)]
    notes: list[str] = []
    segments = []
    pieces = in_force(
        [(v.effective_from, v) for v in history if v.effective_from is not None],
        first,
        last,
        version_on([], None),
    )
    totals = queries.period_totals(
        session, household.id, first, last, [start for start, _, _ in pieces]
    )
    contributed, owed = totals.contributed, totals.owed
    away = _not_there(household, people, totals.away, first)
    for (start, end, version), groups in zip(pieces, totals.time, strict=True):
        actual = _weighted(groups, version)
        targets = _targets(version.agreement, people, active, notes)
        segments.append(
            TimeSegment(
                actual,
                presence_scaled(
                    targets,
                    days_in_period=days(start, end),
                    days_away={m: days_away(away.get(m, []), start, end) for m in targets},
                ),
            )
        )
    with_data = {m for m, v in {**contributed, **owed}.items() if v} | {
        m for s in segments for m, v in s.actual.items() if v
    }
    order = [m.id for m in people if m.active or m.id in with_data]
    return Measured(
        first=first,
        last=last,
        order=order,
        active=active,
        names={m.id: m.display_name for m in people},
        contributed=contributed,
        owed=owed,
        money=money_dimension(order, contributed=contributed, owed=owed),
        time=time_dimension(order, segments),
        version=version_on(history, last),
        notes=notes,
        member_ids=[m.id for m in people],
        check_ins=totals.check_ins,
    )


def _not_there(
    household: Household, people: list[queries.MemberRow], away: dict[str, list[Span]], first: date
) -> dict[str, list[Span]]:
    """Absences, plus the days of the period before each member joined."""
    out = {member_id: list(spans) for member_id, spans in away.items()}
    for member in people:
        joined = local_day(household, member.created_at)
        if joined > first:
            out.setdefault(member.id, []).append((first, joined - timedelta(days=1)))
    return out


def _weighted(groups: list[queries.TimeGroup], version: Version) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    agreement = version.agreement
    for member_id, effort, load, minutes in groups:
        out[member_id] = out.get(member_id, Fraction(0)) + weighted_minutes(
            minutes,
            effort=effort,
            load=Load(load),
            effort_multipliers=agreement.effort_multipliers,
            load_multipliers=agreement.load_multipliers,
        )
    return out


def _targets(
    agreement: Agreement, people: list[queries.MemberRow], active: list[str], notes: list[str]
) -> dict[str, Fraction]:
    if not active:
        return {}
    capacity = {m.id: m.weekly_available_minutes for m in people}
    try:
        return time_targets(agreement, active, capacity=capacity)
    except InvalidInput as exc:
        note = (
            f"The agreed {agreement.time.value} time targets do not fit the members as they "
            f"are now ({exc.detail}); equal time targets were used instead."
        )
        if note not in notes:
            notes.append(note)
        return time_targets(Agreement(time=TimeTarget.EQUAL), active, capacity=capacity)
