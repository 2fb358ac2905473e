"""Who takes which occurrence: the database side of `plan_assignments`.

Loads are summed in SQL by member, effort and load type, and only then weighted: weighting
is linear in minutes, so one `weighted_minutes` per group equals the sum over the rows.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.agreement.terms import Load
from domain.agreement.versions import multipliers_on
from domain.chores.assignment import (
    LOAD_WINDOW_DAYS,
    ChoreAssignment,
    DateRange,
    Due,
    Preference,
    Strategy,
    plan_assignments,
)
from domain.chores.models import (
    Absence,
    Chore,
    ChoreEligibleMember,
    ChoreOccurrence,
    ChorePreference,
    Status,
    TimeEntry,
)
from domain.chores.weights import weighted_minutes
from domain.households.models import Member


def weight_of(chore: Chore) -> Fraction:
    return weighted_minutes(chore.estimated_minutes, effort=chore.effort, load=Load(chore.load))


def eligible_lists(session: Session, chore_ids: Collection[str]) -> dict[str, list[str]]:
    """The explicit eligible members of each chore, in rotation order."""
    lists: dict[str, list[str]] = defaultdict(list)
    if chore_ids:
        rows = session.execute(
            select(ChoreEligibleMember.chore_id, ChoreEligibleMember.member_id)
            .where(ChoreEligibleMember.chore_id.in_(chore_ids))
            .order_by(ChoreEligibleMember.chore_id, ChoreEligibleMember.position)
        )
        for chore_id, member_id in rows:
            lists[chore_id].append(member_id)
    return lists


def eligible_now(
    chore: Chore, explicit: Sequence[str], members: Mapping[str, Member]
) -> tuple[str, ...]:
    """Who may take the chore today: its list (or everyone), less members since deactivated."""
    ids = members.keys() if chore.everyone_eligible else explicit
    return tuple(m for m in ids if m in members and members[m].active)


def assignments(
    session: Session, chores: Sequence[Chore], members: Mapping[str, Member]
) -> dict[str, ChoreAssignment[str]]:
    ids = [chore.id for chore in chores]
    lists = eligible_lists(session, ids)
    preferences: dict[str, dict[str, Preference]] = defaultdict(dict)
    if ids:
        rows = session.execute(
            select(
                ChorePreference.chore_id, ChorePreference.member_id, ChorePreference.preference
            ).where(ChorePreference.chore_id.in_(ids))
        )
        for chore_id, member_id, preference in rows:
            preferences[chore_id][member_id] = Preference(preference)
    return {
        chore.id: ChoreAssignment(
            Strategy(chore.strategy),
            eligible_now(chore, lists[chore.id], members),
            fixed_member=chore.fixed_member_id,
            preferences=preferences[chore.id],
        )
        for chore in chores
    }


def member_loads(session: Session, *, household_id: str, today: date) -> dict[str, Fraction]:
    """Weighted minutes of the last `LOAD_WINDOW_DAYS` days, done or logged, plus the open
    occurrences already assigned from today on: the load `least_loaded` compares."""
    since = today - timedelta(days=LOAD_WINDOW_DAYS - 1)
    done = (
        select(
            ChoreOccurrence.completed_by_member_id,
            ChoreOccurrence.effort,
            ChoreOccurrence.load,
            func.sum(ChoreOccurrence.minutes),
        )
        .where(
            ChoreOccurrence.household_id == household_id,
            ChoreOccurrence.status == Status.DONE,
            ChoreOccurrence.completed_on >= since,
        )
        .group_by(
            ChoreOccurrence.completed_by_member_id, ChoreOccurrence.effort, ChoreOccurrence.load
        )
    )
    logged = (
        select(TimeEntry.member_id, TimeEntry.effort, TimeEntry.load, func.sum(TimeEntry.minutes))
        .where(TimeEntry.household_id == household_id, TimeEntry.date >= since)
        .group_by(TimeEntry.member_id, TimeEntry.effort, TimeEntry.load)
    )
    ahead = (
        select(
            ChoreOccurrence.assigned_member_id,
            Chore.effort,
            Chore.load,
            func.sum(Chore.estimated_minutes),
        )
        .join(Chore, Chore.id == ChoreOccurrence.chore_id)
        .where(
            ChoreOccurrence.household_id == household_id,
            ChoreOccurrence.status == Status.OPEN,
            ChoreOccurrence.assigned_member_id.is_not(None),
            ChoreOccurrence.due_on >= today,
        )
        .group_by(ChoreOccurrence.assigned_member_id, Chore.effort, Chore.load)
    )
    effort_x, load_x = multipliers_on(session, household_id, today)
    load: dict[str, Fraction] = defaultdict(Fraction)
    for query in (done, logged, ahead):
        for member_id, effort, kind, minutes in session.execute(query):
            load[member_id] += weighted_minutes(
                int(minutes),
                effort=effort,
                load=Load(kind),
                effort_multipliers=effort_x,
                load_multipliers=load_x,
            )
    return dict(load)


def _weighed(
    session: Session, household_id: str, dues: Sequence[Due[str]], today: date
) -> list[Due[str]]:
    """The dues weighed with the household agreement's multipliers, as the loads are."""
    effort_x, load_x = multipliers_on(session, household_id, today)
    if not effort_x and not load_x:
        return list(dues)
    chores = {
        c.id: c for c in session.scalars(select(Chore).where(Chore.id.in_({d.chore for d in dues})))
    }
    return [
        replace(
            due,
            weight=weighted_minutes(
                chores[due.chore].estimated_minutes,
                effort=chores[due.chore].effort,
                load=Load(chores[due.chore].load),
                effort_multipliers=effort_x,
                load_multipliers=load_x,
            ),
        )
        for due in dues
    ]


