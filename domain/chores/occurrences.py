"""Occurrences: materialised for a rolling horizon, planned as they appear, and listed.

"Exactly once" rests on the unique (chore_id, due_on) constraint, not on checking first:
when a read, a write and the worker materialise the same day at once, one insert wins and
the others' savepoints roll back.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.chores.assignment import Due
from domain.chores.members import local_day
from domain.chores.models import Chore, ChoreOccurrence, Status
from domain.chores.planning import assignments, plan, weight_of
from domain.errors import NotFound
from domain.households.members import household_members
from domain.households.models import Household
from domain.recurrence import occurrences
from domain.settings import get_settings

# How far ahead occurrences exist, in days from today (household time).
HORIZON_DAYS = 28  # the default of FAIRSTEAD_CHORE_HORIZON_DAYS


def materialise_household(
    session: Session, *, household: Household, now: datetime, horizon_days: int | None = None
) -> int:
    """Create and plan every missing occurrence from today to the horizon; returns how many.

    A one-off chore's single occurrence is created even when its day has passed: it is
    still to do. A recurring chore is never back-filled before today.
    """
    horizon = horizon_days or get_settings().chore_horizon_days
    today = local_day(household, now)
    until = today + timedelta(days=horizon - 1)
    chores = list(
        session.scalars(
            select(Chore)
            .where(
                Chore.household_id == household.id,
                Chore.archived_at.is_(None),
                Chore.starts_on <= until,
            )
            .order_by(Chore.id)
        )
    )
    if not chores:
        return 0
    one_offs = [chore.id for chore in chores if chore.recurrence is None]
    rows = session.execute(
        select(ChoreOccurrence.chore_id, ChoreOccurrence.due_on).where(
            ChoreOccurrence.household_id == household.id,
            or_(ChoreOccurrence.due_on >= today, ChoreOccurrence.chore_id.in_(one_offs)),
        )
    )
    existing = {(chore_id, due_on) for chore_id, due_on in rows}
    dues = [
        Due(chore.id, day, weight_of(chore))
        for chore in chores
        for day in _due_days(chore, household, today, until)
        if (chore.id, day) not in existing
    ]
    if not dues:
        return 0
    members = household_members(session, household.id)
    assignees = plan(
        session,
        household_id=household.id,
        dues=dues,
        chores=assignments(session, chores, members),
        today=today,
    )
    return _insert(session, household.id, list(zip(dues, assignees, strict=True)))


def _due_days(chore: Chore, household: Household, today: date, until: date) -> list[date]:
    if chore.recurrence is None:
        return [chore.starts_on]
    return occurrences(
        chore.recurrence,
        starts_on=chore.starts_on,
        tz=household.timezone,
        window_from=max(today, chore.starts_on),
        window_to=until,
    )


def _insert(session: Session, household_id: str, planned: list[tuple[Due[str], str | None]]) -> int:
    def row(due: Due[str], member: str | None) -> ChoreOccurrence:
        return ChoreOccurrence(
            household_id=household_id,
            chore_id=due.chore,
            due_on=due.due_on,
            assigned_member_id=member,
        )

    try:
        with session.begin_nested():
            session.add_all([row(due, member) for due, member in planned])
            session.flush()
        return len(planned)
    except IntegrityError:
        pass
    # Someone else materialised some of these meanwhile: keep whichever rows are still new.
    created = 0
    for due, member in planned:
        try:
            with session.begin_nested():
                session.add(row(due, member))
                session.flush()
            created += 1
        except IntegrityError:
            continue
    return created


def materialise_all_chores(
    session: Session, *, now: datetime, horizon_days: int | None = None
) -> int:
    """Every household's horizon: what `fairstead worker` runs on its schedule."""
    ids = session.scalars(
        select(Chore.household_id).where(Chore.archived_at.is_(None)).distinct()
    ).all()
    total = 0
    for household_id in ids:
        household = session.get(Household, household_id)
        if household is not None:
            total += materialise_household(
                session, household=household, now=now, horizon_days=horizon_days
            )
    return total


def replan_chore(
    session: Session,
    *,
    household: Household,
    chore: Chore,
    now: datetime,
    horizon_days: int | None = None,
) -> None:
    """After the schedule or assignment changed: open occurrences after today go and are
    planned afresh; today's, past, done and skipped ones stay as they are. A one-off chore
    also drops an open occurrence left on a day it is no longer due."""
    today = local_day(household, now)
    stale = [ChoreOccurrence.due_on > today]
    if chore.recurrence is None:
        stale.append(ChoreOccurrence.due_on != chore.starts_on)
    session.execute(
        delete(ChoreOccurrence).where(
            ChoreOccurrence.chore_id == chore.id,
            ChoreOccurrence.status == Status.OPEN,
            or_(*stale),
        )
    )
    materialise_household(session, household=household, now=now, horizon_days=horizon_days)


def drop_open(session: Session, *, chore: Chore) -> None:
    session.execute(
        delete(ChoreOccurrence).where(
            ChoreOccurrence.chore_id == chore.id, ChoreOccurrence.status == Status.OPEN
        )
    )


def get_occurrence(
    session: Session, *, household_id: str, occurrence_id: str, for_update: bool = False
) -> ChoreOccurrence:
    """`for_update` locks the row (PostgreSQL) so two completions at once see each other."""
    query = select(ChoreOccurrence).where(
        ChoreOccurrence.id == occurrence_id, ChoreOccurrence.household_id == household_id
    )
    occurrence = session.scalars(query.with_for_update() if for_update else query).first()
    if occurrence is None:
        raise NotFound("chore occurrence not found")
    return occurrence


def list_occurrences(
    session: Session,
    *,
    household_id: str,
    date_from: date | None,
    date_to: date | None,
    member_id: str | None,
    status: Status | None,
    after: tuple[date, str] | None,
    limit: int,
) -> list[ChoreOccurrence]:
    """By due date, earliest first (then id); `member_id` matches assigned or completed by."""
    query = select(ChoreOccurrence).where(ChoreOccurrence.household_id == household_id)
    if date_from is not None:
        query = query.where(ChoreOccurrence.due_on >= date_from)
    if date_to is not None:
        query = query.where(ChoreOccurrence.due_on <= date_to)
    if member_id is not None:
        query = query.where(
            or_(
                ChoreOccurrence.assigned_member_id == member_id,
                ChoreOccurrence.completed_by_member_id == member_id,
            )
        )
    if status is not None:
        query = query.where(ChoreOccurrence.status == status)
    if after is not None:
        day, last_id = after
        query = query.where(
            or_(
                ChoreOccurrence.due_on > day,
                (ChoreOccurrence.due_on == day) & (ChoreOccurrence.id > last_id),
            )
        )
    query = query.order_by(ChoreOccurrence.due_on, ChoreOccurrence.id).limit(limit)
    return list(session.scalars(query))
