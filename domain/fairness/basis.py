"""What a proposal was computed from, hashed: if the hash differs when the last affected
member accepts, the data has moved on and the proposal is superseded, not applied.

Each kind hashes only what its change depends on, so unrelated activity (a new chore, a
decision) does not void a settle-up plan:
- settle_up: every member's ledger balance (the transfers clear exactly those);
- time_compensation: the period's weighted minutes and targets (the amounts price them);
- chore_rebalance: the moved occurrences, as they stood (status, assignee, version);
- decision_balance: the period's decision statistics;
- goal_rebalance: what each member has put into the goals it is about;
- every kind: the latest agreement version (a new agreement changes every target).
"""

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.agreement.versions import in_force
from domain.chores.models import ChoreOccurrence
from domain.decisions.statistics import household_decision_stats
from domain.fairness.measuring import measure_period
from domain.fairness.pots.proposals import basis_of
from domain.goals.tracking import contributed_by_member
from domain.households.models import Household
from domain.ledger.settlements import balances
from domain.proposals.drafts import Kind


def fingerprint(
    session: Session,
    *,
    household: Household,
    kind: Kind,
    first: date | None,
    last: date | None,
    details: dict[str, Any],
) -> str:
    basis = _basis(session, household, kind, first, last, details)
    text = json.dumps(basis, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _basis(
    session: Session,
    household: Household,
    kind: Kind,
    first: date | None,
    last: date | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    basis: dict[str, Any] = {"agreement": in_force(session, household.id, None).number}
    if kind is Kind.SETTLE_UP:
        basis["nets"] = {b.member_id: b.net for b in balances(session, household_id=household.id)}
    elif kind is Kind.TIME_COMPENSATION and first is not None and last is not None:
        measured = measure_period(session, household=household, first=first, last=last)
        basis["time"] = {
            m.member_id: [str(m.actual), str(m.target_share)] for m in measured.time.members
        }
    elif kind is Kind.CHORE_REBALANCE:
        ids = [move["occurrence_id"] for move in details.get("moves", [])]
        rows = session.execute(
            select(
                ChoreOccurrence.id,
                ChoreOccurrence.status,
                ChoreOccurrence.assigned_member_id,
                ChoreOccurrence.version,
            ).where(ChoreOccurrence.id.in_(ids))
        )
        basis["occurrences"] = sorted([list(row) for row in rows], key=lambda r: str(r[0]))
    elif kind is Kind.CONTRIBUTION_ADJUSTMENT:
        basis |= basis_of(session, first, last, details)
    elif kind is Kind.DECISION_BALANCE:
        stats = household_decision_stats(
            session, household=household, date_from=first, date_to=last
        )
        basis["decisions"] = [s.as_json() for s in stats]
    elif kind is Kind.GOAL_REBALANCE:
        basis["goals"] = contributed_by_member(session, details.get("goal_ids", []))
    return basis
