"""When the decisions of a period lean on one member.

Two signs, each needing enough decisions to mean something:
- one member proposed nearly everything (at least `DOMINANT_SHARE` of at least
  `MIN_DECISIONS` proposals);
- ballots of one member matched the outcome far more often than another's (rates at
  least `MATCH_GAP` apart, among members who cast at least `MIN_BALLOTS` ballots). A
  member whose ballot always wins may simply agree with everyone; that is why this only
  ever suggests, and never changes how a household votes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from domain.decisions.stats import MemberDecisionStats

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

MIN_DECISIONS = 5
DOMINANT_SHARE = Fraction(4, 5)
MIN_BALLOTS = 5
MATCH_GAP = Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class Dominance:
    member_id: str
    proposed: int
    total: int


@dataclass(frozen=True, slots=True)
class MatchGap:
    high_member_id: str
    high_rate: Fraction
    low_member_id: str
    low_rate: Fraction


@dataclass(frozen=True, slots=True)
class DecisionImbalance:
    dominance: Dominance | None
    gap: MatchGap | None

    def __bool__(self) -> bool:
        return self.dominance is not None or self.gap is not None


def decision_imbalance(stats: Sequence[MemberDecisionStats]) -> DecisionImbalance:
    """`stats` holds the household's members (the proposers among them)."""
    total = sum(s.proposed for s in stats)
    dominance = None
    if total >= MIN_DECISIONS and len(stats) > 1:
        top = max(stats, key=lambda s: s.proposed)
        if Fraction(top.proposed, total) >= DOMINANT_SHARE:
            dominance = Dominance(top.member_id, top.proposed, total)
    rates = [
        (Fraction(s.matched_outcome, s.ballots), s.member_id)
        for s in stats
        if s.ballots >= MIN_BALLOTS
    ]
    gap = None
    if len(rates) > 1:
        high = max(rates, key=lambda r: r[0])
        low = min(rates, key=lambda r: r[0])
        if high[0] - low[0] >= MATCH_GAP:
            gap = MatchGap(high[1], high[0], low[1], low[0])
    return DecisionImbalance(dominance, gap)
