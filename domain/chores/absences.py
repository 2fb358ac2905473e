"""Absences: days a member is away. Nothing is planned for them then, and what was already
planned for them moves to the next member by each chore's strategy."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.chores.assignment import Due
from domain.chores.completion import assign
from domain.chores.members import local_day
from domain.chores.models import Absence, Chore, ChoreOccurrence, Status
from domain.chores.planning import assignments, plan, weight_of
from domain.errors import InvalidInput, NotFound
from domain.households.members import household_members
from domain.households.models import Member
from domain.households.service import Membership, acting_for
from domain.paging import newest_id_first


def create_absence(
    session: Session,
    *,
    membership: Membership,
    member: Member,
    first_day: date,
    last_day: date,
    now: datetime,
) -> Absence:
    """The member themself, or an admin for a managed member, marks them away."""
    actor = acting_for(membership, member)
    if last_day < first_day:
        raise InvalidInput("an absence cannot end before it starts", field="to")
    absence = Absence(
        household_id=member.household_id,
        member_id=member.id,
        first_day=first_day,
        last_day=last_day,
    )
    session.add(absence)
    session.flush()
    moved = _move_away(session, membership, member, absence, actor, now)
    record(
        session,
        household_id=member.household_id,
        type=events.ABSENCE_CREATED,
        subject_id=absence.id,
        actor=actor,
        data={
            "member_id": member.id,
            "from": first_day.isoformat(),
            "to": last_day.isoformat(),
            "moved_occurrences": moved,
        },
    )
    return absence


def _move_away(
    session: Session,
    membership: Membership,
    member: Member,
    absence: Absence,
    actor: Actor,
    now: datetime,
) -> int:
    """Re-plan the member's open occurrences in the absence, as if each rotation had just
    reached them; an occurrence nobody present may take is left unassigned."""
    stranded = list(
        session.scalars(
            select(ChoreOccurrence)
            .where(
                col(ChoreOccurrence.assigned_member_id) == member.id,
                col(ChoreOccurrence.status) == Status.OPEN,
                col(ChoreOccurrence.due_on) >= absence.first_day,
                col(ChoreOccurrence.due_on) <= absence.last_day,
            )
            .order_by(col(ChoreOccurrence.due_on), col(ChoreOccurrence.chore_id))
        )
    )
    if not stranded:
        return 0
    chore_ids = {occurrence.chore_id for occurrence in stranded}
    chores = {
        chore.id: chore
        for chore in session.scalars(select(Chore).where(col(Chore.id).in_(chore_ids)))
    }
    dues = [Due(o.chore_id, o.due_on, weight_of(chores[o.chore_id])) for o in stranded]
    members = household_members(session, member.household_id)
    planned = plan(
        session,
        household_id=member.household_id,
        dues=dues,
        chores=assignments(session, list(chores.values()), members),
        today=local_day(membership.household, now),
        rotation=dict.fromkeys(chore_ids, member.id),
    )
    for occurrence, assignee in zip(stranded, planned, strict=True):
        assign(session, occurrence, assignee, actor=actor, reason="absence")
    return len(stranded)


def get_absence(session: Session, *, member: Member, absence_id: str) -> Absence:
    absence = session.get(Absence, absence_id)
    if absence is None or absence.member_id != member.id:
        raise NotFound("absence not found")
    return absence


def list_absences(
    session: Session, *, member: Member, after: str | None, limit: int
) -> list[Absence]:
    query = select(Absence).where(col(Absence.member_id) == member.id)
    return list(session.scalars(newest_id_first(query, col(Absence.id), after=after, limit=limit)))


def delete_absence(
    session: Session, *, membership: Membership, member: Member, absence: Absence
) -> None:
    """Occurrences moved away when it was created stay with whoever has them now."""
    actor = acting_for(membership, member)
    record(
        session,
        household_id=member.household_id,
        type=events.ABSENCE_DELETED,
        subject_id=absence.id,
        actor=actor,
        data={
            "member_id": member.id,
            "from": absence.first_day.isoformat(),
            "to": absence.last_day.isoformat(),
        },
    )
    session.delete(absence)
