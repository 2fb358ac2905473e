"""Contributions to a goal: money in by a member, or out again with a note saying why."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import Conflict, InvalidInput
from domain.goals.models import Goal, GoalContribution
from domain.goals.tracking import note_changes
from domain.households.members import check_members, household_members
from domain.households.models import Household
from domain.ledger.conversion import MAX_MINOR_UNITS, to_household_currency
from domain.paging import newest_first


@dataclass(frozen=True)
class ContributionInput:
    member_id: str
    amount: int
    currency: str
    date: date
    note: str | None = None
    exchange_rate: Decimal | None = None


def saved(session: Session, goal_id: str) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(col(GoalContribution.amount)), 0)).where(
            col(GoalContribution.goal_id) == goal_id
        )
    )
    return int(total or 0)


def add_contribution(
    session: Session,
    *,
    household: Household,
    goal: Goal,
    actor: Actor,
    data: ContributionInput,
    now: datetime,
    imported_row_id: str | None = None,
) -> GoalContribution:
    """The caller holds the goal's row lock (`get_goal(lock=True)`), so two withdrawals
    at once cannot both take what is only there once."""
    if goal.archived_at is not None:
        raise Conflict("the goal is archived: unarchive it (archived=false) to contribute")
    if data.amount == 0:
        raise InvalidInput("a contribution of 0 moves nothing", field="amount")
    if data.amount < 0 and not (data.note and data.note.strip()):
        raise InvalidInput("a withdrawal needs a note saying why", field="note")
    check_members(household_members(session, household.id), [data.member_id], "member_id", key="")
    converted = to_household_currency(
        session,
        household=household,
        amount=data.amount,
        currency=data.currency,
        rate=data.exchange_rate,
        on=data.date,
    )
    before = saved(session, goal.id)
    after = before + converted.amount
    if after < 0:
        # A conflict with what is saved now, as over-withdrawing a pot is: the same request
        # succeeds once enough is saved.
        raise Conflict(
            f"{-converted.amount} is more than the {before} saved in this goal", field="amount"
        )
    if after > MAX_MINOR_UNITS:
        raise InvalidInput(f"the goal would hold more than {MAX_MINOR_UNITS}", field="amount")
    contribution = GoalContribution(
        goal_id=goal.id,
        household_id=household.id,
        member_id=data.member_id,
        amount=converted.amount,
        currency=household.currency,
        original_amount=data.amount,
        original_currency=data.currency,
        exchange_rate=str(converted.rate) if converted.rate is not None else None,
        date=data.date,
        note=data.note,
        imported_row_id=imported_row_id,
        created_by_member_id=actor.member_id,
    )
    session.add(contribution)
    record(
        session,
        household_id=household.id,
        type=events.GOAL_CONTRIBUTION_ADDED,
        subject_id=goal.id,
        actor=actor,
        data={
            "contribution_id": contribution.id,
            "member_id": data.member_id,
            "amount": contribution.amount,
            "currency": contribution.currency,
            "saved": after,
        },
    )
    note_changes(session, household=household, goal=goal, actor=actor, now=now)
    return contribution


def list_contributions(
    session: Session,
    *,
    goal_id: str,
    member_id: str | None,
    after: tuple[date, str] | None,
    limit: int,
) -> list[GoalContribution]:
    """Newest first by date, then by creation; the cursor is the last (date, id) seen."""
    query = select(GoalContribution).where(col(GoalContribution.goal_id) == goal_id)
    if member_id is not None:
        query = query.where(col(GoalContribution.member_id) == member_id)
    query = newest_first(
        query, GoalContribution.date, GoalContribution.id, after=after, limit=limit
    )
    return list(session.scalars(query))
