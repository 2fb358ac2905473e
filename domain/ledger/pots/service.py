"""Pots: create, list, read with their balance and stakes, rename, archive or delete."""

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import Conflict, InvalidInput, NotFound
from domain.households.members import household_members
from domain.households.models import Household
from domain.ledger.expenses import money_weights
from domain.ledger.models import Expense
from domain.ledger.pots.models import Pot, PotContribution
from domain.ledger.pots.timeline import find_pot, pot_state
from domain.paging import newest_id_first


@dataclass(frozen=True)
class MemberInPot:
    member_id: str
    contributed: int  # net of withdrawals, pot currency
    held: int  # what is left in the pot that is theirs
    paid: int  # what the pot has paid on their behalf
    contribution_share: Fraction | None  # of everything contributed
    agreed_share: Fraction | None  # the money agreement's share today

    @property
    def deviation(self) -> Fraction | None:
        if self.contribution_share is None or self.agreed_share is None:
            return None
        return self.contribution_share - self.agreed_share


@dataclass(frozen=True)
class PotDetail:
    pot: Pot
    balance: int
    contributed: int
    spent: int
    members: list[MemberInPot]


def create_pot(
    session: Session, *, household: Household, actor: Actor, name: str, currency: str
) -> Pot:
    pot = Pot(household_id=household.id, name=name, currency=currency)
    session.add(pot)
    session.flush()
    record(
        session,
        household_id=household.id,
        type=events.POT_CREATED,
        subject_id=pot.id,
        actor=actor,
        data={"name": pot.name, "currency": pot.currency},
    )
    return pot


def get_pot(session: Session, *, household_id: str, pot_id: str) -> Pot:
    pot = find_pot(session, household_id, pot_id)
    if pot is None:
        raise NotFound("pot not found")
    return pot


def list_pots(session: Session, *, household_id: str, after: str | None, limit: int) -> list[Pot]:
    query = select(Pot).where(Pot.household_id == household_id)
    return list(session.scalars(newest_id_first(query, Pot.id, after=after, limit=limit)))


def balances_of(session: Session, pot_ids: list[str]) -> dict[str, int]:
    """Each pot's balance (contributions minus spending) in two grouped queries."""
    out = dict.fromkeys(pot_ids, 0)
    if not pot_ids:
        return out
    put_in = select(PotContribution.pot_id, func.sum(PotContribution.amount)).where(
        PotContribution.pot_id.in_(pot_ids)
    )
    spent = select(Expense.pot_id, func.sum(Expense.pot_amount)).where(Expense.pot_id.in_(pot_ids))
    for query, sign in ((put_in, 1), (spent, -1)):
        for pot_id, total in session.execute(query.group_by(query.selected_columns[0])):
            out[pot_id] += sign * int(total or 0)
    return out


def is_used(session: Session, pot: Pot) -> bool:
    return bool(
        session.scalar(select(exists().where(PotContribution.pot_id == pot.id)))
        or session.scalar(select(exists().where(Expense.pot_id == pot.id)))
    )


def update_pot(
    session: Session,
    *,
    actor: Actor,
    pot: Pot,
    changes: dict[str, object],
    now: datetime,
) -> Pot:
    if "currency" in changes and changes["currency"] != pot.currency and is_used(session, pot):
        raise Conflict(
            "the pot already has contributions or expenses in its currency; make a new pot",
            field="currency",
        )
    for name, value in changes.items():
        setattr(pot, name, value)
    pot.version += 1
    pot.updated_at = now
    session.add(pot)
    record(
        session,
        household_id=pot.household_id,
        type=events.POT_UPDATED,
        subject_id=pot.id,
        actor=actor,
        data={"fields": sorted(changes)},
    )
    return pot


def delete_pot(session: Session, *, actor: Actor, pot: Pot, now: datetime) -> bool:
    """Delete an unused pot; one with history is archived instead, so the history stays.
    Returns whether it was archived."""
    if is_used(session, pot):
        if not pot.archived:
            update_pot(session, actor=actor, pot=pot, changes={"archived": True}, now=now)
        return True
    record(
        session,
        household_id=pot.household_id,
        type=events.POT_DELETED,
        subject_id=pot.id,
        actor=actor,
        data={"name": pot.name},
    )
    session.delete(pot)
    return False


def pot_detail(session: Session, *, household: Household, pot: Pot) -> PotDetail:
    state = pot_state(session, pot)
    members = household_members(session, household.id)
    try:
        weights = money_weights(members)
        total_weight = sum(weights.values(), Fraction(0))
    except InvalidInput:
        weights, total_weight = {}, Fraction(0)
    ids = list(state.contributed) + [m for m in weights if m not in state.contributed]
    total = sum(state.contributed.values())
    return PotDetail(
        pot=pot,
        balance=state.balance,
        contributed=total,
        spent=state.spent,
        members=[
            MemberInPot(
                member_id=m,
                contributed=state.contributed.get(m, 0),
                held=state.stakes.get(m, 0),
                paid=state.paid_for.get(m, 0),
                contribution_share=Fraction(state.contributed.get(m, 0), total)
                if total > 0
                else None,
                agreed_share=Fraction(weights[m]) / total_weight
                if m in weights and total_weight > 0
                else None,
            )
            for m in ids
        ],
    )
