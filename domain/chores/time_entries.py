"""Time entries: unplanned work (noticing the kids need shoes, planning the week's meals)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import record
from domain.agreement.terms import Load
from domain.chores.members import local_day
from domain.chores.models import Chore, TimeEntry
from domain.errors import InvalidInput
from domain.households.members import named_member
from domain.households.service import Membership, acting_for
from domain.paging import newest_id_first

# A day ahead covers a member whose evening is already tomorrow in the household's zone.
MAX_DAYS_AHEAD = 1
# The middle of the 1-5 scale, for work that names no chore to take an effort from.
DEFAULT_EFFORT = 3


@dataclass(frozen=True)
class TimeEntryInput:
    member_id: str
    minutes: int
    date: date
    load: Load
    chore_id: str | None = None
    effort: int | None = None
    note: str | None = None


def create_time_entry(
    session: Session, *, membership: Membership, data: TimeEntryInput, now: datetime
) -> TimeEntry:
    """Logged by the member themself, or by an admin for a managed member. The effort
    defaults to the chore's, or to the middle of the scale."""
    household = membership.household
    member = named_member(
        session, household_id=household.id, member_id=data.member_id, field="member_id"
    )
    actor = acting_for(membership, member)
    latest = local_day(household, now) + timedelta(days=MAX_DAYS_AHEAD)
    if data.date > latest:
        raise InvalidInput(f"the date cannot be after {latest.isoformat()}", field="date")
    chore = None
    if data.chore_id is not None:
        chore = session.get(Chore, data.chore_id)
        if chore is None or chore.household_id != household.id or chore.archived_at:
            raise InvalidInput(
                f"{data.chore_id} is not a chore of this household", field="chore_id"
            )
    effort = data.effort if data.effort is not None else (chore.effort if chore else DEFAULT_EFFORT)
    entry = TimeEntry(
        household_id=household.id,
        member_id=member.id,
        minutes=data.minutes,
        date=data.date,
        chore_id=data.chore_id,
        load=data.load.value,
        effort=effort,
        note=data.note,
        created_by_member_id=membership.member.id,
    )
    session.add(entry)
    session.flush()
    record(
        session,
        household_id=household.id,
        type=events.TIME_ENTRY_CREATED,
        subject_id=entry.id,
        actor=actor,
        data={
            "member_id": member.id,
            "minutes": entry.minutes,
            "date": entry.date.isoformat(),
            "load": entry.load,
            "chore_id": entry.chore_id,
        },
    )
    return entry


def list_time_entries(
    session: Session,
    *,
    household_id: str,
    member_id: str | None,
    date_from: date | None,
    date_to: date | None,
    after: str | None,
    limit: int,
) -> list[TimeEntry]:
    query = select(TimeEntry).where(col(TimeEntry.household_id) == household_id)
    if member_id is not None:
        query = query.where(col(TimeEntry.member_id) == member_id)
    if date_from is not None:
        query = query.where(col(TimeEntry.date) >= date_from)
    if date_to is not None:
        query = query.where(col(TimeEntry.date) <= date_to)
    query = newest_id_first(query, col(TimeEntry.id), after=after, limit=limit)
    return list(session.scalars(query))
