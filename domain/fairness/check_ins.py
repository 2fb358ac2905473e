"""Check-ins: how fair it feels and how heard each member feels, 1 to 5, beside the numbers.

The note is private to its member (and to the admin who wrote it for a managed member)
unless the member chose to share it; events never carry it.
"""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import record
from domain.chores.members import local_day
from domain.errors import InvalidInput
from domain.fairness.models import CheckIn
from domain.households.models import Member
from domain.households.service import Membership, acting_for
from domain.paging import newest_id_first

RATINGS = range(1, 6)


def create_check_in(
    session: Session,
    *,
    membership: Membership,
    member_id: str,
    fairness: int,
    heard: int,
    note: str | None,
    share_note: bool,
    now: datetime,
) -> CheckIn:
    member = session.get(Member, member_id)
    if member is None or member.household_id != membership.household.id:
        raise InvalidInput(f"{member_id} is not a member of this household", field="member_id")
    actor = acting_for(membership, member)
    for field, value in (("fairness", fairness), ("heard", heard)):
        if value not in RATINGS:
            raise InvalidInput(f"{field} is a rating from 1 to 5", field=field)
    check_in = CheckIn(
        household_id=member.household_id,
        member_id=member.id,
        fairness=fairness,
        heard=heard,
        note=note,
        share_note=share_note,
        date=local_day(membership.household, now),
        created_by_member_id=actor.member_id,
    )
    session.add(check_in)
    session.flush()
    record(
        session,
        household_id=member.household_id,
        type=events.CHECK_IN_CREATED,
        subject_id=check_in.id,
        actor=actor,
        data={"member_id": member.id, "fairness": fairness, "heard": heard},
    )
    return check_in


def list_check_ins(
    session: Session,
    *,
    household_id: str,
    member_id: str | None,
    first: date | None,
    last: date | None,
    after: str | None,
    limit: int,
) -> list[CheckIn]:
    """Newest first."""
    query = select(CheckIn).where(col(CheckIn.household_id) == household_id)
    if member_id is not None:
        query = query.where(col(CheckIn.member_id) == member_id)
    if first is not None:
        query = query.where(col(CheckIn.date) >= first)
    if last is not None:
        query = query.where(col(CheckIn.date) <= last)
    return list(session.scalars(newest_id_first(query, col(CheckIn.id), after=after, limit=limit)))


def visible_note(check_in: CheckIn, *, viewer: Member) -> str | None:
    if check_in.share_note or viewer.id in (check_in.member_id, check_in.created_by_member_id):
        return check_in.note
    return None
