"""The database side of `chore_rebalance`: the upcoming open occurrences, who may take each
(eligible, active, not away that day), weekly availability and preferences, handed to the
integer program; and applying its moves.

Availability caps each member's planned minutes over the horizon at their weekly minutes
times the horizon's weeks, but never below what they already have planned: the current
plan always stays feasible, so the solver can only improve on it.
"""

from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.activity.service import Actor
from domain.agreement.terms import Agreement, Load
from domain.chores.assignment import Preference, is_absent
from domain.chores.completion import assign
from domain.chores.models import Chore, ChoreOccurrence, ChorePreference, Status
from domain.chores.occurrences import HORIZON_DAYS
from domain.chores.planning import absences_between, eligible_lists, eligible_now
from domain.chores.weights import weighted_minutes
from domain.fairness.dimensions import Measured
from domain.households.members import household_members
from domain.households.models import Household
from domain.proposals.drafts import Draft, Horizon, Situation, rebalance_draft
from domain.proposals.moves import Upcoming, rebalance

# HiGHS finds a plan within a few weighted minutes of a perfect balance well inside a
# second; proving it optimal can take far longer (many occurrences weigh the same). The
# request stops here and the proposal says whether the plan is proven optimal, and the gap.
TIME_LIMIT_SECONDS = 2.0


def rebalance_for(
    session: Session,
    *,
    household: Household,
    measured: Measured,
    situation: Situation,
    agreement: Agreement,
    today: date,
) -> Draft | None:
    horizon = _horizon(session, household, agreement, today)
    if not horizon.upcoming or not measured.active:
        return None
    targets = {
        m.member_id: m.target_share
        for m in measured.time.members
        if m.member_id in situation.active
    }
    past = {m.member_id: m.actual for m in measured.time.members}
    result = rebalance(
        members=list(situation.active),
        past=past,
        targets=targets,
        upcoming=horizon.upcoming,
        capacity_minutes=_capacity(session, household, horizon),
        preferences=_preferences(session, horizon),
        time_limit_seconds=TIME_LIMIT_SECONDS,
    )
    return rebalance_draft(situation, result=result, horizon=horizon, past=past, targets=targets)


def _horizon(session: Session, household: Household, agreement: Agreement, today: date) -> Horizon:
    last = today + timedelta(days=HORIZON_DAYS - 1)
    rows = session.execute(
        select(ChoreOccurrence, Chore)
        .join(Chore, Chore.id == ChoreOccurrence.chore_id)
        .where(
            ChoreOccurrence.household_id == household.id,
            ChoreOccurrence.status == Status.OPEN,
            ChoreOccurrence.due_on >= today,
            ChoreOccurrence.due_on <= last,
            Chore.archived_at.is_(None),
        )
        .order_by(ChoreOccurrence.due_on, ChoreOccurrence.id)
    ).all()
    members = household_members(session, household.id)
    explicit = eligible_lists(session, {chore.id for _, chore in rows})
    away = absences_between(session, household_id=household.id, first=today, last=last)
    upcoming = []
    for occurrence, chore in rows:
        eligible = eligible_now(chore, explicit[chore.id], members)
        upcoming.append(
            Upcoming(
                occurrence.id,
                chore.id,
                chore.estimated_minutes,
                weighted_minutes(
                    chore.estimated_minutes,
                    effort=chore.effort,
                    load=Load(chore.load),
                    effort_multipliers=agreement.effort_multipliers,
                    load_multipliers=agreement.load_multipliers,
                ),
                occurrence.assigned_member_id,
                tuple(m for m in eligible if not is_absent(m, occurrence.due_on, away)),
            )
        )
    return Horizon(
        first=today,
        last=last,
        upcoming=upcoming,
        due_on={o.id: o.due_on for o, _ in rows},
        chore_names={c.id: c.name for _, c in rows},
    )


def _capacity(session: Session, household: Household, horizon: Horizon) -> dict[str, int]:
    planned: dict[str, int] = defaultdict(int)
    for occ in horizon.upcoming:
        if occ.assigned_to is not None:
            planned[occ.assigned_to] += occ.minutes
    weeks = Fraction((horizon.last - horizon.first).days + 1, 7)
    return {
        m.id: max(int(m.weekly_available_minutes * weeks), planned[m.id])
        for m in household_members(session, household.id).values()
        if m.active and m.weekly_available_minutes is not None
    }


def _preferences(session: Session, horizon: Horizon) -> dict[tuple[str, str], Preference]:
    chore_ids = {occ.chore_id for occ in horizon.upcoming}
    rows = session.execute(
        select(
            ChorePreference.chore_id, ChorePreference.member_id, ChorePreference.preference
        ).where(ChorePreference.chore_id.in_(chore_ids))
    )
    return {(chore_id, member_id): Preference(p) for chore_id, member_id, p in rows}


def apply_moves(
    session: Session, *, household: Household, moves: list[dict[str, Any]], actor: Actor
) -> bool:
    """Reassign every move, or none when any occurrence has changed or its new member may
    no longer take it (left, no longer eligible, away that day): then False."""
    ids = [move["occurrence_id"] for move in moves]
    occurrences = {
        o.id: o
        for o in session.scalars(
            select(ChoreOccurrence).where(
                ChoreOccurrence.id.in_(ids), ChoreOccurrence.household_id == household.id
            )
        )
    }
    members = household_members(session, household.id)
    chores = {
        c.id: c
        for c in session.scalars(
            select(Chore).where(Chore.id.in_({o.chore_id for o in occurrences.values()}))
        )
    }
    explicit = eligible_lists(session, chores.keys())
    for move in moves:
        occurrence = occurrences.get(move["occurrence_id"])
        if occurrence is None or occurrence.status != Status.OPEN:
            return False
        if occurrence.assigned_member_id != move["from_member_id"]:
            return False
        chore = chores[occurrence.chore_id]
        if move["to_member_id"] not in eligible_now(chore, explicit[chore.id], members):
            return False
        away = absences_between(
            session, household_id=household.id, first=occurrence.due_on, last=occurrence.due_on
        )
        if is_absent(move["to_member_id"], occurrence.due_on, away):
            return False
    for move in moves:
        assign(
            session,
            occurrences[move["occurrence_id"]],
            move["to_member_id"],
            actor=actor,
            reason="fairness rebalance",
        )
    return True
