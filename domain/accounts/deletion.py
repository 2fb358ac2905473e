"""Deleting one's account without unbalancing anyone's books.

The user row, its tokens and its stored idempotent responses go. Each membership stays, as
a managed member (no account) under a pseudonym, so every expense, share, settlement, chore
and ballot that names it still adds up for the people who remain; the household's admins
can then settle with it and remove it like any managed member. A sole admin must hand
over first, or the household would be left with nobody able to run it.
"""

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.accounts.models import ApiToken, User, WebSession
from domain.accounts.passwords import verify_password
from domain.activity.events import MEMBER_ACCOUNT_DELETED
from domain.activity.models import Event
from domain.activity.service import Actor, record
from domain.errors import Conflict, Forbidden
from domain.households.models import Household, Member
from domain.households.service import lock_household
from domain.idempotency.models import IdempotencyRecord

ADMIN = "admin"


def pseudonym(member: Member) -> str:
    """Stable, and distinct within a household: members' ids are unique."""
    return f"Former member {member.id.replace('-', '')[-6:]}"


def _households_needing_another_admin(session: Session, members: list[Member]) -> list[str]:
    names = []
    for member in sorted(members, key=lambda member: member.household_id):  # lock order
        if member.role != ADMIN:
            continue
        lock_household(session, member.household_id)
        others = session.scalar(
            select(func.count())
            .select_from(Member)
            .where(
                col(Member.household_id) == member.household_id,
                col(Member.role) == ADMIN,
                col(Member.active).is_(True),
                col(Member.user_id).is_not(None),
                col(Member.id) != member.id,
            )
        )
        if not others:
            household = session.get(Household, member.household_id)
            names.append(f"{household.name!r} ({member.household_id})" if household else "?")
    return names


def delete_account(session: Session, *, user: User, current_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise Forbidden("the current password is wrong", field="current_password")
    members = list(session.scalars(select(Member).where(col(Member.user_id) == user.id)))
    sole = _households_needing_another_admin(session, members)
    if sole:
        raise Conflict(
            "you are the only admin of "
            + ", ".join(sole)
            + ": make another member with an account admin, or delete the household, first"
        )
    for member in members:
        member.display_name = pseudonym(member)
        member.user_id = None
        member.role = "member"
        member.version += 1
        record(
            session,
            household_id=member.household_id,
            type=MEMBER_ACCOUNT_DELETED,
            subject_id=member.id,
            actor=Actor(user_id=None, member_id=member.id),
            data={"display_name": member.display_name},
        )
    # What they did stays in the activity feed, attributed to the member, not the account.
    session.execute(
        update(Event).where(col(Event.actor_user_id) == user.id).values(actor_user_id=None)
    )
    session.execute(delete(IdempotencyRecord).where(col(IdempotencyRecord.user_id) == user.id))
    session.execute(delete(ApiToken).where(col(ApiToken.user_id) == user.id))
    session.execute(delete(WebSession).where(col(WebSession.user_id) == user.id))
    session.flush()
    session.delete(user)
    session.flush()
