"""Who decides: per member, proposals made, ballots cast, outcomes matched, blocks used.

The service reads the records of a period; this counts them. A secret ballot counts as
cast and for nothing else: its content is never linked to a member, so it can neither
match an outcome nor show a block.

A ballot matched the outcome when its decision is closed with a decisive result and the
ballot asked for what happened:
- majority: its option won;
- approval: it approved a winner;
- ranked choice: its first preference won;
- score: a winner got its highest score;
- consensus: agree when the proposal passed, disagree or block when it was rejected or
  blocked.
A ballot that prefers nothing matches nothing: an abstention, an approval of all options
or of none, scores that are all equal. A tie or a missing quorum matches no one either:
the status quo stands, which is no member's choice.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.decisions.ballots import (
    ApprovalBallot,
    Ballot,
    ConsensusBallot,
    JsonObject,
    MajorityBallot,
    Position,
    RankedBallot,
)
from domain.decisions.result import Status

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


@dataclass(frozen=True)
class DecisionRecord:
    """`status` None while the decision is open."""

    id: str
    proposer_id: str
    option_ids: tuple[str, ...]
    secret: bool
    status: Status | None
    winner_option_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Participation:
    """A member's current ballot on a decision; `ballot` None for a secret decision."""

    decision_id: str
    member_id: str
    ballot: Ballot | None


@dataclass(frozen=True)
class MemberDecisionStats:
    member_id: str
    proposed: int
    ballots: int
    matched_outcome: int
    blocks: int

    def as_json(self) -> JsonObject:
        return {
            "member_id": self.member_id,
            "proposed": self.proposed,
            "ballots": self.ballots,
            "matched_outcome": self.matched_outcome,
            "blocks": self.blocks,
        }


def decision_stats(
    member_ids: Sequence[str],
    decisions: Iterable[DecisionRecord],
    participations: Iterable[Participation],
) -> list[MemberDecisionStats]:
    """One row per member in `member_ids`, in that order, zeros included.

    `decisions` delimit the period: participations in other decisions, and records of
    people not in `member_ids` (former members), are left out.
    """
    by_id = {d.id: d for d in decisions}
    proposed = Counter(d.proposer_id for d in by_id.values())
    cast: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    blocks: Counter[str] = Counter()
    for p in participations:
        decision = by_id.get(p.decision_id)
        if decision is None:
            continue
        cast[p.member_id] += 1
        if decision.secret or p.ballot is None:
            continue
        if isinstance(p.ballot, ConsensusBallot) and p.ballot.position is Position.BLOCK:
            blocks[p.member_id] += 1
        if ballot_matched(decision, p.ballot):
            matched[p.member_id] += 1
    return [MemberDecisionStats(m, proposed[m], cast[m], matched[m], blocks[m]) for m in member_ids]


def ballot_matched(decision: DecisionRecord, ballot: Ballot) -> bool:
    """Whether an open ballot asked for what the closed decision decided (see above)."""
    if isinstance(ballot, ConsensusBallot):
        if decision.status is Status.PASSED:
            return ballot.position is Position.AGREE
        if decision.status in (Status.REJECTED, Status.BLOCKED):
            return ballot.position in (Position.DISAGREE, Position.BLOCK)
        return False
    if decision.status is not Status.PASSED:
        return False
    winners = set(decision.winner_option_ids)
    if isinstance(ballot, MajorityBallot):
        return ballot.option_id in winners
    if isinstance(ballot, RankedBallot):
        return bool(winners.intersection(ballot.ranking[:1]))
    if isinstance(ballot, ApprovalBallot):
        scores = {o: int(o in ballot.approved) for o in decision.option_ids}
    else:
        scores = {o: ballot.score_for(o) for o in decision.option_ids}
    best = max(scores.values())
    return best > min(scores.values()) and any(scores.get(w) == best for w in winners)
