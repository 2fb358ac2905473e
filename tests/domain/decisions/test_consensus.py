import pytest

from domain.decisions.ballots import ConsensusBallot, Position
from domain.decisions.methods import Method
from domain.decisions.result import Status
from domain.decisions.tally import count_consensus, tally

from .builders import options

AGREE = ConsensusBallot(Position.AGREE)
ABSTAIN = ConsensusBallot(Position.ABSTAIN)
DISAGREE = ConsensusBallot(Position.DISAGREE, "too dear")
BLOCK = ConsensusBallot(Position.BLOCK, "we agreed not to")


def test_consensus_passes_when_agrees_outnumber_disagrees() -> None:
    result = count_consensus([AGREE, AGREE, DISAGREE, ABSTAIN], required=4)
    assert result.status is Status.PASSED
    assert result.tally == {
        "ballots": 4,
        "quorum": 4,
        "agree": 2,
        "abstain": 1,
        "disagree": 1,
        "block": 0,
    }
    assert result.explanation == (
        "Passed: 2 agreed, 1 disagreed and 1 abstained, and no one blocked."
    )


def test_one_block_stops_a_proposal_everyone_else_agrees_with() -> None:
    result = count_consensus([AGREE, AGREE, AGREE, BLOCK], required=4)
    assert result.status is Status.BLOCKED
    assert result.explanation.startswith("Blocked: 1 member blocked the proposal")


def test_a_block_stops_the_proposal_even_without_a_quorum() -> None:
    assert count_consensus([BLOCK], required=4).status is Status.BLOCKED


def test_default_consensus_quorum_needs_every_member() -> None:
    ballots = [AGREE, AGREE, AGREE]
    result = tally(Method.CONSENSUS, [], ballots, eligible_voters=4, quorum=None)
    assert result.status is Status.NO_QUORUM
    assert tally(Method.CONSENSUS, [], ballots, eligible_voters=3, quorum=None).status is (
        Status.PASSED
    )


def test_consensus_abstentions_count_toward_quorum() -> None:
    result = count_consensus([AGREE, ABSTAIN, ABSTAIN], required=3)
    assert result.status is Status.PASSED


def test_consensus_more_disagrees_is_rejected() -> None:
    result = count_consensus([AGREE, DISAGREE, DISAGREE], required=3)
    assert result.status is Status.REJECTED
    assert "outnumbers disagreement" in result.explanation


def test_consensus_where_everyone_abstains_is_rejected() -> None:
    assert count_consensus([ABSTAIN, ABSTAIN], required=2).status is Status.REJECTED


def test_consensus_two_voters_who_split_tie_and_the_status_quo_stands() -> None:
    result = tally(Method.CONSENSUS, [], [AGREE, DISAGREE], eligible_voters=2, quorum=None)
    assert result.status is Status.TIED
    assert result.explanation == (
        "Tied: 1 agreed, 1 disagreed and 0 abstained. Agreement does not outnumber "
        "disagreement, so the proposal does not pass and the status quo stands."
    )


def test_counting_a_consensus_with_options_is_a_bug() -> None:
    with pytest.raises(ValueError, match="no options"):
        tally(Method.CONSENSUS, options("A", "B"), [AGREE], eligible_voters=1, quorum=None)
