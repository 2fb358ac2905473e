"""Completing, skipping and reassigning occurrences.

Completion is idempotent: a done occurrence stays exactly as it was first completed, so a
button pressed twice, or a retried request, changes nothing and records one event.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.chores.members import local_day
from domain.chores.models import Chore, ChoreOccurrence, Status
from domain.chores.occurrences import materialise_household
from domain.chores.planning import eligible_lists, eligible_now, is_away
from domain.errors import Conflict, InvalidInput
from domain.households.members import household_members, named_member
from domain.households.models import Household, Member
from domain.households.service import Membership, acting_for

# A device whose clock runs a little ahead may still say "just now".
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Completion:
    """Who did it (default: the caller), how long it took (default: the estimate), when
    (default: now)."""

    member_id: str | None = None
    minutes: int | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True)
class _Doer:
    member: Member
    actor: Actor
    at: datetime


def complete_occurrence(
    session: Session,
    *,
    membership: Membership,
    occurrence: ChoreOccurrence,
    completion: Completion,
    now: datetime,
) -> ChoreOccurrence:
    doer = _doer(session, membership, completion, now)
    if occurrence.status == Status.DONE:
        return occurrence
    chore = session.get_one(Chore, occurrence.chore_id)
    _finish(session, membership.household, occurrence, chore, doer, completion.minutes)
    return occurrence


def complete_chore(
    session: Session,
    *,
    membership: Membership,
    chore: Chore,
    completion: Completion,
    now: datetime,
    horizon_days: int | None = None,
) -> ChoreOccurrence:
    """One call from a button: the earliest open occurrence due by the day of completion
    (for a one-off chore, its open occurrence whenever it is due), or else an ad-hoc
    occurrence on that day. If that day's occurrence is already done, it is returned as is:
    a tag tapped twice logs the chore once."""
    household = membership.household
    doer = _doer(session, membership, completion, now)
    materialise_household(session, household=household, now=now, horizon_days=horizon_days)
    day = local_day(household, doer.at)
    occurrence = _next_open(session, chore, day) or _on_day(session, chore, day)
    if occurrence is None:
        occurrence = _ad_hoc(session, chore, day)
    if occurrence.status == Status.DONE:
        return occurrence
    _finish(session, household, occurrence, chore, doer, completion.minutes)
    return occurrence


def skip_occurrence(
    session: Session, *, membership: Membership, occurrence: ChoreOccurrence
) -> ChoreOccurrence:
    if occurrence.status == Status.DONE:
        raise Conflict("this occurrence is already done; it cannot be skipped")
    if occurrence.status == Status.SKIPPED:
        return occurrence
    occurrence.status = Status.SKIPPED.value
    occurrence.version += 1
    record(
        session,
        household_id=occurrence.household_id,
        type=events.CHORE_SKIPPED,
        subject_id=occurrence.id,
        actor=membership.actor,
        data={"chore_id": occurrence.chore_id, "due_on": occurrence.due_on.isoformat()},
    )
    return occurrence


def reassign_occurrence(
    session: Session, *, membership: Membership, occurrence: ChoreOccurrence, member_id: str
) -> ChoreOccurrence:
    """To an eligible member who is not away that day."""
    if occurrence.status != Status.OPEN:
        raise Conflict(f"this occurrence is {occurrence.status}; only an open one is reassigned")
    household_id = occurrence.household_id
    member = named_member(
        session, household_id=household_id, member_id=member_id, field="member_id"
    )
    chore = session.get_one(Chore, occurrence.chore_id)
    explicit = eligible_lists(session, [chore.id])[chore.id]
    if member.id not in eligible_now(chore, explicit, household_members(session, household_id)):
        raise InvalidInput(
            f"{member.display_name} is not eligible for this chore", field="member_id"
        )
    if is_away(session, member_id=member.id, day=occurrence.due_on):
        raise InvalidInput(
            f"{member.display_name} is away on {occurrence.due_on.isoformat()}", field="member_id"
        )
    if occurrence.assigned_member_id == member.id:
        return occurrence
    assign(session, occurrence, member.id, actor=membership.actor, reason="reassigned")
    return occurrence


def assign(
    session: Session,
    occurrence: ChoreOccurrence,
    member_id: str | None,
    *,
    actor: Actor,
    reason: str,
) -> None:
    """Give an occurrence to someone else (None: nobody) and say so: `chore.assigned`."""
    previous = occurrence.assigned_member_id
    occurrence.assigned_member_id = member_id
    occurrence.version += 1
    record(
        session,
        household_id=occurrence.household_id,
        type=events.CHORE_ASSIGNED,
        subject_id=occurrence.id,
        actor=actor,
        data={
            "chore_id": occurrence.chore_id,
            "due_on": occurrence.due_on.isoformat(),
            "member_id": member_id,
            "previous_member_id": previous,
            "reason": reason,
        },
    )


def _doer(session: Session, membership: Membership, completion: Completion, now: datetime) -> _Doer:
    if completion.member_id is None:
        member = membership.member
    else:
        member = named_member(
            session,
            household_id=membership.household.id,
            member_id=completion.member_id,
            field="member_id",
        )
    actor = acting_for(membership, member)
    at = (completion.completed_at or now).astimezone(UTC)
    if at > now + CLOCK_SKEW:
        raise InvalidInput("completed_at cannot be in the future", field="completed_at")
    return _Doer(member, actor, at)


def _finish(
    session: Session,
    household: Household,
    occurrence: ChoreOccurrence,
    chore: Chore,
    doer: _Doer,
    minutes: int | None,
) -> None:
    occurrence.status = Status.DONE.value
    occurrence.completed_by_member_id = doer.member.id
    occurrence.completed_at = doer.at
    occurrence.completed_on = local_day(household, doer.at)
    occurrence.minutes = chore.estimated_minutes if minutes is None else minutes
    occurrence.effort = chore.effort
    occurrence.load = chore.load
    occurrence.version += 1
    record(
        session,
        household_id=household.id,
        type=events.CHORE_COMPLETED,
        subject_id=occurrence.id,
        actor=doer.actor,
        data={
            "chore_id": chore.id,
            "due_on": occurrence.due_on.isoformat(),
            "member_id": doer.member.id,
            "assigned_member_id": occurrence.assigned_member_id,
            "minutes": occurrence.minutes,
            "completed_at": doer.at.isoformat(),
        },
    )


def _next_open(session: Session, chore: Chore, day: date) -> ChoreOccurrence | None:
    query = select(ChoreOccurrence).where(
        col(ChoreOccurrence.chore_id) == chore.id, col(ChoreOccurrence.status) == Status.OPEN
    )
    if chore.recurrence is not None:
        query = query.where(col(ChoreOccurrence.due_on) <= day)
    query = query.order_by(col(ChoreOccurrence.due_on)).limit(1).with_for_update()
    return session.scalars(query).first()


def _on_day(session: Session, chore: Chore, day: date) -> ChoreOccurrence | None:
    query = select(ChoreOccurrence).where(
        col(ChoreOccurrence.chore_id) == chore.id, col(ChoreOccurrence.due_on) == day
    )
    return session.scalars(query.with_for_update()).first()


def _ad_hoc(session: Session, chore: Chore, day: date) -> ChoreOccurrence:
    """A completion nobody planned: an occurrence on the day, assigned to nobody."""
    try:
        with session.begin_nested():
            occurrence = ChoreOccurrence(
                household_id=chore.household_id, chore_id=chore.id, due_on=day
            )
            session.add(occurrence)
            session.flush()
        return occurrence
    except IntegrityError:
        # Another tap created it a moment ago: use theirs (done, so this one is a no-op).
        found = _on_day(session, chore, day)
        assert found is not None
        return found
