"""Every proposal kind, one registry line each: what its staleness check hashes (`basis`),
what accepting it changes (`apply`; None: advisory, it stays `accepted` and changes
nothing), whether each period's generation drafts it, and the kind it is an alternative to.

Adding a kind: a `Kind` member (`domain.proposals.drafts`), a draft function, its basis in
`domain.fairness.basis`, its apply in `domain.fairness.applying` (or None), and one line
here. A kind without a line fails at import time; an unknown kind is an error, never
silently "applied".
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from domain.activity.service import Actor
from domain.agreement.versions import in_force
from domain.fairness import basis
from domain.fairness.applying import apply_agreement_change, nothing_to_apply, record_compensation
from domain.fairness.chore_rebalance import apply_moves
from domain.fairness.models import Proposal
from domain.fairness.pots.proposals import apply_monthly_plan
from domain.households.models import Household
from domain.proposals.drafts import Kind

Basis = Callable[[Session, Household, date | None, date | None, dict[str, Any]], dict[str, Any]]
Apply = Callable[[Session, Household, Proposal, Actor, datetime], bool]


@dataclass(frozen=True)
class KindRules:
    basis: Basis | None  # beyond the agreement version every kind hashes
    apply: Apply | None  # None: advisory
    generated: bool = True  # False: only drafted on request (agreement_change)
    alternative: Kind | None = None  # applying this one supersedes that one if open


def _apply_moves(
    session: Session, household: Household, proposal: Proposal, actor: Actor, now: datetime
) -> bool:
    return apply_moves(session, household=household, moves=proposal.details["moves"], actor=actor)


def _apply_monthly_plan(
    session: Session, household: Household, proposal: Proposal, actor: Actor, now: datetime
) -> bool:
    return apply_monthly_plan(session, household=household, proposal=proposal, actor=actor, now=now)


KINDS: dict[Kind, KindRules] = {
    Kind.SETTLE_UP: KindRules(basis.settle_up_basis, nothing_to_apply),
    Kind.CHORE_REBALANCE: KindRules(
        basis.chore_rebalance_basis, _apply_moves, alternative=Kind.TIME_COMPENSATION
    ),
    Kind.TIME_COMPENSATION: KindRules(
        basis.time_compensation_basis, record_compensation, alternative=Kind.CHORE_REBALANCE
    ),
    Kind.AGREEMENT_REVIEW: KindRules(None, None),
    Kind.DECISION_BALANCE: KindRules(basis.decision_balance_basis, None),
    Kind.AGREEMENT_CHANGE: KindRules(None, apply_agreement_change, generated=False),
    Kind.GOAL_REBALANCE: KindRules(basis.goal_rebalance_basis, nothing_to_apply),
    Kind.CONTRIBUTION_ADJUSTMENT: KindRules(
        basis.contribution_adjustment_basis, _apply_monthly_plan
    ),
}

_unregistered = set(Kind) - KINDS.keys()
if _unregistered:  # pragma: no cover - fails at import, so every test run catches it
    raise RuntimeError(f"proposal kinds without a registry line: {sorted(_unregistered)}")

# The kinds each period's generation supersedes and drafts again.
GENERATED = [kind.value for kind, rules in KINDS.items() if rules.generated]


def rules_of(kind: str) -> KindRules:
    """The registry line of `kind`; an unknown kind is a LookupError, not a silent no-op."""
    try:
        return KINDS[Kind(kind)]
    except ValueError:
        raise LookupError(f"unknown proposal kind {kind!r}") from None


def fingerprint(
    session: Session,
    *,
    household: Household,
    kind: Kind,
    first: date | None,
    last: date | None,
    details: dict[str, Any],
) -> str:
    found: dict[str, Any] = {"agreement": in_force(session, household.id, None).number}
    kind_basis = rules_of(kind).basis
    if kind_basis is not None:
        found |= kind_basis(session, household, first, last, details)
    text = json.dumps(found, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