def last_assignees(session: Session, chore_ids: Collection[str]) -> dict[str, str]:
    """Each chore's latest assignee: where its rotation continues from."""
    if not chore_ids:
        return {}
    latest = (
        select(ChoreOccurrence.chore_id, func.max(ChoreOccurrence.due_on).label("due_on"))
        .where(
            ChoreOccurrence.chore_id.in_(chore_ids),
            ChoreOccurrence.assigned_member_id.is_not(None),
        )
        .group_by(ChoreOccurrence.chore_id)
        .subquery()
    )
    rows = session.execute(
        select(ChoreOccurrence.chore_id, ChoreOccurrence.assigned_member_id).join(
            latest,
            (ChoreOccurrence.chore_id == latest.c.chore_id)
            & (ChoreOccurrence.due_on == latest.c.due_on),
        )
    )
    return {chore_id: member_id for chore_id, member_id in rows}


def absences_between(
    session: Session, *, household_id: str, first: date, last: date
) -> dict[str, list[DateRange]]:
    rows = session.execute(
        select(Absence.member_id, Absence.first_day, Absence.last_day).where(
            Absence.household_id == household_id,
            Absence.last_day >= first,
            Absence.first_day <= last,
        )
    )
    away: dict[str, list[DateRange]] = defaultdict(list)
    for member_id, first_day, last_day in rows:
        away[member_id].append(DateRange(first_day, last_day))
    return dict(away)


def is_away(session: Session, *, member_id: str, day: date) -> bool:
    found = session.scalar(
        select(Absence.id).where(
            Absence.member_id == member_id, Absence.first_day <= day, Absence.last_day >= day
        )
    )
    return found is not None


def plan(
    session: Session,
    *,
    household_id: str,
    dues: Sequence[Due[str]],
    chores: Mapping[str, ChoreAssignment[str]],
    today: date,
    rotation: Mapping[str, str] | None = None,
) -> list[str | None]:
    """An assignee for each due (None: nobody eligible is here). `rotation` overrides where
    each chore's rotation continues from; by default, its latest assignee.

    A fixed chore whose member is away or gone falls back to the least-loaded eligible
    member present: its member's absence should not leave the chore undone.
    """
    if not dues:
        return []
    dues = _weighed(session, household_id, dues, today)
    load = member_loads(session, household_id=household_id, today=today)
    away = absences_between(
        session,
        household_id=household_id,
        first=min(due.due_on for due in dues),
        last=max(due.due_on for due in dues),
    )
    last = dict(rotation) if rotation is not None else last_assignees(session, chores.keys())
    planned = plan_assignments(dues, chores=chores, load=load, last_assignees=last, absences=away)
    stranded = [
        index
        for index, member in enumerate(planned)
        if member is None and chores[dues[index].chore].strategy is Strategy.FIXED
    ]
    if not stranded:
        return planned
    for due, member in zip(dues, planned, strict=True):
        if member is not None:
            load[member] = load.get(member, Fraction(0)) + due.weight
    fallback = {
        dues[i].chore: replace(
            chores[dues[i].chore], strategy=Strategy.LEAST_LOADED, fixed_member=None
        )
        for i in stranded
    }
    again = plan_assignments(
        [dues[i] for i in stranded], chores=fallback, load=load, last_assignees={}, absences=away
    )
    for index, member in zip(stranded, again, strict=True):
        planned[index] = member
    return planned
