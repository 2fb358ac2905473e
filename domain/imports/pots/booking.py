"""The ledger side of imported joint-account rows: contributions and payroll incomes.

Both go through their own services, so an imported contribution is checked against the
pot (its currency, the member's stake for a withdrawal) exactly like a typed one.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity.service import Actor
from domain.chores.members import local_day
from domain.errors import InvalidInput
from domain.households.incomes import record_income
from domain.households.models import Household, Member
from domain.imports.entries import description
from domain.imports.models import ImportedRow
from domain.imports.records import ImportedTransaction
from domain.imports.rules import Decision
from domain.ledger.pots.contributions import ContributionInput, create_contribution
from domain.ledger.pots.models import PotContribution
from domain.ledger.pots.timeline import usable_pot


def book_contribution(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    row: ImportedTransaction,
    decision: Decision,
) -> str:
    assert decision.pot_id is not None and decision.paid_by is not None
    assert decision.contribution is not None
    pot = usable_pot(session, household=household, pot_id=decision.pot_id, field="account_map")
    contribution = create_contribution(
        session,
        household=household,
        actor=actor,
        pot=pot,
        data=ContributionInput(
            member_id=decision.paid_by,
            amount=decision.contribution,
            currency=row.currency,
            date=row.date,
            note=description(row),
        ),
    )
    return contribution.id


def book_income(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    row: ImportedTransaction,
    decision: Decision,
    now: datetime,
) -> str:
    member = session.get(Member, decision.paid_by) if decision.paid_by else None
    if member is None or member.household_id != household.id:
        raise InvalidInput("the account's member is not in this household", field="account_map")
    income = record_income(
        session,
        member=member,
        actor=actor,
        amount=row.amount,
        currency=row.currency,
        effective_from=row.date,
        today=local_day(household, now),
    )
    return income.id


def recorded_from_other_side(
    session: Session, household_id: str, row: ImportedTransaction, decision: Decision
) -> str | None:
    """An imported contribution this row would repeat: the same pot, member, day and
    amount, imported from the other account of the same transfer."""
    if decision.pot_id is None or decision.contribution is None:
        return None
    found = session.scalar(
        select(col(ImportedRow.id))
        .join(PotContribution, col(PotContribution.id) == col(ImportedRow.pot_contribution_id))
        .where(
            col(ImportedRow.household_id) == household_id,
            col(ImportedRow.account) != row.account,
            col(PotContribution.pot_id) == decision.pot_id,
            col(PotContribution.member_id) == decision.paid_by,
            col(PotContribution.date) == row.date,
            col(PotContribution.original_amount) == decision.contribution,
            col(PotContribution.original_currency) == row.currency,
        )
        .limit(1)
    )
    return found
