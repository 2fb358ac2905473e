"""The household as chores see it: its day, and the members a request names."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import InvalidInput
from domain.households.models import Household, Member
from domain.recurrence import household_zone


def local_day(household: Household, moment: datetime) -> date:
    """The day `moment` falls on in the household's zone: chores are due on such days."""
    return moment.astimezone(household_zone(household.timezone)).date()


def household_members(session: Session, household_id: str) -> dict[str, Member]:
    """Every member, oldest first: that is the rotation order when everyone is eligible."""
    query = select(Member).where(Member.household_id == household_id).order_by(Member.id)
    return {member.id: member for member in session.scalars(query)}


def named_member(session: Session, *, household_id: str, member_id: str, field: str) -> Member:
    """A member a request body names: one of another household is bad input, not a 404."""
    member = session.get(Member, member_id)
    if member is None or member.household_id != household_id:
        raise InvalidInput(f"{member_id} is not a member of this household", field=field)
    if not member.active:
        raise InvalidInput(f"{member.display_name} is not an active member", field=field)
    return member
