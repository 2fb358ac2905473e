"""The fairness measures: pure functions from period totals to shares and scores.

For each dimension and member: the actual amount, its share of the dimension's total, the
agreed target share, and the deviation `actual_share - target_share`. A dimension scores
`100 × (1 − D)` with `D = ½ Σ |actual_share − target_share|`: the fraction of the money or
time that would have to move to match the agreement. Everything is exact (Fraction) until
the API renders it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from domain.agreement.terms import normalise
from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


@dataclass(frozen=True, slots=True)
class MemberMeasure:
    member_id: str
    actual: Fraction
    actual_share: Fraction
    target_share: Fraction

    @property
    def deviation(self) -> Fraction:
        return self.actual_share - self.target_share


@dataclass(frozen=True, slots=True)
class Dimension:
    """One dimension's measures; `score` is None when the period has no data for it."""

    score: Fraction | None
    members: tuple[MemberMeasure, ...]


def score(actual_shares: Mapping[str, Fraction], target_shares: Mapping[str, Fraction]) -> Fraction:
    """0 to 100. Shares below 0 or above 1 (a refund larger than the period's spending, a
    settlement received by someone who paid nothing) can put D above 1: the score is then 0,
    never negative; by contract a score is 0-100."""
    members = actual_shares.keys() | target_shares.keys()
    distance = (
        sum(
            (
                abs(actual_shares.get(m, Fraction(0)) - target_shares.get(m, Fraction(0)))
                for m in members
            ),
            Fraction(0),
        )
        / 2
    )
    return min(Fraction(100), max(Fraction(0), 100 * (1 - distance)))


def measure(
    order: Sequence[str], actual: Mapping[str, Fraction | int], targets: Mapping[str, Fraction]
) -> Dimension:
    """Shares of `actual` against target shares (already summing to 1) for members in `order`."""
    total = sum((Fraction(actual.get(m, 0)) for m in order), Fraction(0))
    if total <= 0:
        return Dimension(
            score=None,
            members=tuple(
                MemberMeasure(
                    m, Fraction(actual.get(m, 0)), Fraction(0), targets.get(m, Fraction(0))
                )
                for m in order
            ),
        )
    shares = {m: Fraction(actual.get(m, 0)) / total for m in order}
    members = tuple(
        MemberMeasure(m, Fraction(actual.get(m, 0)), shares[m], targets.get(m, Fraction(0)))
        for m in order
    )
    return Dimension(score=score(shares, targets), members=members)


def money_dimension(
    order: Sequence[str],
    *,
    contributed: Mapping[str, int],
    owed: Mapping[str, int],
) -> Dimension:
    """Money over a period: `contributed` is what each member paid towards shared expenses
    (money put into a pot included) plus settlements sent minus received; the target is
    what the splits say they should bear (`owed`). Each is taken as shares of its own
    total. Without pots the two totals are the period's shared expenses, so the deviation
    is the member's net balance from the period over that total; with a pot, what goes in
    can differ from what it spends, and the shares still compare who put in how much."""
    total = sum(owed.get(m, 0) for m in order)
    paid = sum(contributed.get(m, 0) for m in order)
    if total <= 0:
        return Dimension(
            score=None,
            members=tuple(
                MemberMeasure(m, Fraction(contributed.get(m, 0)), Fraction(0), Fraction(0))
                for m in order
            ),
        )
    actual_shares = {m: Fraction(contributed.get(m, 0), paid if paid > 0 else total) for m in order}
    target_shares = {m: Fraction(owed.get(m, 0), total) for m in order}
    members = tuple(
        MemberMeasure(m, Fraction(contributed.get(m, 0)), actual_shares[m], target_shares[m])
        for m in order
    )
    return Dimension(score=score(actual_shares, target_shares), members=members)


def presence_scaled(
    weights: Mapping[str, Fraction], *, days_in_period: int, days_away: Mapping[str, int]
) -> dict[str, Fraction]:
    """Time targets shrink for days away: each weight times the fraction of the period the
    member was there, then renormalised. Everyone away the whole time: the plain weights."""
    if days_in_period <= 0:
        raise InvalidInput("the period has no days", field="to")
    scaled = {
        m: w * Fraction(days_in_period - min(days_away.get(m, 0), days_in_period), days_in_period)
        for m, w in weights.items()
    }
    if sum(scaled.values()) <= 0:
        return normalise(weights)
    return normalise(scaled)


def overall(
    scores: Mapping[str, Fraction | None], weights: Mapping[str, Fraction] | None = None
) -> Fraction | None:
    """The mean of the scores present, or their weighted mean when weights are agreed."""
    present = {name: s for name, s in scores.items() if s is not None}
    if not present:
        return None
    if weights:
        total = sum((weights.get(name, Fraction(0)) for name in present), Fraction(0))
        if total > 0:
            return (
                sum(
                    (s * weights.get(name, Fraction(0)) for name, s in present.items()), Fraction(0)
                )
                / total
            )
    return sum(present.values(), Fraction(0)) / len(present)
