"""Properties every method keeps: ballot order never matters, and quorum is respected."""

import random
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from domain.decisions.ballots import (
    ApprovalBallot,
    Ballot,
    ConsensusBallot,
    MajorityBallot,
    Position,
    RankedBallot,
    ScoreBallot,
)
from domain.decisions.methods import Method
from domain.decisions.quorum import Quorum, required_ballots
from domain.decisions.result import Result, Status
from domain.decisions.tally import tally

from .builders import json_of, options

Election = tuple[Method, list[Ballot], int, Quorum]

OPTIONS = options("Sea", "Mountains", "Lake")
IDS = [o.id for o in OPTIONS]


def ballots_for(method: Method) -> st.SearchStrategy[Ballot]:
    ids = st.sampled_from(IDS)
    if method is Method.MAJORITY:
        return st.builds(MajorityBallot, st.none() | ids)
    if method is Method.CONSENSUS:
        return st.builds(ConsensusBallot, st.sampled_from(list(Position)), st.just("why"))
    if method is Method.APPROVAL:
        return st.lists(ids, unique=True).map(lambda a: ApprovalBallot(tuple(a)))
    if method is Method.RANKED_CHOICE:
        return st.lists(ids, unique=True, min_size=1).map(lambda r: RankedBallot(tuple(r)))
    scores = st.dictionaries(ids, st.integers(0, 5))
    return scores.map(lambda s: ScoreBallot(tuple(s.items())))


@st.composite
def elections(draw: st.DrawFn) -> Election:
    method = draw(st.sampled_from(list(Method)))
    ballots = draw(st.lists(ballots_for(method), max_size=12))
    members = draw(st.integers(max(1, len(ballots)), 14))
    quorum = draw(st.none() | st.integers(1, members) | st.fractions(Fraction(1, 20), 1))
    return method, ballots, members, quorum


def run(method: Method, ballots: list[Ballot], members: int, quorum: Quorum) -> Result:
    opts = [] if method is Method.CONSENSUS else OPTIONS
    return tally(method, opts, ballots, eligible_voters=members, quorum=quorum)


@given(elections(), st.randoms(use_true_random=False))
def test_ballot_order_never_changes_the_result(election: Election, rng: random.Random) -> None:
    method, ballots, members, quorum = election
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert run(method, shuffled, members, quorum) == run(method, ballots, members, quorum)


@given(elections())
def test_no_quorum_exactly_when_too_few_ballots_and_no_block(election: Election) -> None:
    method, ballots, members, quorum = election
    result = run(method, ballots, members, quorum)
    short = len(ballots) < required_ballots(method, quorum, eligible_voters=members)
    blocked = any(isinstance(b, ConsensusBallot) and b.position is Position.BLOCK for b in ballots)
    assert (result.status is Status.NO_QUORUM) == (short and not blocked)


@given(elections())
def test_there_is_a_winner_exactly_when_an_option_method_passes(election: Election) -> None:
    method, ballots, members, quorum = election
    result = run(method, ballots, members, quorum)
    passed_with_options = result.status is Status.PASSED and method is not Method.CONSENSUS
    assert (len(result.winner_option_ids) == 1) == passed_with_options
    assert len(result.winner_option_ids) <= 1
    assert set(result.winner_option_ids) <= set(IDS)


@given(elections())
def test_every_result_says_something_and_a_tie_names_the_status_quo(election: Election) -> None:
    result = run(*election)
    assert result.explanation
    if result.status in (Status.TIED, Status.NO_QUORUM):
        assert "the status quo stands" in result.explanation


@given(st.lists(ballots_for(Method.MAJORITY), min_size=1, max_size=12))
def test_majority_votes_and_abstentions_add_up_to_the_ballots(ballots: list[Ballot]) -> None:
    result = tally(Method.MAJORITY, OPTIONS, ballots, eligible_voters=len(ballots), quorum=1)
    counted = json_of(result.tally)
    votes = sum(row["votes"] for row in counted["options"])
    assert votes + counted["abstentions"] == len(ballots)


@given(st.lists(ballots_for(Method.SCORE), min_size=1, max_size=12))
def test_score_means_are_exact_fractions_of_the_totals(ballots: list[Ballot]) -> None:
    result = tally(Method.SCORE, OPTIONS, ballots, eligible_voters=len(ballots), quorum=1)
    for row in json_of(result.tally)["options"]:
        assert Fraction(row["mean"]) == Fraction(row["total"], len(ballots))
