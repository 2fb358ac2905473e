"""Proposals as drafts: what to change, why in plain words, who must agree, and the scores
expected once it is done. Pure: the service measures and stores, this decides.

- `settle_up`: the ledger's fewest transfers. Settling up is about the whole ledger, not the
  period: its expected money score is the whole ledger's once the transfers are paid (100
  when they clear every balance), and its rationale says so beside the period's figures.
- `time_compensation`: with an `hour_value`, each member's weighted minutes beyond
  (or short of) their target share, priced at the hour value and settled with the same
  fewest-transfers plan. The time imbalance then counts as settled: expected time score
  100. It is the alternative to moving chores, for time that has already been worked.
- `chore_rebalance`: the integer program's moves, scored over the period plus the planned
  horizon, the only span where moving upcoming chores changes anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any

from domain.ledger.settle_up import settle_up
from domain.ledger.values import Transfer
from domain.proposals.measures import Dimension, measure, money_dimension
from domain.proposals.moves import Move, Rebalance, Upcoming
from domain.proposals.scores import Scores, scores_of
from domain.proposals.wording import hours, money, names_of, one_decimal, percent

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


class Kind(StrEnum):
    SETTLE_UP = "settle_up"
    CHORE_REBALANCE = "chore_rebalance"
    TIME_COMPENSATION = "time_compensation"
    AGREEMENT_REVIEW = "agreement_review"
    DECISION_BALANCE = "decision_balance"
    AGREEMENT_CHANGE = "agreement_change"
    GOAL_REBALANCE = "goal_rebalance"
    CONTRIBUTION_ADJUSTMENT = "contribution_adjustment"


@dataclass(frozen=True)
class Draft:
    kind: Kind
    rationale: str
    affected: tuple[str, ...]
    expected: Scores
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Situation:
    """A measured period, as every draft sees it."""

    order: Sequence[str]  # members in the report, oldest first
    active: Sequence[str]
    names: Mapping[str, str]
    currency: str
    tolerance: Fraction
    dimension_weights: Mapping[str, Fraction]
    money: Dimension
    time: Dimension
    scores: Scores


def out_of_tolerance(dimension: Dimension, tolerance: Fraction) -> bool:
    return dimension.score is not None and any(
        abs(m.deviation) > tolerance for m in dimension.members
    )


def transfers_json(transfers: Sequence[Transfer], currency: str) -> list[dict[str, Any]]:
    return [
        {
            "from_member_id": t.from_member_id,
            "to_member_id": t.to_member_id,
            "amount": t.amount,
            "currency": currency,
        }
        for t in transfers
    ]


def settle_up_draft(
    s: Situation,
    *,
    contributed: Mapping[str, int],
    owed: Mapping[str, int],
    transfers: Sequence[Transfer],
) -> Draft | None:
    """`contributed` and `owed` are the whole ledger's (all time), as the transfers are:
    paid plus settlements sent minus received, and the splits' shares."""
    if not transfers or (s.money.score is not None and not out_of_tolerance(s.money, s.tolerance)):
        return None
    order = list(dict.fromkeys([*s.order, *(m for t in transfers for m in _ends(t))]))
    ledger = money_dimension(order, contributed=contributed, owed=owed)
    after = Counter(dict(contributed))
    for t in transfers:
        after[t.from_member_id] += t.amount
        after[t.to_member_id] -= t.amount
    expected = money_dimension(order, contributed=after, owed=owed).score
    lead = _over_sentence(s.money, s.names, s.tolerance, "paid", "of the shared expenses")
    ledger_lead = _over_sentence(ledger, s.names, Fraction(0), "has paid", "of the shared expenses")
    whole = f"Over the whole ledger, {ledger_lead}" if ledger_lead else ""
    return Draft(
        Kind.SETTLE_UP,
        f"{lead}Settling up is about the whole ledger, not this period alone. {whole}"
        f"To clear every balance in the ledger: {_pays(transfers, s)}. Its expected money "
        "score is the whole ledger's once that is paid.",
        tuple(dict.fromkeys(m for t in transfers for m in _ends(t))),
        scores_of(expected, s.time.score, s.dimension_weights),
        {
            "transfers": transfers_json(transfers, s.currency),
            "record_as": "settlement",
            "expected_over": "ledger",
        },
    )


def time_compensation_draft(s: Situation, *, hour_value: int | None) -> Draft | None:
    if hour_value is None or not out_of_tolerance(s.time, s.tolerance):
        return None
    total = sum((m.actual for m in s.time.members), Fraction(0))
    surplus = {m.member_id: m.actual - m.target_share * total for m in s.time.members}
    owed = zero_sum_round({m: v * hour_value / 60 for m, v in surplus.items()}, list(surplus))
    plan = settle_up(owed, order=list(surplus))
    if not plan.transfers:
        return None
    over = [m for m, v in surplus.items() if v > 0]
    extra = sum((surplus[m] for m in over), Fraction(0))
    rationale = (
        f"{names_of(over, s.names)} did {hours(extra)} beyond the agreed share of chore "
        f"time. At the agreed {money(hour_value, s.currency)} a weighted hour, that is "
        f"settled by: {_pays(plan.transfers, s)}. This is the alternative to moving chores, "
        "for time already worked."
    )
    return Draft(
        Kind.TIME_COMPENSATION,
        rationale,
        tuple(dict.fromkeys(m for t in plan.transfers for m in _ends(t))),
        scores_of(s.money.score, Fraction(100), s.dimension_weights),
        {
            "hour_value": {"amount": hour_value, "currency": s.currency},
            "weighted_minutes_over_target": {m: float(v) for m, v in surplus.items()},
            "transfers": transfers_json(plan.transfers, s.currency),
            "record_as": "expense",
        },
    )


