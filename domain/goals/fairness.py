"""The fairness report's `goals` section: across the active goals, what each member has
put in against their share of what is saved, by each goal's own split.

Like the money dimension, the target is what the splits say each should have carried
(each goal's saved amount split by its weights), so `deviation` is the member's surplus
over the total saved. A goal whose split the agreement can no longer compute (a missing
income, say) is left out rather than failing the whole report.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.errors import InvalidInput
from domain.goals.goal_rebalance import GoalsSituation, goal_rebalance_draft
from domain.goals.models import Goal
from domain.goals.progress import Entry, progress, split_by
from domain.goals.service import participants_of
from domain.goals.shares import agreement_weights_on, split_weights
from domain.goals.tracking import entries_of
from domain.households.models import Household
from domain.ledger.splitting import SplitMethod
from domain.proposals.drafts import Draft, Situation
from domain.proposals.measures import Dimension, money_dimension


@dataclass(frozen=True)
class GoalsMeasure:
    dimension: Dimension
    goal_ids: tuple[str, ...]
    contributed: dict[str, int]
    expected: dict[str, int]
    monthly: int  # what the goals need (or have been getting) per month, together
    weights: dict[str, Fraction]  # the members' shares of that, as the goals' splits say


ActiveGoals = tuple[list[Goal], dict[str, list[Entry]]]  # goals in id order, their entries


def active_goals(session: Session, household_id: str) -> ActiveGoals:
    """The household's goals that are not archived, oldest id first, with every entry."""
    goals = list(
        session.scalars(
            select(Goal)
            .where(col(Goal.household_id) == household_id, col(Goal.archived_at).is_(None))
            .order_by(col(Goal.id))
        )
    )
    return goals, entries_of(session, [g.id for g in goals])


def measure_goals(
    session: Session,
    *,
    household: Household,
    order: list[str],
    last: date,
    read: ActiveGoals | None = None,
) -> GoalsMeasure:
    """The active goals as they stood at the end of `last`. `read`: `active_goals`, when
    the caller has read them."""
    goals, entries = read if read is not None else active_goals(session, household.id)
    agreement = agreement_weights_on(session, household.id, last)
    contributed: dict[str, int] = {}
    expected: dict[str, int] = {}
    weights: dict[str, Fraction] = {}
    monthly = 0
    used = []
    for goal in goals:
        until = [e for e in entries[goal.id] if e.on <= last]
        try:
            goal_weights = split_weights(
                session,
                household_id=household.id,
                method=SplitMethod(goal.split_method),
                participants=participants_of(goal),
                on=last,
                agreement_weights=agreement,
            )
        except InvalidInput:
            continue
        if not any(w > 0 for w in goal_weights.values()):
            continue
        used.append(goal.id)
        saved = sum(e.amount for e in until)
        for member, part in split_by(max(saved, 0), goal_weights).items():
            expected[member] = expected.get(member, 0) + part
        for entry in until:
            contributed[entry.member_id] = contributed.get(entry.member_id, 0) + entry.amount
        need = _monthly(goal, until, last, goal_weights)
        monthly += need
        total = sum(goal_weights.values(), Fraction(0))
        for member, weight in goal_weights.items():
            weights[member] = weights.get(member, Fraction(0)) + need * weight / total
    members = order + [m for m in {**contributed, **expected} if m not in order]
    return GoalsMeasure(
        dimension=money_dimension(members, contributed=contributed, owed=expected),
        goal_ids=tuple(used),
        contributed=contributed,
        expected=expected,
        monthly=monthly,
        weights=weights,
    )


def _monthly(goal: Goal, entries: list[Entry], last: date, weights: dict[str, Fraction]) -> int:
    """The goal's monthly saving needed, or without a target and date its recent pace."""
    state = progress(
        entries,
        target=goal.target_amount,
        due_on=goal.due_on,
        today=last,
        started_on=min([goal.created_at.date(), *(e.on for e in entries)]),
        weights=weights,
        order=list(weights),
    )
    if state.monthly_needed is not None:
        return state.monthly_needed
    return max(int(state.pace_monthly), 0) if not state.reached else 0


def goal_rebalance_for(
    session: Session,
    *,
    household: Household,
    situation: Situation,
    first: date,
    last: date,
) -> Draft | None:
    """Compare the goals at the end of this period and of the one before it."""
    order = list(situation.order)
    now = measure_goals(session, household=household, order=order, last=last)
    if not now.goal_ids:
        return None
    before = measure_goals(
        session, household=household, order=order, last=first - timedelta(days=1)
    )
    query = select(col(Goal.id), col(Goal.name)).where(col(Goal.id).in_(now.goal_ids))
    names = {goal_id: name for goal_id, name in session.execute(query)}
    return goal_rebalance_draft(
        GoalsSituation(
            order=order,
            names=situation.names,
            currency=household.currency,
            tolerance=situation.tolerance,
            scores=situation.scores,
            now=now.dimension,
            before=before.dimension,
            monthly=now.monthly,
            goal_ids=now.goal_ids,
            goal_names=[names[g] for g in now.goal_ids],
        )
    )
