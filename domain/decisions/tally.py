"""Counting ballots into a result, one function per method and one dispatcher.

Every function is pure and ignores ballot order, so the same ballots always give the
same result. Each takes `required`, the quorum already turned into a ballot count.
"""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import TypeVar

from domain.decisions.ballots import (
    ApprovalBallot,
    Ballot,
    ConsensusBallot,
    JsonObject,
    JsonValue,
    MajorityBallot,
    Position,
    RankedBallot,
    ScoreBallot,
)
from domain.decisions.methods import Method, Option
from domain.decisions.quorum import Quorum, required_ballots
from domain.decisions.ranked import count_ranked_choice
from domain.decisions.result import Result, Status, no_quorum
from domain.decisions.wording import STATUS_QUO, count, decimal, names

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

B = TypeVar("B", bound=Ballot)


def tally(
    method: Method,
    options: Sequence[Option],
    ballots: Sequence[Ballot],
    *,
    eligible_voters: int,
    quorum: Quorum,
) -> Result:
    """Count a closed decision. `eligible_voters` is the number of active members."""
    required = required_ballots(method, quorum, eligible_voters=eligible_voters)
    if method is Method.CONSENSUS:
        if options:
            raise ValueError("a consensus decision has no options")
        return count_consensus(_only(ballots, ConsensusBallot), required=required)
    if method is Method.MAJORITY:
        return count_majority(options, _only(ballots, MajorityBallot), required=required)
    if method is Method.APPROVAL:
        return count_approval(options, _only(ballots, ApprovalBallot), required=required)
    if method is Method.SCORE:
        return count_score(options, _only(ballots, ScoreBallot), required=required)
    return count_ranked_choice(options, _only(ballots, RankedBallot), required=required)


def _only(ballots: Sequence[Ballot], kind: type[B]) -> list[B]:
    """Ballots are parsed for their decision's method; another kind here is a bug."""
    typed: list[B] = [b for b in ballots if isinstance(b, kind)]
    if len(typed) != len(ballots):
        raise TypeError(f"expected only {kind.__name__} ballots")
    return typed


def count_majority(
    options: Sequence[Option], ballots: Sequence[MajorityBallot], *, required: int
) -> Result:
    """Plurality of the ballots that chose an option; abstentions only make the quorum."""
    if len(ballots) < required:
        return no_quorum(len(ballots), required)
    votes = Counter(b.option_id for b in ballots if b.option_id is not None)
    voting = votes.total()
    abstained = len(ballots) - voting
    aside = f"; {count(abstained, 'member')} abstained" if abstained else ""
    rows: list[JsonValue] = [{"option_id": o.id, "votes": votes[o.id]} for o in options]
    return _plurality(
        options,
        votes,
        {"ballots": len(ballots), "quorum": required, "abstentions": abstained, "options": rows},
        won=lambda o, n: f"{o.label} won with {n} of {count(voting, 'vote')}{aside}.",
        tied=lambda n: f"with {count(n, 'vote')} each{aside}",
        nobody="Everyone who voted abstained",
    )


def count_approval(
    options: Sequence[Option], ballots: Sequence[ApprovalBallot], *, required: int
) -> Result:
    """The option approved on the most ballots wins."""
    if len(ballots) < required:
        return no_quorum(len(ballots), required)
    approvals = Counter(o for b in ballots for o in b.approved)
    rows: list[JsonValue] = [{"option_id": o.id, "approvals": approvals[o.id]} for o in options]
    return _plurality(
        options,
        approvals,
        {"ballots": len(ballots), "quorum": required, "options": rows},
        won=lambda o, n: (
            f"{o.label} won with the most approvals: {n} of {count(len(ballots), 'ballot')} "
            "approved it."
        ),
        tied=lambda n: f"with {count(n, 'approval')} each",
        nobody="No ballot approved any option",
    )


def count_score(
    options: Sequence[Option], ballots: Sequence[ScoreBallot], *, required: int
) -> Result:
    """Highest mean score wins; an unscored option scores 0 on that ballot. Every mean
    shares the denominator (all ballots), so ranking by total points is the same."""
    if len(ballots) < required:
        return no_quorum(len(ballots), required)
    totals = {o.id: sum(b.score_for(o.id) for b in ballots) for o in options}

    def mean(total: int) -> Fraction:
        return Fraction(total, len(ballots))

    rows: list[JsonValue] = [
        {"option_id": o.id, "total": totals[o.id], "mean": str(mean(totals[o.id]))} for o in options
    ]
    return _plurality(
        options,
        totals,
        {"ballots": len(ballots), "quorum": required, "options": rows},
        won=lambda o, n: (
            f"{o.label} won with the highest mean score, {decimal(mean(n))} out of 5 "
            f"({count(n, 'point')} from {count(len(ballots), 'ballot')})."
        ),
        tied=lambda n: f"with a mean score of {decimal(mean(n))} each",
        nobody="Every ballot scored every option 0",
    )


def _plurality(
    options: Sequence[Option],
    strength: Mapping[str, int],
    tally_json: JsonObject,
    *,
    won: Callable[[Option, int], str],
    tied: Callable[[int], str],
    nobody: str,
) -> Result:
    """The strongest option wins; a shared top is a tie; no support at all is a rejection."""
    top = max(strength.get(o.id, 0) for o in options)
    leaders = [o for o in options if strength.get(o.id, 0) == top]
    if top == 0:
        return Result(
            Status.REJECTED,
            (),
            tally_json,
            f"{nobody}, so no option was chosen and {STATUS_QUO}.",
        )
    if len(leaders) > 1:
        return Result(
            Status.TIED,
            (),
            tally_json,
            f"{names([o.label for o in leaders])} tied {tied(top)}, "
            f"so no option won and {STATUS_QUO}.",
        )
    return Result(Status.PASSED, (leaders[0].id,), tally_json, won(leaders[0], top))


def count_consensus(ballots: Sequence[ConsensusBallot], *, required: int) -> Result:
    """Any block stops the proposal, whatever the turnout: a block is a veto the member
    may use alone. Otherwise, with a quorum, it carries when agreement outnumbers
    disagreement; an even split is a tie and the status quo stands."""
    positions = Counter(b.position for b in ballots)
    agree, disagree = positions[Position.AGREE], positions[Position.DISAGREE]
    tally_json: JsonObject = {"ballots": len(ballots), "quorum": required}
    tally_json.update({p.value: positions[p] for p in Position})
    summary = f"{agree} agreed, {disagree} disagreed and {positions[Position.ABSTAIN]} abstained"
    if positions[Position.BLOCK]:
        blockers = count(positions[Position.BLOCK], "member")
        return Result(
            Status.BLOCKED,
            (),
            tally_json,
            f"Blocked: {blockers} blocked the proposal, so it does not go ahead ({summary}).",
        )
    if len(ballots) < required:
        return no_quorum(len(ballots), required)
    if agree > disagree:
        return Result(Status.PASSED, (), tally_json, f"Passed: {summary}, and no one blocked.")
    if agree == disagree and agree:
        return Result(
            Status.TIED,
            (),
            tally_json,
            f"Tied: {summary}. Agreement does not outnumber disagreement, so the proposal "
            f"does not pass and {STATUS_QUO}.",
        )
    return Result(
        Status.REJECTED,
        (),
        tally_json,
        f"Rejected: {summary}. A proposal passes only when agreement outnumbers "
        f"disagreement, so {STATUS_QUO}.",
    )
