"""Members' monthly incomes as a dated history, and the income in force on a day.

An income is in force from its `effective_from` until the next one. Before a member's first
recorded income the earliest one applies (a history started today still splits last month's
bills), and a member with no history at all falls back to `monthly_income` on the member,
which is kept equal to the income in force today.
"""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.households.income_models import MemberIncome
from domain.households.models import Member
from domain.paging import newest_first

Income = tuple[int, str]  # minor units, currency


def can_see(member: Member, *, viewer: Member) -> bool:
    """Private incomes are shown only to their member, as on the member itself."""
    return member.income_visibility != "private" or member.id == viewer.id


def ensure_visible(member: Member, *, viewer: Member) -> None:
    if not can_see(member, viewer=viewer):
        raise Forbidden(f"{member.display_name}'s income is private")


def record_income(
    session: Session,
    *,
    member: Member,
    actor: Actor,
    amount: int,
    currency: str,
    effective_from: date,
    today: date,
) -> MemberIncome:
    if amount < 0:
        raise InvalidInput("a monthly income is 0 or more", field="amount")
    # How far ahead a raise may be recorded: a signed contract, not a guess about next decade.
    if effective_from > _a_year_after(today):
        raise InvalidInput(
            f"{effective_from.isoformat()} is more than a year ahead; record it closer to the "
            "day it takes effect",
            field="effective_from",
        )
    income = MemberIncome(
        household_id=member.household_id,
        member_id=member.id,
        amount=amount,
        currency=currency,
        effective_from=effective_from,
        created_by_member_id=actor.member_id,
    )
    try:
        with session.begin_nested():
            session.add(income)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"{member.display_name} already has an income from {effective_from.isoformat()}",
            field="effective_from",
        ) from exc
    sync_member(session, member=member, today=today)
    record(
        session,
        household_id=member.household_id,
        type=events.MEMBER_INCOME_RECORDED,
        subject_id=member.id,
        actor=actor,
        data={"effective_from": effective_from.isoformat()},
    )
    return income


def _a_year_after(day: date) -> date:
    return date(day.year + 1, day.month, min(day.day, 28 if day.month == 2 else day.day))


def sync_member(session: Session, *, member: Member, today: date) -> None:
    """Keep `monthly_income` on the member equal to the income in force today."""
    current = incomes_on(session, [member], today).get(member.id)
    if current is None:
        return
    if (member.monthly_income_amount, member.monthly_income_currency) != current:
        member.monthly_income_amount, member.monthly_income_currency = current
        member.version += 1
        session.add(member)


def list_incomes(
    session: Session, *, member: Member, after: tuple[date, str] | None, limit: int
) -> list[MemberIncome]:
    """Newest `effective_from` first."""
    query = select(MemberIncome).where(col(MemberIncome.member_id) == member.id)
    query = newest_first(
        query, MemberIncome.effective_from, MemberIncome.id, after=after, limit=limit
    )
    return list(session.scalars(query))


def incomes_on(session: Session, members: Sequence[Member], on: date | None) -> dict[str, Income]:
    """Each member's income in force on `on` (today's, on the member, when None)."""
    out: dict[str, Income] = {}
    for m in members:
        if m.monthly_income_amount is not None and m.monthly_income_currency is not None:
            out[m.id] = (m.monthly_income_amount, m.monthly_income_currency)
    if on is None or not members:
        return out
    rows = session.execute(
        select(
            col(MemberIncome.member_id),
            col(MemberIncome.effective_from),
            col(MemberIncome.amount),
            col(MemberIncome.currency),
        )
        .where(col(MemberIncome.member_id).in_([m.id for m in members]))
        .order_by(col(MemberIncome.member_id), col(MemberIncome.effective_from))
    )
    earliest: dict[str, Income] = {}
    in_force: dict[str, Income] = {}
    for member_id, effective_from, amount, currency in rows:
        earliest.setdefault(member_id, (int(amount), currency))
        if effective_from <= on:
            in_force[member_id] = (int(amount), currency)
    return out | earliest | in_force


def follow_member_field(session: Session, *, member: Member, today: date) -> None:
    """`monthly_income` set on the member itself is the income from today on: written
    into the history too, so the history and the member never disagree."""
    amount, currency = member.monthly_income_amount, member.monthly_income_currency
    if amount is None or currency is None:
        return  # cleared: the past months keep the incomes they had
    row = session.scalar(
        select(MemberIncome).where(
            col(MemberIncome.member_id) == member.id, col(MemberIncome.effective_from) == today
        )
    )
    if row is None:
        row = MemberIncome(
            household_id=member.household_id,
            member_id=member.id,
            amount=amount,
            currency=currency,
            effective_from=today,
        )
    row.amount, row.currency = amount, currency
    session.add(row)
    session.flush()
