"""Imported transactions that a `goal_contribution` rule turns into contributions."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity.service import Actor
from domain.errors import InvalidInput
from domain.goals.contributions import ContributionInput, add_contribution
from domain.goals.models import GoalContribution
from domain.goals.service import get_goal
from domain.households.models import Household
from domain.imports.entries import description
from domain.imports.records import ImportedTransaction


def book_contribution(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    row_id: str,
    row: ImportedTransaction,
    member_id: str,
    goal_id: str | None,
    now: datetime,
) -> GoalContribution:
    """Money that left the member's account (-500.00 on their statement) went into the
    goal (+500.00); money that came back from it is a withdrawal, noted with the payee."""
    if goal_id is None:
        raise InvalidInput("the rule names no goal", field="goal_id")
    goal = get_goal(session, household_id=household.id, goal_id=goal_id, lock=True)
    return add_contribution(
        session,
        household=household,
        goal=goal,
        actor=actor,
        data=ContributionInput(
            member_id=member_id,
            amount=-row.amount,
            currency=row.currency,
            date=row.date,
            note=description(row),
        ),
        now=now,
        imported_row_id=row_id,
    )


def contribution_of(session: Session, row_id: str) -> GoalContribution | None:
    query = select(GoalContribution).where(col(GoalContribution.imported_row_id) == row_id)
    return session.scalar(query)
