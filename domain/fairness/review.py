"""Proposals that ask the household to talk rather than move chores or money.

- `agreement_review`: the same member over target, by more than the tolerance, in the
  same dimension for `RUNS` consecutive periods. If that member's check-ins over those
  periods all rate fairness at 2 or below, the rationale suggests a neutral third party.
- `decision_balance`: see `who_decides`.
- `agreement_change`: a member's new agreement, described in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from domain.agreement.terms import Agreement, Period
from domain.decisions.stats import MemberDecisionStats
from domain.fairness.who_decides import decision_imbalance
from domain.proposals.drafts import Draft, Kind, Situation
from domain.proposals.measures import Dimension, MemberMeasure
from domain.proposals.scores import Scores
from domain.proposals.wording import money, percent

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

RUNS = 3
_WHAT = {
    "money": ("paid more than the agreed share of the shared expenses", "money"),
    "time": ("did more than the agreed share of the weighted chore time", "time"),
}


@dataclass(frozen=True)
class PeriodMeasure:
    first: date
    last: date
    money: Dimension
    time: Dimension


def agreement_review_drafts(
    s: Situation,
    *,
    history: Sequence[PeriodMeasure],
    period: Period,
    low_check_ins: Mapping[str, bool],
) -> list[Draft]:
    """`history`: the last `RUNS` periods, oldest first. `low_check_ins`: per member,
    whether they checked in during them and every rating of fairness was 2 or below."""
    if len(history) < RUNS:
        return []
    drafts = []
    for dimension in ("money", "time"):
        runs = [_by_member(getattr(h, dimension)) for h in history[-RUNS:]]
        for member_id in s.active:
            measures = [r.get(member_id) for r in runs]
            if all(m is not None and m.deviation > s.tolerance for m in measures):
                drafts.append(
                    _review(
                        s,
                        dimension,
                        member_id,
                        measures,
                        history[-RUNS:],
                        period,
                        low_check_ins.get(member_id, False),
                    )
                )
    return drafts


def _by_member(dimension: Dimension) -> dict[str, MemberMeasure]:
    if dimension.score is None:
        return {}
    return {m.member_id: m for m in dimension.members}


def _review(
    s: Situation,
    dimension: str,
    member_id: str,
    measures: Sequence[MemberMeasure | None],
    history: Sequence[PeriodMeasure],
    period: Period,
    low: bool,
) -> Draft:
    shown = [m for m in measures if m is not None]
    name = s.names.get(member_id, member_id)
    actual = ", ".join(percent(m.actual_share) for m in shown)
    targets = {percent(m.target_share) for m in shown}
    against = (
        f"against an agreed {targets.pop()}"
        if len(targets) == 1
        else "against agreed " + ", ".join(percent(m.target_share) for m in shown)
    )
    rationale = (
        f"For {RUNS} {period.value}s running, {name} {_WHAT[dimension][0]} ({actual} "
        f"{against}). Time to revisit the {_WHAT[dimension][1]} agreement together: do the "
        "targets still fit, or does the way you share need to change?"
    )
    if low:
        rationale += (
            f" {name}'s check-ins have stayed at 2 or below too: consider talking it through "
            "with a neutral third party, such as a counsellor or a mediator."
        )
    return Draft(
        Kind.AGREEMENT_REVIEW,
        rationale,
        tuple(s.active),
        s.scores,
        {
            "dimension": dimension,
            "member_id": member_id,
            "periods": [
                {
                    "from": h.first.isoformat(),
                    "to": h.last.isoformat(),
                    "actual_share": round(float(m.actual_share), 4),
                    "target_share": round(float(m.target_share), 4),
                }
                for h, m in zip(history, shown, strict=True)
            ],
            "suggest_third_party": low,
        },
    )


def decision_balance_draft(
    s: Situation, *, decisions: Sequence[MemberDecisionStats], category: str | None
) -> Draft | None:
    imbalance = decision_imbalance(decisions)
    if not imbalance:
        return None
    sentences = []
    suggestions = []
    if imbalance.dominance is not None:
        d = imbalance.dominance
        sentences.append(
            f"{s.names.get(d.member_id, d.member_id)} proposed {d.proposed} of the {d.total} "
            "decisions: consider rotating who proposes, so everyone's questions reach the table."
        )
        suggestions.append("rotate_proposer")
    if imbalance.gap is not None:
        g = imbalance.gap
        scope = f"'{category}' decisions" if category else "the decisions that matter most"
        sentences.append(
            f"{s.names.get(g.high_member_id, g.high_member_id)}'s ballots matched the outcome "
            f"{percent(g.high_rate)} of the time, "
            f"{s.names.get(g.low_member_id, g.low_member_id)}'s {percent(g.low_rate)}: "
            "consider secret ballots, so nobody votes with the expected winner, or consensus "
            f"for {scope}, so every objection has to be heard."
        )
        suggestions += ["secret_ballot", "consensus"]
    return Draft(
        Kind.DECISION_BALANCE,
        " ".join(sentences),
        tuple(s.active),
        s.scores,
        {
            "members": [d.as_json() for d in decisions],
            "category": category,
            "suggestions": suggestions,
        },
    )


def agreement_change_draft(
    *,
    proposer: str,
    names: Mapping[str, str],
    active: Sequence[str],
    agreement: Agreement,
    currency: str,
    expected: Scores,
    terms: dict[str, object],
    base_version: int,
) -> Draft:
    return Draft(
        Kind.AGREEMENT_CHANGE,
        f"{names.get(proposer, proposer)} proposes a new agreement: "
        f"{describe(agreement, currency)}. It takes effect when every member accepts.",
        tuple(active),
        expected,
        {"agreement": terms, "base_version": base_version},
    )


def describe(agreement: Agreement, currency: str) -> str:
    parts = [
        f"money shared {_target(agreement.money.value)}",
        f"chore time shared {_target(agreement.time.value)}",
    ]
    for level, value in sorted(agreement.effort_multipliers.items()):
        if value != 1:
            parts.append(f"effort {level} counts ×{_number(value)}")
    for load, value in sorted(agreement.load_multipliers.items()):
        if value != 1:
            parts.append(f"{load.value} work counts ×{_number(value)}")
    if agreement.hour_value is not None:
        parts.append(f"a weighted hour is worth {money(agreement.hour_value, currency)}")
    parts.append(
        f"measured by {agreement.period.value} with a tolerance of {percent(agreement.tolerance)}"
    )
    return ", ".join(parts)


def _target(kind: str) -> str:
    return {
        "equal": "equally",
        "income": "in proportion to monthly incomes",
        "capacity": "in proportion to weekly available time",
        "custom": "by agreed weights",
    }[kind]


def _number(value: Fraction) -> str:
    return f"{float(value):g}"
