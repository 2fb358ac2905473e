"""A goal's progress read from its contributions, and the events its changes call for."""

from collections.abc import Callable
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import SYSTEM, Actor, record
from domain.errors import InvalidInput
from domain.goals.models import Goal, GoalContribution
from domain.goals.progress import Entry, Progress, progress
from domain.goals.service import participants_of
from domain.goals.shares import split_weights
from domain.households.models import Household, Member
from domain.ledger.recurring import local_today
from domain.ledger.splitting import SplitMethod


def entries_of(session: Session, goal_ids: list[str]) -> dict[str, list[Entry]]:
    """Each goal's contributions as pure entries, in one query."""
    out: dict[str, list[Entry]] = {goal_id: [] for goal_id in goal_ids}
    if not goal_ids:
        return out
    query = select(
        GoalContribution.goal_id,
        GoalContribution.member_id,
        GoalContribution.date,
        GoalContribution.amount,
    ).where(GoalContribution.goal_id.in_(goal_ids))
    for goal_id, member_id, on, amount in session.execute(query):
        out[goal_id].append(Entry(member_id, on, amount))
    return out


def contributed_by_member(session: Session, goal_ids: list[str]) -> dict[str, int]:
    """Net contributions per member across these goals, summed by the database."""
    if not goal_ids:
        return {}
    query = (
        select(GoalContribution.member_id, func.sum(GoalContribution.amount))
        .where(GoalContribution.goal_id.in_(goal_ids))
        .group_by(GoalContribution.member_id)
    )
    return {member_id: int(total) for member_id, total in session.execute(query)}


def member_order(session: Session, household_id: str) -> list[str]:
    query = select(Member.id).where(Member.household_id == household_id).order_by(Member.id)
    return list(session.scalars(query))


def progress_of(
    session: Session,
    *,
    goal: Goal,
    today: date,
    entries: list[Entry] | None = None,
    order: list[str] | None = None,
    agreement_weights: Callable[[], dict[str, int | Fraction]] | None = None,
) -> Progress:
    """`agreement_weights`: see `shares.split_weights`."""
    if entries is None:
        entries = entries_of(session, [goal.id])[goal.id]
    weights = split_weights(
        session,
        household_id=goal.household_id,
        method=SplitMethod(goal.split_method),
        participants=participants_of(goal),
        on=today,
        agreement_weights=agreement_weights,
    )
    created = goal.created_at.date()
    started = min([created, *(e.on for e in entries)])
    return progress(
        entries,
        target=goal.target_amount,
        due_on=goal.due_on,
        today=today,
        started_on=started,
        weights=weights,
        order=order if order is not None else member_order(session, goal.household_id),
    )


def note_changes(
    session: Session, *, household: Household, goal: Goal, actor: Actor, now: datetime
) -> Progress:
    """Record `goal.reached` and `goal.off_track` when the goal crosses into them.

    Both are remembered on the goal, so each fires once per crossing: a withdrawal that
    takes a reached goal back under its target lets it be reached (and announced) again.
    """
    session.flush()
    state = progress_of(session, goal=goal, today=local_today(household, now))
    if state.reached and goal.reached_at is None:
        goal.reached_at = now
        record(
            session,
            household_id=goal.household_id,
            type=events.GOAL_REACHED,
            subject_id=goal.id,
            actor=actor,
            data={"name": goal.name, "saved": state.saved, "target": state.target},
        )
    elif not state.reached:
        goal.reached_at = None
    off_track = state.on_track is False
    if off_track and not goal.off_track:
        _off_track(session, goal, state, actor)
    goal.off_track = off_track
    return state


def _off_track(session: Session, goal: Goal, state: Progress, actor: Actor) -> None:
    record(
        session,
        household_id=goal.household_id,
        type=events.GOAL_OFF_TRACK,
        subject_id=goal.id,
        actor=actor,
        data={
            "name": goal.name,
            "saved": state.saved,
            "target": state.target,
            "due_on": goal.due_on.isoformat() if goal.due_on else None,
            "monthly_needed": state.monthly_needed,
            "projected": state.projected,
        },
    )


def check_all_goals(session: Session, *, now: datetime) -> int:
    """The worker's pass: goals fall behind as days go by without any write, so each
    active goal with a target and a due date that is not yet off track is checked. The flag
    is claimed with a conditional UPDATE, so two workers record `goal.off_track` once."""
    goals = list(
        session.scalars(
            select(Goal).where(
                Goal.archived_at.is_(None),
                Goal.off_track.is_(False),
                Goal.reached_at.is_(None),
                Goal.target_amount.is_not(None),
                Goal.due_on.is_not(None),
            )
        )
    )
    changed = 0
    for goal in goals:
        household = session.get_one(Household, goal.household_id)
        try:
            state = progress_of(session, goal=goal, today=local_today(household, now))
        except InvalidInput:
            continue
        if state.on_track is not False:
            continue
        claimed = session.execute(
            update(Goal)
            .where(Goal.id == goal.id, Goal.off_track.is_(False))
            .values(off_track=True)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            _off_track(session, goal, state, SYSTEM)
            changed += 1
    return changed
