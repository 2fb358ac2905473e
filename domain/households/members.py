"""The members a request names: every feature checks them the same way, here."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.errors import InvalidInput
from domain.households.models import Member


def household_members(session: Session, household_id: str) -> dict[str, Member]:
    """Every member, oldest first: that is the rotation order when everyone is eligible."""
    query = select(Member).where(col(Member.household_id) == household_id).order_by(col(Member.id))
    return {member.id: member for member in session.scalars(query)}


def named_member(session: Session, *, household_id: str, member_id: str, field: str) -> Member:
    """A member a request body names: one of another household is bad input, not a 404."""
    member = session.get(Member, member_id)
    if member is None or member.household_id != household_id:
        raise InvalidInput(f"{member_id} is not a member of this household", field=field)
    if not member.active:
        raise InvalidInput(f"{member.display_name} is not an active member", field=field)
    return member


def check_members(
    members: dict[str, Member], ids: Sequence[str], field_prefix: str, *, key: str = "member_id"
) -> None:
    """Each id names an active member of `members`; the error points at the list entry."""
    for index, member_id in enumerate(ids):
        member = members.get(member_id)
        where = f"{field_prefix}.{index}.{key}" if key else field_prefix
        if member is None:
            raise InvalidInput(f"{member_id} is not a member of this household", field=where)
        if not member.active:
            raise InvalidInput(f"{member.display_name} is not an active member", field=where)
