"""Households and their members."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.accounts.models import User
from domain.activity import events
from domain.activity.service import Actor, record
from domain.db import metadata
from domain.errors import Conflict, Forbidden, NotFound
from domain.households.models import Household, Member
from domain.paging import newest_id_first
from domain.scoping import get_in_household

ADMIN = "admin"


@dataclass(frozen=True)
class Membership:
    """The caller inside one household: the household and the caller's own member row."""

    household: Household
    member: Member
    user_id: str

    @property
    def is_admin(self) -> bool:
        return self.member.role == ADMIN

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, member_id=self.member.id)


def lock_household(session: Session, household_id: str) -> None:
    """Serialise changes to who belongs to a household and who administers it.

    On PostgreSQL each concurrent request reads the members as of its own snapshot: two
    admins demoting each other would each see the other still admin, and both succeed. The
    household's row lock (FOR NO KEY UPDATE: it does not block rows that merely refer to the
    household) makes the second wait and then read what the first committed. Taken before
    anything else in the transaction is written; SQLite's BEGIN IMMEDIATE already serialises.
    """
    session.execute(
        select(Household.id).where(Household.id == household_id).with_for_update(key_share=True)
    )


def find_membership(session: Session, *, user_id: str, household_id: str) -> Membership:
    """The one place that decides whether a caller can see a household (else: 404)."""
    row = session.execute(
        select(Household, Member)
        .join(Member, Member.household_id == Household.id)
        .where(Household.id == household_id, Member.user_id == user_id)
    ).first()
    if row is None:
        raise NotFound("household not found")
    return Membership(household=row[0], member=row[1], user_id=user_id)


def list_households(
    session: Session, *, user_id: str, only: str | None, before_id: str | None, limit: int
) -> list[tuple[Household, Member]]:
    query = (
        select(Household, Member)
        .join(Member, Member.household_id == Household.id)
        .where(Member.user_id == user_id)
    )
    if only is not None:
        query = query.where(Household.id == only)
    query = newest_id_first(query, Household.id, after=before_id, limit=limit)
    return [(h, m) for h, m in session.execute(query)]


def create_household(
    session: Session,
    *,
    user: User,
    name: str,
    currency: str,
    timezone: str,
    now: datetime | None = None,
) -> tuple[Household, Member]:
    """`now` (the request's clock) dates the household and its first member: a member's
    time target counts from the day they joined."""
    at = {"created_at": now} if now is not None else {}
    household = Household(name=name, currency=currency, timezone=timezone, **at)
    member = Member(
        household_id=household.id,
        user_id=user.id,
        display_name=user.display_name,
        role=ADMIN,
        **at,
    )
    session.add(household)
    session.flush()
    session.add(member)
    session.flush()
    actor = Actor(user_id=user.id, member_id=member.id)
    record(
        session,
        household_id=household.id,
        type=events.HOUSEHOLD_CREATED,
        subject_id=household.id,
        actor=actor,
        data={"name": name},
    )
    record(
        session,
        household_id=household.id,
        type=events.MEMBER_CREATED,
        subject_id=member.id,
        actor=actor,
        data={"display_name": member.display_name},
    )
    return household, member


def update_household(
    session: Session, *, membership: Membership, changes: dict[str, object]
) -> Household:
    household = membership.household
    for field, value in changes.items():
        setattr(household, field, value)
    household.version += 1
    record(
        session,
        household_id=household.id,
        type=events.HOUSEHOLD_UPDATED,
        subject_id=household.id,
        actor=membership.actor,
        data={"fields": sorted(changes)},
    )
    return household


def delete_household(session: Session, *, membership: Membership) -> None:
    """Everything the household owns goes, dependents first, then its members, then itself.

    The foreign keys would cascade from the household row alone, but PostgreSQL checks the
    RESTRICT references to a member (an expense's payers and shares, settlements, votes,
    contributions) as the cascade reaches the member, before it reaches the rows that name
    them, and refused the delete of any household with history. So every table with a
    `household_id` is emptied of the household's rows first, in reverse dependency order (an
    expense before the pot it was paid from), each an ordinary delete that cascades to its
    own parts and that the kept-totals triggers follow; then the members; then the household.
    The tables come from the metadata, so a feature's new table is included without a line
    here (every model is registered before a request is served: api/app.py imports them all).
    """
    household_id = membership.household.id
    owned = [
        table
        for table in reversed(metadata().sorted_tables)
        if "household_id" in table.c and table.name not in (Member.__tablename__,)
    ]
    for table in owned:
        session.execute(delete(table).where(table.c.household_id == household_id))
    session.execute(delete(Member).where(col(Member.household_id) == household_id))
    session.delete(membership.household)


