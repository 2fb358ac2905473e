"""What each proposal kind was computed from (its registry line in `domain.fairness.kinds`
names the function here); `kinds.fingerprint` hashes it. If the hash differs when the last
affected member accepts, the data has moved on and the proposal is superseded, not applied.

Each kind hashes only what its change depends on, so unrelated activity (a new chore, a
decision) does not void a settle-up plan:
- settle_up: every member's ledger balance (the transfers clear exactly those);
- time_compensation: the period's weighted minutes and targets (the amounts price them);
- chore_rebalance: the moved occurrences, as they stood (status, assignee, version);
- decision_balance: the period's decision statistics;
- goal_rebalance: what each member has put into the goals it is about;
- every kind: the latest agreement version (a new agreement changes every target).
"""

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.chores.models import ChoreOccurrence
from domain.decisions.statistics import household_decision_stats
from domain.fairness.dimensions import measure_period
from domain.fairness.pots.proposals import basis_of
from domain.goals.tracking import contributed_by_member
from domain.households.models import Household
from domain.ledger.settlements import balances


def settle_up_basis(
    session: Session,
    household: Household,
    first: date | None,
    last: date | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    return {"nets": {b.member_id: b.net for b in balances(session, household_id=household.id)}}


def time_compensation_basis(
    session: Session,
    household: Household,
    first: date | None,
    last: date | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    if first is None or last is None:
        return {}
    measured = measure_period(session, household=household, first=first, last=last)
    return {
        "time": {m.member_id: [str(m.actual), str(m.target_share)] for m in measured.time.members}
    }


def chore_rebalance_basis(
    session: Session,
    household: Household,
    first: date | None,
    last: date | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    ids = [move["occurrence_id"] for move in details.get("moves", [])]
    rows = session.execute(
        select(
            col(ChoreOccurrence.id),
            col(ChoreOccurrence.status),
            col(ChoreOccurrence.assigned_member_id),
            col(ChoreOccurrence.version),
        ).where(col(ChoreOccurrence.id).in_(ids))
    )
    return {"occurrences": sorted([list(row) for row in rows], key=lambda r: str(r[0]))}


def contribution_adjustment_basis(
    session: Session,
    household: Household,
    first: date | None,
    last: date | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    return basis_of(session, first, last, details)


def decision_balance_basis(
    session: Session,
    household: Household,
    first: date | None,
    last: date | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    stats = household_decision_stats(session, household=household, date_from=first, date_to=last)
    return {"decisions": [s.as_json() for s in stats]}


def goal_rebalance_basis(
    session: Session,
    household: Household,
    first: date | None,
    last: date | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    return {"goals": contributed_by_member(session, details.get("goal_ids", []))}
