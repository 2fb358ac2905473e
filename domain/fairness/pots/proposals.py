"""`contribution_adjustment` proposals in the database: drafted per open pot from the
period's contributions, checked for staleness, and applied as the pot's monthly plan."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.agreement.terms import normalise
from domain.errors import InvalidInput
from domain.fairness.dimensions import Measured
from domain.fairness.models import Proposal
from domain.fairness.pots.plan import PotPeriod, contribution_adjustment_draft, months_in
from domain.households.members import household_members
from domain.households.models import Household
from domain.ledger.expenses import money_weights
from domain.ledger.pots.models import Pot, PotContribution
from domain.proposals.drafts import Draft, Situation


def contribution_drafts(
    session: Session,
    *,
    household: Household,
    measured: Measured,
    situation: Situation,
    first: date,
    last: date,
) -> list[Draft]:
    try:
        agreed = normalise(money_weights(household_members(session, household.id), on=last))
    except InvalidInput:
        return []  # the agreement cannot give shares now (an income is missing): no plan
    pots = session.scalars(
        select(Pot)
        .where(col(Pot.household_id) == household.id, col(Pot.archived).is_(False))
        .order_by(col(Pot.id))
    )
    drafts = []
    for pot in pots:
        amounts, in_household = period_contributions(session, pot.id, first, last)
        draft = contribution_adjustment_draft(
            situation,
            PotPeriod(pot.id, pot.name, pot.currency, amounts, in_household),
            agreed=agreed,
            months=months_in(first, last),
            contributed=measured.contributed,
            owed=measured.owed,
        )
        if draft is not None:
            drafts.append(draft)
    return drafts


def period_contributions(
    session: Session, pot_id: str, first: date, last: date
) -> tuple[dict[str, int], dict[str, int]]:
    """Per member, net of withdrawals: (pot currency, household currency)."""
    rows = session.execute(
        select(
            col(PotContribution.member_id),
            func.sum(col(PotContribution.amount)),
            func.sum(col(PotContribution.household_amount)),
        )
        .where(
            col(PotContribution.pot_id) == pot_id,
            col(PotContribution.date) >= first,
            col(PotContribution.date) <= last,
        )
        .group_by(col(PotContribution.member_id))
        .order_by(col(PotContribution.member_id))
    )
    amounts: dict[str, int] = {}
    in_household: dict[str, int] = {}
    for member_id, amount, household_amount in rows:
        amounts[member_id] = int(amount or 0)
        in_household[member_id] = int(household_amount or 0)
    return amounts, in_household


def basis_of(
    session: Session, first: date | None, last: date | None, details: dict[str, Any]
) -> dict[str, Any]:
    """What a contribution_adjustment was computed from: its pot's period contributions."""
    pot = session.get(Pot, details.get("pot_id", ""))
    if pot is None or first is None or last is None:
        return {"pot": None}
    return {"pot": [pot.archived, period_contributions(session, pot.id, first, last)[0]]}


def apply_monthly_plan(
    session: Session, *, household: Household, proposal: Proposal, actor: Actor, now: datetime
) -> bool:
    """The accepted amounts become the pot's monthly plan; a pot gone or archived since
    makes the proposal stale."""
    pot = session.get(Pot, proposal.details.get("pot_id", ""))
    if pot is None or pot.household_id != household.id or pot.archived:
        return False
    pot.monthly_plan = [
        {"member_id": m["member_id"], "amount": m["amount"]} for m in proposal.details["monthly"]
    ]
    pot.version += 1
    pot.updated_at = now
    session.add(pot)
    record(
        session,
        household_id=household.id,
        type=events.POT_UPDATED,
        subject_id=pot.id,
        actor=actor,
        data={"fields": ["monthly_plan"]},
    )
    return True
