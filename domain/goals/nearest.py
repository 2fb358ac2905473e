"""The goal a dashboard shows: the active goal with a target still to reach that is due
soonest (goals without a due date after those with one, oldest first)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.errors import InvalidInput
from domain.goals.models import Goal
from domain.goals.progress import Entry
from domain.goals.shares import agreement_weights_on
from domain.goals.tracking import entries_of, member_order, progress_of
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


def nearest_goal_fields(
    session: Session,
    household: Household,
    now: datetime,
    read: tuple[list[Goal], dict[str, list[Entry]]] | None = None,
) -> dict[str, Any]:
    """Flat fields for sensors: money in major units (decimal numbers), progress in %.
    `read`: the household's goals that are not archived, with their entries
    (`domain.goals.fairness.active_goals`), when the caller has read them."""
    today = local_today(household, now)
    if read is None:
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
    else:
        goals = sorted(
            (g for g in read[0] if g.target_amount is not None),
            key=lambda g: (g.due_on is None, g.due_on or date.min, g.id),
        )
        entries = read[1]
    # Read at most once however many goals are looked at: the agreement's weights, the order.
    agreement = agreement_weights_on(session, household.id, today)
    order: list[str] | None = None
    for goal in goals:
        if order is None:
            order = member_order(session, household.id)
        try:
            state = progress_of(
                session,
                goal=goal,
                today=today,
                entries=entries[goal.id],
                order=order,
                agreement_weights=agreement,
            )
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
