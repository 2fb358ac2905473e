"""Settlements, balances (aggregated in SQL) and the stable settle-up plan."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import Conflict, InvalidInput
from domain.households.members import check_members, household_members
from domain.households.models import Household, Member
from domain.ledger import totals
from domain.ledger.conversion import to_household_currency
from domain.ledger.models import Settlement, SettleUpPlan
from domain.ledger.pots.models import PotContribution
from domain.ledger.settle_up import Plan, settle_up
from domain.ledger.values import Transfer
from domain.paging import newest_id_first
from domain.scoping import get_in_household


@dataclass(frozen=True)
class SettlementInput:
    from_member_id: str
    to_member_id: str
    amount: int
    currency: str
    date: date
    note: str | None = None
    exchange_rate: Decimal | None = None


@dataclass(frozen=True)
class MemberBalance:
    member_id: str
    paid: int
    owed: int
    net: int


def create_settlement(
    session: Session, *, household: Household, actor: Actor, data: SettlementInput
) -> Settlement:
    if data.amount <= 0:
        raise InvalidInput("a settlement moves a positive amount", field="amount")
    if data.from_member_id == data.to_member_id:
        raise InvalidInput("a member cannot pay themself", field="to_member_id")
    members = household_members(session, household.id)
    check_members(members, [data.from_member_id], "from_member_id", key="")
    check_members(members, [data.to_member_id], "to_member_id", key="")
    converted = to_household_currency(
        session,
        household=household,
        amount=data.amount,
        currency=data.currency,
        rate=data.exchange_rate,
        on=data.date,
    )
    settlement = Settlement(
        household_id=household.id,
        from_member_id=data.from_member_id,
        to_member_id=data.to_member_id,
        amount=converted.amount,
        currency=household.currency,
        original_amount=data.amount,
        original_currency=data.currency,
        exchange_rate=str(converted.rate) if converted.rate is not None else None,
        date=data.date,
        note=data.note,
        created_by_member_id=actor.member_id,
    )
    session.add(settlement)
    session.flush()
    record(
        session,
        household_id=household.id,
        type=events.SETTLEMENT_CREATED,
        subject_id=settlement.id,
        actor=actor,
        data={
            "from_member_id": data.from_member_id,
            "to_member_id": data.to_member_id,
            "amount": settlement.amount,
            "currency": settlement.currency,
        },
    )
    return settlement


def get_settlement(session: Session, *, household_id: str, settlement_id: str) -> Settlement:
    return get_in_household(session, Settlement, settlement_id, household_id, what="settlement")


def list_settlements(
    session: Session,
    *,
    household_id: str,
    member_id: str | None,
    after: str | None,
    limit: int,
) -> list[Settlement]:
    query = select(Settlement).where(col(Settlement.household_id) == household_id)
    if member_id is not None:
        query = query.where(
            (col(Settlement.from_member_id) == member_id)
            | (col(Settlement.to_member_id) == member_id)
        )
    query = newest_id_first(query, col(Settlement.id), after=after, limit=limit)
    return list(session.scalars(query))


def balances(session: Session, *, household_id: str) -> list[MemberBalance]:
    """paid - owed + sent - received per member, read from the totals the database keeps
    (domain/ledger/totals.py): one row per member, however long the history."""
    return [
        MemberBalance(member_id, t.paid, t.owed, t.net)
        for member_id, t in totals.kept(session, household_id=household_id).items()
    ]


def current_plan(
    session: Session, *, household_id: str, read_balances: list[MemberBalance] | None = None
) -> tuple[Plan, bool]:
    """The fewest transfers, and whether the plan kept for the household must change. The
    last plan served is kept so that paying one transfer leaves the others exactly as they
    were; reading it writes nothing (see `settle_up_plan`). `read_balances`: the
    household's `balances`, when the caller has read them (the plan is made from them)."""
    if read_balances is None:
        read_balances = balances(session, household_id=household_id)
    nets = {b.member_id: b.net for b in read_balances}
    stored: list[dict[str, Any]] | None = session.scalar(
        select(col(SettleUpPlan.transfers)).where(col(SettleUpPlan.household_id) == household_id)
    )
    previous = [Transfer(t["from_member_id"], t["to_member_id"], t["amount"]) for t in stored or []]
    plan = settle_up(nets, previous=previous or None, order=list(nets))
    return plan, stored is None or stored != _plan_json(plan)


def settle_up_plan(
    session: Session,
    *,
    household_id: str,
    now: datetime,
    read_balances: list[MemberBalance] | None = None,
) -> Plan:
    """The current plan, stored as the one served when it changed (a write)."""
    plan, changed = current_plan(session, household_id=household_id, read_balances=read_balances)
    if not changed:
        return plan
    transfers = _plan_json(plan)
    stored = session.get(SettleUpPlan, household_id)
    if stored is None:
        try:
            with session.begin_nested():
                session.add(
                    SettleUpPlan(household_id=household_id, transfers=transfers, updated_at=now)
                )
        except IntegrityError:
            # A concurrent first request stored its plan first: keep that one; the next
            # request reconciles against it as against any plan served before.
            pass
    else:
        stored.transfers = transfers
        stored.updated_at = now
    return plan


def _plan_json(plan: Plan) -> list[dict[str, Any]]:
    return [
        {"from_member_id": t.from_member_id, "to_member_id": t.to_member_id, "amount": t.amount}
        for t in plan.transfers
    ]


def ensure_member_removable(session: Session, *, member: Member) -> None:
    """A member who still owes or is owed cannot be deleted: settle first."""
    for balance in balances(session, household_id=member.household_id):
        if balance.member_id == member.id and balance.net != 0:
            raise Conflict(
                f"{member.display_name} still has a balance of {balance.net}; settle up first, "
                "or deactivate the member (PATCH active=false) to keep the history"
            )
    if session.scalar(select(exists().where(col(PotContribution.member_id) == member.id))):
        raise Conflict(
            f"{member.display_name} has contributions in a pot, which stay theirs; deactivate "
            "the member (PATCH active=false) to keep the history"
        )
