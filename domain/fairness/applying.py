"""What accepting a proposal changes, per kind (each named by its line in
`domain.fairness.kinds`). Each returns False when the change can no longer be made (a
member left, the currency changed): the proposal is then superseded, not applied."""

from datetime import datetime

from sqlalchemy.orm import Session

from domain.activity.service import Actor
from domain.agreement import versions as agreements
from domain.chores.members import local_day
from domain.errors import InvalidInput
from domain.fairness.models import Proposal
from domain.households.models import Household
from domain.ledger.expense_input import ExpenseInput
from domain.ledger.expenses import create_expense
from domain.ledger.splitting import Participant, SplitMethod


def nothing_to_apply(
    session: Session, household: Household, proposal: Proposal, actor: Actor, now: datetime
) -> bool:
    """The members act on it themselves (they pay, or change what they put in)."""
    return True


def apply_agreement_change(
    session: Session, household: Household, proposal: Proposal, actor: Actor, now: datetime
) -> bool:
    agreement = agreements.agreement_of(proposal.details["agreement"])
    try:
        agreements.check_for(session, household, agreement)
    except InvalidInput:
        return False
    agreements.apply(
        session,
        household=household,
        agreement=agreement,
        actor=actor,
        today=local_day(household, now),
        proposal_id=proposal.id,
    )
    return True


def record_compensation(
    session: Session, household: Household, proposal: Proposal, actor: Actor, now: datetime
) -> bool:
    today = local_day(household, now)
    try:
        with session.begin_nested():
            for transfer in proposal.details["transfers"]:
                debtor, amount = transfer["from_member_id"], transfer["amount"]
                create_expense(
                    session,
                    household=household,
                    actor=actor,
                    data=ExpenseInput(
                        description="Time compensation (fairness proposal)",
                        amount=amount,
                        currency=household.currency,
                        date=today,
                        paid_by=transfer["to_member_id"],
                        split_method=SplitMethod.EXACT,
                        participants=(Participant(debtor, amount=amount),),
                        category="fairness",
                        notes=f"proposal {proposal.id}",
                    ),
                )
    except InvalidInput:
        return False  # a member left or the currency changed: the proposal is stale
    return True
