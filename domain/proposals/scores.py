"""A period's report as plain values: the time dimension across agreement changes, the
scores, and the check-ins shown beside them.

A period that spans a change of agreement is cut where the new one took effect. Each piece
is weighed with the multipliers and measured against the targets in force on its days;
the pieces' actual minutes add up, and each piece contributes its targets in proportion to
the weighted minutes done in it. So a month that switched from equal to capacity-based
targets halfway is measured half against each, as it was lived.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from domain.decisions.stats import MemberDecisionStats
from domain.proposals.measures import Dimension, measure, overall

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


@dataclass(frozen=True, slots=True)
class TimeSegment:
    """One piece of a period under one agreement: weighted minutes done and target shares
    (already scaled for days away, summing to 1)."""

    actual: Mapping[str, Fraction]
    targets: Mapping[str, Fraction]


def time_dimension(order: Sequence[str], segments: Sequence[TimeSegment]) -> Dimension:
    if not segments:
        return measure(order, {}, {})
    actual = {m: sum((s.actual.get(m, Fraction(0)) for s in segments), Fraction(0)) for m in order}
    total = sum(actual.values(), Fraction(0))
    if total <= 0:
        return measure(order, actual, segments[-1].targets)
    weighted_targets = {
        m: sum(
            (s.targets.get(m, Fraction(0)) * sum(s.actual.values(), Fraction(0)) for s in segments),
            Fraction(0),
        )
        for m in order
    }
    return measure(order, actual, {m: weighted_targets[m] / total for m in order})


@dataclass(frozen=True, slots=True)
class Scores:
    money: Fraction | None
    time: Fraction | None
    overall: Fraction | None


def scores_of(
    money: Fraction | None, time: Fraction | None, weights: Mapping[str, Fraction] | None = None
) -> Scores:
    return Scores(money, time, overall({"money": money, "time": time}, weights or None))


@dataclass(frozen=True, slots=True)
class CheckInSummary:
    """A member's check-ins in the period: how many, and their mean ratings (1–5)."""

    member_id: str
    count: int
    fairness: Fraction | None
    heard: Fraction | None


@dataclass(frozen=True)
class Report:
    first: date
    last: date
    currency: str
    scores: Scores
    money: Dimension
    time: Dimension
    decisions: Sequence[MemberDecisionStats]
    check_ins: Sequence[CheckInSummary]
    findings: Sequence[str]
    agreement_version: int
    tolerance: Fraction
    goals: Dimension | None = None  # across the active goals, up to the period's end
