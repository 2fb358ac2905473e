"""Goals: created, listed, changed, archived once money has gone in, deleted before."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import Conflict, InvalidInput
from domain.goals.models import Goal, GoalContribution
from domain.goals.shares import validate_split
from domain.households.models import Household
from domain.ledger.splitting import Participant, SplitMethod
from domain.paging import newest_id_first
from domain.scoping import get_in_household


@dataclass(frozen=True)
class GoalInput:
    name: str
    target_amount: int | None = None
    target_currency: str | None = None
    due_on: date | None = None
    split_method: SplitMethod = SplitMethod.AGREEMENT
    participants: Sequence[Participant] = field(default_factory=tuple)
    description: str | None = None


def participants_of(goal: Goal) -> list[Participant]:
    return [
        Participant(
            p["member_id"],
            shares=p.get("shares"),
            amount=p.get("amount"),
            percent=Decimal(p["percent"]) if "percent" in p else None,
        )
        for p in goal.split_participants
    ]


def input_of(goal: Goal) -> GoalInput:
    return GoalInput(
        name=goal.name,
        target_amount=goal.target_amount,
        target_currency=goal.currency if goal.target_amount is not None else None,
        due_on=goal.due_on,
        split_method=SplitMethod(goal.split_method),
        participants=participants_of(goal),
        description=goal.description,
    )


def _participant_json(p: Participant) -> dict[str, Any]:
    out: dict[str, Any] = {"member_id": p.member_id}
    if p.shares is not None:
        out["shares"] = p.shares
    if p.percent is not None:
        out["percent"] = str(p.percent)
    if p.amount is not None:
        out["amount"] = p.amount
    return out


def _check(
    session: Session, household: Household, data: GoalInput, today: date, due_changed: bool
) -> None:
    if data.target_amount is not None:
        if data.target_amount <= 0:
            raise InvalidInput("a target is a positive amount", field="target.amount")
        if data.target_currency != household.currency:
            raise InvalidInput(
                f"a goal's target is in the household's currency ({household.currency}); "
                "contributions in other currencies are converted",
                field="target.currency",
            )
    if due_changed and data.due_on is not None and data.due_on < today:
        raise InvalidInput(f"{data.due_on.isoformat()} is in the past", field="due_on")
    validate_split(
        session,
        household_id=household.id,
        method=data.split_method,
        participants=data.participants,
        target=data.target_amount,
        on=today,
    )


def _write(goal: Goal, data: GoalInput) -> None:
    goal.name = data.name
    goal.description = data.description
    goal.target_amount = data.target_amount
    goal.due_on = data.due_on
    goal.split_method = data.split_method.value
    goal.split_participants = [_participant_json(p) for p in data.participants]


def create_goal(
    session: Session, *, household: Household, actor: Actor, data: GoalInput, today: date
) -> Goal:
    _check(session, household, data, today, due_changed=True)
    goal = Goal(
        household_id=household.id,
        currency=household.currency,
        created_by_member_id=actor.member_id,
        name=data.name,
        split_method=data.split_method.value,
    )
    _write(goal, data)
    session.add(goal)
    session.flush()
    _record(session, goal, actor, events.GOAL_CREATED, {"name": goal.name})
    return goal


def update_goal(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    goal: Goal,
    data: GoalInput,
    changed: Sequence[str],
    today: date,
    now: datetime,
) -> Goal:
    """A due date may stay in the past once it has passed; it cannot be moved there."""
    if goal.archived_at is not None and set(changed) - {"archived"}:
        raise Conflict("the goal is archived: unarchive it (archived=false) to change it")
    _check(session, household, data, today, due_changed="due_on" in changed)
    _write(goal, data)
    goal.version += 1
    goal.updated_at = now
    _record(session, goal, actor, events.GOAL_UPDATED, {"fields": sorted(changed)})
    return goal


def set_archived(
    session: Session, *, goal: Goal, actor: Actor, archived: bool, now: datetime
) -> None:
    if archived == (goal.archived_at is not None):
        return
    goal.archived_at = now if archived else None
    goal.version += 1
    goal.updated_at = now
    _record(session, goal, actor, events.GOAL_ARCHIVED if archived else events.GOAL_UNARCHIVED, {})


def has_contributions(session: Session, goal_id: str) -> bool:
    query = select(GoalContribution.id).where(GoalContribution.goal_id == goal_id).limit(1)
    return session.scalar(query) is not None


def delete_goal(session: Session, *, goal: Goal, actor: Actor, now: datetime) -> bool:
    """Deleted while nothing has gone in; archived after, so the money stays on record.
    True when it was deleted. Whoever deletes checks first that no import rule books into
    the goal (`domain.imports.rule_store.refuse_if_goal_booked`): goals know no imports."""
    if has_contributions(session, goal.id):
        set_archived(session, goal=goal, actor=actor, archived=True, now=now)
        return False
    _record(session, goal, actor, events.GOAL_DELETED, {"name": goal.name})
    session.delete(goal)
    return True


def get_goal(session: Session, *, household_id: str, goal_id: str, lock: bool = False) -> Goal:
    return get_in_household(session, Goal, goal_id, household_id, what="goal", lock=lock)


def list_goals(
    session: Session, *, household_id: str, archived: bool | None, after: str | None, limit: int
) -> list[Goal]:
    query = select(Goal).where(Goal.household_id == household_id)
    if archived is not None:
        query = query.where(
            Goal.archived_at.is_not(None) if archived else Goal.archived_at.is_(None)
        )
    return list(session.scalars(newest_id_first(query, Goal.id, after=after, limit=limit)))


def saved_of(session: Session, goal_ids: Sequence[str]) -> dict[str, int]:
    """What is saved in each goal, summed by the database."""
    if not goal_ids:
        return {}
    query = (
        select(GoalContribution.goal_id, func.sum(GoalContribution.amount))
        .where(GoalContribution.goal_id.in_(goal_ids))
        .group_by(GoalContribution.goal_id)
    )
    totals = {row[0]: int(row[1]) for row in session.execute(query)}
    return {goal_id: totals.get(goal_id, 0) for goal_id in goal_ids}


def _record(
    session: Session, goal: Goal, actor: Actor, type: events.EventType, data: dict[str, Any]
) -> None:
    record(
        session,
        household_id=goal.household_id,
        type=type,
        subject_id=goal.id,
        actor=actor,
        data=data,
    )
