"""The `goal_rebalance` draft: when the same member has carried more than their share of
the goals by more than the tolerance at the end of two periods running, propose how much
each sets aside per month over the next three months to even it out. Pure.

The months' saving is what the goals need per month together (or their recent pace, for
goals without a target and date); it goes to the members who are behind, in proportion
to how far behind they are, so that the shares move as far towards the agreed ones as that
saving allows. When the goals need nothing more, the plan is the catch-up alone: what the
others would have to put in to stand level with the member who carried the most.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from domain.money import allocate
from domain.proposals.drafts import Draft, Kind
from domain.proposals.measures import Dimension, measure
from domain.proposals.scores import Scores
from domain.proposals.wording import money, names_of, percent

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

MONTHS = 3


@dataclass(frozen=True, slots=True)
class GoalsSituation:
    order: Sequence[str]
    names: Mapping[str, str]
    currency: str
    tolerance: Fraction
    scores: Scores  # the period's money, time and overall scores (goals change none of them)
    now: Dimension  # the goals section at the end of this period
    before: Dimension  # and at the end of the one before
    monthly: int  # what the goals need per month together
    goal_ids: Sequence[str]
    goal_names: Sequence[str]


def over(dimension: Dimension, tolerance: Fraction) -> list[str]:
    if dimension.score is None:
        return []
    return [m.member_id for m in dimension.members if m.deviation > tolerance]


def plan(
    contributed: Mapping[str, Fraction], targets: Mapping[str, Fraction], saving: int
) -> dict[str, int]:
    """What each member behind puts in over the months: `saving` shared in proportion to
    how far behind each would be once it is saved, or (with nothing to save) the exact
    catch-up to the member who carried the most, rounded up."""
    if saving > 0:
        after = sum(contributed.values(), Fraction(0)) + saving
    else:
        after = max(
            (contributed.get(m, Fraction(0)) / t for m, t in targets.items() if t > 0),
            default=Fraction(0),
        )
    behind = {
        m: t * after - contributed.get(m, Fraction(0))
        for m, t in targets.items()
        if t * after > contributed.get(m, Fraction(0))
    }
    if not behind:
        return {}
    if saving <= 0:
        return {m: -(-gap // 1) for m, gap in behind.items()}
    return dict(zip(behind, allocate(saving, list(behind.values())), strict=True))


def goal_rebalance_draft(s: GoalsSituation) -> Draft | None:
    carrying = [m for m in over(s.now, s.tolerance) if m in over(s.before, s.tolerance)]
    if not carrying:
        return None
    contributed = {m.member_id: m.actual for m in s.now.members}
    targets = {m.member_id: m.target_share for m in s.now.members}
    months = plan(contributed, targets, s.monthly * MONTHS)
    monthly = {m: -(-amount // MONTHS) for m, amount in months.items() if amount > 0}
    if not monthly:
        return None
    after = {m: contributed.get(m, Fraction(0)) + monthly.get(m, 0) * MONTHS for m in s.order}
    expected = measure(list(s.order), after, targets).score
    shares = ", ".join(
        f"{s.names.get(m.member_id, m.member_id)} {percent(m.actual_share)} against an agreed "
        f"{percent(m.target_share)}"
        for m in s.now.members
        if m.member_id in carrying
    )
    asks = " and ".join(
        f"{s.names.get(m, m)} {money(amount, s.currency)}" for m, amount in monthly.items()
    )
    goals = names_of(list(s.goal_names), {})
    rationale = (
        f"{names_of(carrying, s.names)} carried more than their share of the goals for two "
        f"periods running ({shares}). For the next {MONTHS} months, {asks} a month set aside "
        f"for {goals} evens it out."
    )
    return Draft(
        Kind.GOAL_REBALANCE,
        rationale,
        tuple(dict.fromkeys([*carrying, *monthly])),
        s.scores,
        {
            "months": MONTHS,
            "monthly": [
                {"member_id": m, "amount": amount, "currency": s.currency}
                for m, amount in monthly.items()
            ],
            "goal_ids": list(s.goal_ids),
            "expected_goals_score": None if expected is None else round(float(expected), 1),
        },
    )
