"""Findings: the report in sentences a household reads, most important first.

Only members over their target by more than the tolerance get a sentence: in a couple,
"Sam did 64%" already says Alex did 36%, and a member under target is, in every
household, the mirror of someone over it. A dimension within tolerance says so once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from domain.decisions.stats import MemberDecisionStats
from domain.fairness.who_decides import decision_imbalance
from domain.proposals.measures import Dimension
from domain.proposals.scores import CheckInSummary
from domain.proposals.wording import one_decimal, percent

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

LOW_RATING = 2


@dataclass(frozen=True, slots=True)
class Finding:
    sentence: str
    weight: Fraction  # how far from the agreement: orders the findings


def findings(
    *,
    names: Mapping[str, str],
    money: Dimension,
    time: Dimension,
    decisions: Sequence[MemberDecisionStats],
    check_ins: Sequence[CheckInSummary],
    tolerance: Fraction,
    overall_score: Fraction | None,
) -> list[str]:
    found = [
        *_dimension(money, names, tolerance, _money_sentence, "Money"),
        *_dimension(time, names, tolerance, _time_sentence, "Chore time"),
        *_decisions(decisions, names),
        *_feelings(check_ins, names, overall_score),
    ]
    found.sort(key=lambda f: f.weight, reverse=True)
    return [f.sentence for f in found]


def headline(sentences: Sequence[str]) -> str:
    """The biggest imbalance in one sentence, for a dashboard."""
    return sentences[0] if sentences else "Nothing has been recorded in this period yet."


def _money_sentence(name: str, actual: Fraction, target: Fraction) -> str:
    return (
        f"{name} paid {percent(actual)} of the shared expenses, settlements included, "
        f"against an agreed {percent(target)}."
    )


def _time_sentence(name: str, actual: Fraction, target: Fraction) -> str:
    return (
        f"{name} did {percent(actual)} of the weighted chore time against an agreed "
        f"{percent(target)}."
    )


def _dimension(
    dimension: Dimension,
    names: Mapping[str, str],
    tolerance: Fraction,
    sentence: Callable[[str, Fraction, Fraction], str],
    label: str,
) -> list[Finding]:
    if dimension.score is None:
        return []
    over = [
        Finding(
            sentence(names.get(m.member_id, m.member_id), m.actual_share, m.target_share),
            m.deviation,
        )
        for m in dimension.members
        if m.deviation > tolerance
    ]
    if over:
        return over
    return [
        Finding(
            f"{label} is within the agreement (score {one_decimal(dimension.score)}).", Fraction(-1)
        )
    ]


def _decisions(stats: Sequence[MemberDecisionStats], names: Mapping[str, str]) -> list[Finding]:
    imbalance = decision_imbalance(stats)
    out = []
    if imbalance.dominance is not None:
        d = imbalance.dominance
        out.append(
            Finding(
                f"{names.get(d.member_id, d.member_id)} proposed {d.proposed} of the "
                f"{d.total} decisions.",
                Fraction(d.proposed, d.total) - Fraction(1, 2),
            )
        )
    if imbalance.gap is not None:
        g = imbalance.gap
        out.append(
            Finding(
                f"{names.get(g.high_member_id, g.high_member_id)}'s ballots matched the outcome "
                f"{percent(g.high_rate)} of the time, "
                f"{names.get(g.low_member_id, g.low_member_id)}'s {percent(g.low_rate)}.",
                (g.high_rate - g.low_rate) / 2,
            )
        )
    return out


def _feelings(
    check_ins: Sequence[CheckInSummary], names: Mapping[str, str], overall: Fraction | None
) -> list[Finding]:
    out = []
    for c in check_ins:
        low = [
            f"{label} {one_decimal(value)} of 5"
            for label, value in (("rates fairness", c.fairness), ("feels heard", c.heard))
            if value is not None and value <= LOW_RATING
        ]
        if not low:
            continue
        measured = (
            f" while the measured score is {one_decimal(overall)}" if overall is not None else ""
        )
        out.append(
            Finding(
                f"{names.get(c.member_id, c.member_id)} {' and '.join(low)} on average "
                f"({c.count} check-in{'s' if c.count != 1 else ''}){measured}.",
                Fraction(1, 10),
            )
        )
    return out
