"""The goal a dashboard shows: the active goal with a target still to reach that is due
soonest (goals without a due date after those with one, oldest first)."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.errors import InvalidInput
from domain.goals.models import Goal
from domain.goals.tracking import entries_of, progress_of
from domain.households.models import Household
from domain.ledger.recurring import local_today
from domain.money import Money, to_major

EMPTY: dict[str, Any] = {
    "goal_name": None,
    "goal_progress": None,
    "goal_saved": None,
    "goal_remaining": None,
    "goal_monthly_needed": None,
    "goal_due_on": None,
    "goal_on_track": None,
}


def nearest_goal_fields(session: Session, household: Household, now: datetime) -> dict[str, Any]:
    """Flat fields for sensors: money in major units (decimal numbers), progress in %."""
    today = local_today(household, now)
    goals = list(
        session.scalars(
            select(Goal)
            .where(
                col(Goal.household_id) == household.id,
                col(Goal.archived_at).is_(None),
                col(Goal.target_amount).is_not(None),
            )
            .order_by(col(Goal.due_on).is_(None), col(Goal.due_on), col(Goal.id))
        )
    )
    entries = entries_of(session, [g.id for g in goals])
    for goal in goals:
        try:
            state = progress_of(session, goal=goal, today=today, entries=entries[goal.id])
        except InvalidInput:
            continue  # the agreement cannot split it any more; the goal page says why
        if state.reached or state.target is None or state.remaining is None:
            continue
        return {
            "goal_name": goal.name,
            "goal_progress": round(100 * max(state.saved, 0) / state.target, 1),
            "goal_saved": _major(state.saved, household),
            "goal_remaining": _major(state.remaining, household),
            "goal_monthly_needed": None
            if state.monthly_needed is None
            else _major(state.monthly_needed, household),
            "goal_due_on": goal.due_on.isoformat() if goal.due_on else None,
            "goal_on_track": state.on_track,
        }
    return dict(EMPTY)


def _major(amount: int, household: Household) -> float:
    return float(to_major(Money(amount, household.currency)))