def zero_sum_round(values: Mapping[str, Fraction], order: Sequence[str]) -> dict[str, int]:
    """Exact amounts that sum to 0, as integers that still sum to 0: each floored, and
    the units left over go to the largest remainders (ties to the earlier member)."""
    floors = {m: values[m].__floor__() for m in order}
    left = -sum(floors.values())
    by_remainder = sorted(order, key=lambda m: (floors[m] - values[m], order.index(m)))
    for m in by_remainder[:left]:
        floors[m] += 1
    return floors


@dataclass(frozen=True)
class Horizon:
    """The upcoming occurrences a rebalance looked at, with what a reader needs to know."""

    first: date
    last: date
    upcoming: Sequence[Upcoming]
    due_on: Mapping[str, date]
    chore_names: Mapping[str, str]


def planned_dimension(
    members: Sequence[str],
    past: Mapping[str, Fraction],
    targets: Mapping[str, Fraction],
    upcoming: Sequence[Upcoming],
    assignment: Mapping[str, str] | None = None,
) -> Dimension:
    """Past plus planned weighted minutes against the targets; `assignment` overrides who
    has each occurrence (default: as assigned now). Unassigned ones count for nobody."""
    load = {m: past.get(m, Fraction(0)) for m in members}
    for occ in upcoming:
        owner = (assignment or {}).get(occ.occurrence_id, occ.assigned_to)
        if owner in load:
            load[owner] += occ.weight
    return measure(members, load, targets)


def rebalance_draft(
    s: Situation,
    *,
    result: Rebalance,
    horizon: Horizon,
    past: Mapping[str, Fraction],
    targets: Mapping[str, Fraction],
) -> Draft | None:
    members = list(s.active)
    before = planned_dimension(members, past, targets, horizon.upcoming)
    after = planned_dimension(members, past, targets, horizon.upcoming, result.assignment)
    if not result.moves or not out_of_tolerance(before, s.tolerance):
        return None
    weight = {u.occurrence_id: u.weight for u in horizon.upcoming}
    chore_of = {u.occurrence_id: u.chore_id for u in horizon.upcoming}
    routes = Counter((m.from_member_id, m.to_member_id) for m in result.moves)
    moved = sum((weight[m.occurrence_id] for m in result.moves), Fraction(0))
    route_text = ", ".join(
        f"{n} from {s.names.get(a or '', 'nobody')} to {s.names.get(b, b)}"
        for (a, b), n in routes.items()
    )
    lead = _over_sentence(s.time, s.names, s.tolerance, "did", "of the weighted chore time")
    count = len(result.moves)
    rationale = (
        f"{lead}Moving {count} upcoming chore{'s' if count != 1 else ''} ({hours(moved)}: "
        f"{route_text}) brings chore time over this period and the planned days to "
        f"{horizon.last.isoformat()} from a score of {one_decimal(before.score or Fraction(0))} to "
        f"{one_decimal(after.score or Fraction(0))}."
    )
    details = {
        "moves": [
            {
                "occurrence_id": m.occurrence_id,
                "chore_id": chore_of[m.occurrence_id],
                "chore_name": horizon.chore_names.get(chore_of[m.occurrence_id]),
                "due_on": horizon.due_on[m.occurrence_id].isoformat(),
                "from_member_id": m.from_member_id,
                "to_member_id": m.to_member_id,
                "weighted_minutes": float(weight[m.occurrence_id]),
            }
            for m in result.moves
        ],
        "horizon": {"from": horizon.first.isoformat(), "to": horizon.last.isoformat()},
        "time_score_before": _rounded(before.score),
        "time_score_after": _rounded(after.score),
        "optimal": result.optimal,
        "gap": result.gap,
    }
    affected = tuple(dict.fromkeys(m for mv in result.moves for m in _move_ends(mv)))
    return Draft(
        Kind.CHORE_REBALANCE,
        rationale,
        affected,
        scores_of(s.money.score, after.score, s.dimension_weights),
        details,
    )


def _rounded(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 1)


def _over_sentence(
    dimension: Dimension, names: Mapping[str, str], tolerance: Fraction, verb: str, what: str
) -> str:
    over = [m for m in dimension.members if m.deviation > tolerance]
    if not over:
        return ""
    top = max(over, key=lambda m: m.deviation)
    return (
        f"{names.get(top.member_id, top.member_id)} {verb} {percent(top.actual_share)} {what} "
        f"against an agreed {percent(top.target_share)}. "
    )


def _pays(transfers: Sequence[Transfer], s: Situation) -> str:
    return "; ".join(
        f"{s.names.get(t.from_member_id, t.from_member_id)} pays "
        f"{s.names.get(t.to_member_id, t.to_member_id)} {money(t.amount, s.currency)}"
        for t in transfers
    )


def _ends(t: Transfer) -> tuple[str, str]:
    return t.from_member_id, t.to_member_id


def _move_ends(move: Move) -> tuple[str, ...]:
    return tuple(m for m in (move.from_member_id, move.to_member_id) if m is not None)
