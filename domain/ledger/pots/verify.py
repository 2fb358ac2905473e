"""The kept pot state checked against a full replay, and repaired (`fairstead verify`).

The definition is the replay of the pot's whole history from its start: the state kept after
each day (pot_days) and every pot-paid expense's payers must equal what it gives.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.errors import Conflict
from domain.ledger.pots.days import kept_days
from domain.ledger.pots.models import Pot
from domain.ledger.pots.replay import replay_days
from domain.ledger.pots.timeline import in_household_currency, reallocate, stored_payers, timeline
from domain.ledger.values import MemberAmount


@dataclass(frozen=True, slots=True)
class PotDrift:
    pot_id: str
    what: str
    repairable: bool = True


def drift(session: Session, *, household_id: str) -> list[PotDrift]:
    """Every pot of the household whose kept days or payers differ from a full replay."""
    pots = session.scalars(
        select(Pot).where(col(Pot.household_id) == household_id).order_by(col(Pot.id))
    )
    return [found for pot in pots if (found := pot_drift(session, pot)) is not None]


def pot_drift(session: Session, pot: Pot) -> PotDrift | None:
    entries, expenses = timeline(session, pot)
    try:
        state, days = replay_days(entries, currency=pot.currency)
    except Conflict as exc:
        return PotDrift(pot.id, f"its history does not replay: {exc.detail}", repairable=False)
    kept = kept_days(session, pot.id)
    if kept != days:
        have, want = dict(kept), dict(days)
        day = min(d for d in have.keys() | want.keys() if have.get(d) != want.get(d))
        return PotDrift(pot.id, f"day {day}: kept {have.get(day)}, replayed {want.get(day)}")
    stored = stored_payers(session, pot.id)
    for expense_id in sorted(expenses):
        parts = state.payers.get(expense_id, [])
        want_payers = in_household_currency(parts, expenses[expense_id])
        if stored.get(expense_id, []) != want_payers:
            return PotDrift(
                pot.id,
                f"expense {expense_id}: payers kept {_text(stored.get(expense_id, []))}, "
                f"replayed {_text(want_payers)}",
            )
    return None


def repair(session: Session, found: list[PotDrift]) -> None:
    """Replay each drifted pot from its start, rewriting its days and payers."""
    for item in found:
        if item.repairable:
            reallocate(session, session.get_one(Pot, item.pot_id), since=None)


def _text(payers: list[MemberAmount]) -> str:
    return "[" + ", ".join(f"{p.member_id}={p.amount}" for p in payers) + "]"
