"""Majority, approval and score: the strongest option wins, a shared top is a tie."""

from fractions import Fraction

from domain.decisions.ballots import ApprovalBallot, MajorityBallot, ScoreBallot
from domain.decisions.methods import Method
from domain.decisions.result import Status
from domain.decisions.tally import count_approval, count_majority, count_score, tally

from .builders import json_of, options

TRIP = options("Sea", "Mountains", "Lake")


def majority(*choices: str | None) -> list[MajorityBallot]:
    return [MajorityBallot(c) for c in choices]


def scores(**by_option: int) -> ScoreBallot:
    return ScoreBallot(tuple(by_option.items()))


def test_majority_most_votes_wins_even_without_an_absolute_majority() -> None:
    result = count_majority(
        TRIP, majority("sea", "sea", "lake", "mountains", "lake", "sea"), required=4
    )
    assert result.status is Status.PASSED
    assert result.winner_option_ids == ("sea",)
    assert result.explanation == "Sea won with 3 of 6 votes."


def test_majority_abstentions_count_toward_quorum_but_not_toward_votes() -> None:
    ballots = majority("sea", None, None)
    result = count_majority(TRIP, ballots, required=3)
    assert result.status is Status.PASSED
    assert result.tally["abstentions"] == 2
    assert result.tally["options"] == [
        {"option_id": "sea", "votes": 1},
        {"option_id": "mountains", "votes": 0},
        {"option_id": "lake", "votes": 0},
    ]
    assert result.explanation == "Sea won with 1 of 1 vote; 2 members abstained."


def test_majority_two_voters_who_split_tie_and_the_status_quo_stands() -> None:
    result = tally(
        Method.MAJORITY,
        TRIP,
        majority("sea", "mountains"),
        eligible_voters=2,
        quorum=None,
    )
    assert result.status is Status.TIED
    assert result.winner_option_ids == ()
    assert result.explanation == (
        "Sea and Mountains tied with 1 vote each, so no option won and the status quo stands."
    )


def test_majority_where_everyone_abstains_is_rejected() -> None:
    result = count_majority(TRIP, majority(None, None), required=2)
    assert result.status is Status.REJECTED
    assert "Everyone who voted abstained" in result.explanation
    assert "status quo stands" in result.explanation


def test_majority_too_few_ballots_is_no_quorum_and_hides_the_counts() -> None:
    result = tally(Method.MAJORITY, TRIP, majority("sea"), eligible_voters=4, quorum=None)
    assert result.status is Status.NO_QUORUM
    assert result.tally == {"ballots": 1, "quorum": 3}
    assert result.explanation == (
        "Only 1 ballot was cast and 3 were needed for a quorum, "
        "so nothing was decided and the status quo stands."
    )


def test_an_abstention_can_be_what_makes_the_quorum() -> None:
    ballots = majority("sea", "mountains", "sea")
    assert count_majority(TRIP, ballots[:2], required=3).status is Status.NO_QUORUM
    with_abstention = [*ballots[:2], MajorityBallot(None)]
    assert count_majority(TRIP, with_abstention, required=3).status is Status.TIED


def test_approval_most_approvals_wins() -> None:
    ballots = [
        ApprovalBallot(("sea", "lake")),
        ApprovalBallot(("lake",)),
        ApprovalBallot(("mountains", "lake")),
        ApprovalBallot(("sea",)),
    ]
    result = count_approval(TRIP, ballots, required=3)
    assert result.status is Status.PASSED
    assert result.winner_option_ids == ("lake",)
    assert result.tally["options"] == [
        {"option_id": "sea", "approvals": 2},
        {"option_id": "mountains", "approvals": 1},
        {"option_id": "lake", "approvals": 3},
    ]
    assert result.explanation == "Lake won with the most approvals: 3 of 4 ballots approved it."


def test_approval_shared_top_is_a_tie() -> None:
    ballots = [ApprovalBallot(("sea", "lake")), ApprovalBallot(("mountains", "lake", "sea"))]
    result = count_approval(TRIP, ballots, required=2)
    assert result.status is Status.TIED
    assert result.explanation.startswith("Sea and Lake tied with 2 approvals each")


def test_approval_where_nobody_approves_anything_is_rejected() -> None:
    result = count_approval(TRIP, [ApprovalBallot(()), ApprovalBallot(())], required=2)
    assert result.status is Status.REJECTED
    assert result.explanation.startswith("No ballot approved any option")


def test_score_highest_mean_wins_and_unscored_counts_as_zero() -> None:
    ballots = [scores(sea=5, mountains=3), scores(mountains=4, lake=5), scores(sea=5)]
    result = count_score(TRIP, ballots, required=3)
    assert result.status is Status.PASSED
    assert result.winner_option_ids == ("sea",)
    assert result.tally["options"] == [
        {"option_id": "sea", "total": 10, "mean": "10/3"},
        {"option_id": "mountains", "total": 7, "mean": "7/3"},
        {"option_id": "lake", "total": 5, "mean": "5/3"},
    ]
    assert Fraction(json_of(result.tally)["options"][0]["mean"]) == Fraction(10, 3)
    assert result.explanation == (
        "Sea won with the highest mean score, about 3.33 out of 5 (10 points from 3 ballots)."
    )


def test_score_mean_that_fits_two_decimals_is_said_exactly() -> None:
    result = count_score(TRIP, [scores(lake=4), scores(lake=3)], required=2)
    assert "mean score, 3.5 out of 5" in result.explanation


def test_score_an_option_loved_by_few_loses_to_one_liked_by_all() -> None:
    ballots = [scores(sea=5, mountains=4), scores(sea=0, mountains=4), scores(sea=0, mountains=3)]
    assert count_score(TRIP, ballots, required=3).winner_option_ids == ("mountains",)


def test_score_equal_means_tie() -> None:
    result = count_score(TRIP, [scores(sea=4, lake=1), scores(sea=1, lake=4)], required=2)
    assert result.status is Status.TIED
    assert result.explanation == (
        "Sea and Lake tied with a mean score of 2.5 each, so no option won "
        "and the status quo stands."
    )


def test_score_all_zero_is_rejected() -> None:
    result = count_score(TRIP, [scores(), scores(sea=0)], required=2)
    assert result.status is Status.REJECTED