def list_members(
    session: Session, *, household_id: str, before_id: str | None, limit: int
) -> list[Member]:
    query = select(Member).where(Member.household_id == household_id)
    query = newest_id_first(query, Member.id, after=before_id, limit=limit)
    return list(session.scalars(query))


def get_member(session: Session, *, household_id: str, member_id: str) -> Member:
    return get_in_household(session, Member, member_id, household_id, what="member")


def add_member(
    session: Session,
    *,
    membership: Membership,
    fields: dict[str, object],
    now: datetime | None = None,
) -> Member:
    at = {"created_at": now} if now is not None else {}
    member = Member(household_id=membership.household.id, **fields, **at)
    session.add(member)
    session.flush()
    record(
        session,
        household_id=member.household_id,
        type=events.MEMBER_CREATED,
        subject_id=member.id,
        actor=membership.actor,
        data={"display_name": member.display_name},
    )
    return member


def update_member(
    session: Session, *, membership: Membership, member: Member, changes: dict[str, object]
) -> Member:
    is_self = member.id == membership.member.id
    if "role" in changes or "active" in changes:
        _lock_and_reread(session, membership, member)
    if not membership.is_admin and not is_self:
        raise Forbidden("only an admin may change another member")
    if "role" in changes and not membership.is_admin:
        raise Forbidden("only an admin may change roles", field="role")
    demoted = member.role == ADMIN and (
        changes.get("role", ADMIN) != ADMIN or changes.get("active") is False
    )
    if demoted:
        _ensure_another_admin(session, member)
    for field, value in changes.items():
        setattr(member, field, value)
    member.version += 1
    record(
        session,
        household_id=member.household_id,
        type=events.MEMBER_UPDATED,
        subject_id=member.id,
        actor=membership.actor,
        data={"fields": sorted(changes)},
    )
    return member


def ensure_may_remove(*, membership: Membership, member: Member) -> None:
    """Who may remove whom, asked before anything else about the member (their balance):
    a caller who may not remove them learns nothing more than that."""
    if not membership.is_admin and member.id != membership.member.id:
        raise Forbidden("only an admin may remove another member")


def remove_member(session: Session, *, membership: Membership, member: Member) -> None:
    ensure_may_remove(membership=membership, member=member)
    _lock_and_reread(session, membership, member)
    if member.role == ADMIN:
        _ensure_another_admin(session, member)
    record(
        session,
        household_id=member.household_id,
        type=events.MEMBER_DELETED,
        subject_id=member.id,
        actor=membership.actor,
        data={"display_name": member.display_name},
    )
    session.delete(member)


def acting_for(membership: Membership, member: Member) -> Actor:
    """Who may act as `member` (vote, respond, check in, complete): the member themself, or
    an admin for a managed member without an account, recorded as done on their behalf."""
    if member.household_id != membership.household.id:
        raise NotFound("member not found", field="member_id")
    if member.id == membership.member.id:
        return membership.actor
    if membership.is_admin and member.user_id is None:
        return Actor(
            user_id=membership.user_id,
            member_id=membership.member.id,
            on_behalf_of_member_id=member.id,
        )
    raise Forbidden(
        "only the member themself, or an admin for a member without an account, may do this"
    )


def _lock_and_reread(session: Session, membership: Membership, member: Member) -> None:
    """The household locked, then the caller's and the member's rows read again: a role the
    request loaded before the lock may have changed while it waited."""
    lock_household(session, member.household_id)
    session.refresh(membership.member)
    if member is not membership.member:
        session.refresh(member)


def _ensure_another_admin(session: Session, member: Member) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(Member)
        .where(
            Member.household_id == member.household_id,
            Member.role == ADMIN,
            Member.active.is_(True),
            Member.user_id.is_not(None),
            Member.id != member.id,
        )
    )
    if not others:
        raise Conflict("a household needs at least one admin: make someone else admin first")


def visible_income(member: Member, *, viewer: Member) -> tuple[int, str] | None:
    """A private income is shown only to its own member (the engine still uses it)."""
    if member.monthly_income_amount is None or member.monthly_income_currency is None:
        return None
    if member.income_visibility == "private" and member.id != viewer.id:
        return None
    return member.monthly_income_amount, member.monthly_income_currency
