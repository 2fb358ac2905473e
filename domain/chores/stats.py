"""Chore stats per member over a period, aggregated in SQL.

Minutes are summed by member, effort and load type in the database and weighted once per
group: weighting is linear in minutes, so this equals weighting every row.
"""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.agreement.terms import Load
from domain.agreement.versions import multipliers_on
from domain.chores.models import ChoreOccurrence, Status, TimeEntry
from domain.chores.weights import weighted_minutes
from domain.errors import InvalidInput
from domain.households.members import household_members


@dataclass
class LoadTotal:
    minutes: int = 0
    weighted_minutes: Fraction = Fraction(0)


@dataclass
class MemberStats:
    member_id: str
    completed_count: int = 0
    time_entry_count: int = 0
    minutes: int = 0
    weighted_minutes: Fraction = Fraction(0)
    by_load: dict[Load, LoadTotal] = field(default_factory=lambda: {k: LoadTotal() for k in Load})
    # The agreement's effort and load multipliers (none given: an hour is an hour).
    multipliers: tuple[dict[int, Fraction], dict[Load, Fraction]] = field(
        default_factory=lambda: ({}, {})
    )

    def add(self, minutes: int, *, effort: int, load: Load) -> None:
        weighted = weighted_minutes(
            minutes,
            effort=effort,
            load=load,
            effort_multipliers=self.multipliers[0],
            load_multipliers=self.multipliers[1],
        )
        self.minutes += minutes
        self.weighted_minutes += weighted
        self.by_load[load].minutes += minutes
        self.by_load[load].weighted_minutes += weighted


def chore_stats(
    session: Session, *, household_id: str, first: date, last: date
) -> list[MemberStats]:
    """Every member of the household (zeros included), oldest first: occurrences done by
    them (by the day they were done) and their time entries, from `first` to `last`."""
    if last < first:
        raise InvalidInput("the period cannot end before it starts", field="to")
    # Weighed as the household's agreement in force on the last day says.
    multipliers = multipliers_on(session, household_id, last)
    stats = {
        m: MemberStats(m, multipliers=multipliers) for m in household_members(session, household_id)
    }
    done = session.execute(
        select(
            col(ChoreOccurrence.completed_by_member_id),
            col(ChoreOccurrence.effort),
            col(ChoreOccurrence.load),
            func.count(),
            func.sum(col(ChoreOccurrence.minutes)),
        )
        .where(
            col(ChoreOccurrence.household_id) == household_id,
            col(ChoreOccurrence.status) == Status.DONE,
            col(ChoreOccurrence.completed_on) >= first,
            col(ChoreOccurrence.completed_on) <= last,
        )
        .group_by(
            col(ChoreOccurrence.completed_by_member_id),
            col(ChoreOccurrence.effort),
            col(ChoreOccurrence.load),
        )
    )
    for member_id, effort, load, number, minutes in done:
        if member_id is None or effort is None or load is None:
            continue  # completing records all three; a row without them has no one to credit
        stats[member_id].completed_count += number
        stats[member_id].add(int(minutes or 0), effort=effort, load=Load(load))
    logged = session.execute(
        select(
            col(TimeEntry.member_id),
            col(TimeEntry.effort),
            col(TimeEntry.load),
            func.count(),
            func.sum(col(TimeEntry.minutes)),
        )
        .where(
            col(TimeEntry.household_id) == household_id,
            col(TimeEntry.date) >= first,
            col(TimeEntry.date) <= last,
        )
        .group_by(col(TimeEntry.member_id), col(TimeEntry.effort), col(TimeEntry.load))
    )
    for member_id, effort, load, number, minutes in logged:
        stats[member_id].time_entry_count += number
        stats[member_id].add(int(minutes), effort=effort, load=Load(load))
    return list(stats.values())
