"""Instant runoff against elections whose rounds are worked out by hand."""

from domain.decisions.methods import Method
from domain.decisions.ranked import count_ranked_choice
from domain.decisions.result import Elimination, Status
from domain.decisions.tally import tally

from .builders import json_of, options, rankings, rounds_of

# The shape of Burlington, Vermont's 2009 mayoral race, scaled to 90 ballots: Wright leads
# the first round, yet Kiss wins once Simpson's, Smith's and Montroll's votes transfer.
BURLINGTON = options("Kiss", "Wright", "Montroll", "Smith", "Simpson")
BURLINGTON_BALLOTS = rankings(
    ("wright", 20),
    ("wright montroll", 9),
    ("kiss", 18),
    ("kiss montroll", 8),
    ("montroll kiss", 12),
    ("montroll wright", 6),
    ("montroll", 3),
    ("smith wright", 5),
    ("smith montroll kiss", 4),
    ("smith kiss", 2),
    ("smith", 2),
    ("simpson kiss", 1),
)


def test_burlington_plurality_leader_loses_after_transfers() -> None:
    result = count_ranked_choice(BURLINGTON, BURLINGTON_BALLOTS, required=46)
    assert result.status is Status.PASSED
    assert result.winner_option_ids == ("kiss",)
    assert [dict(r.votes) for r in rounds_of(result)] == [
        {"kiss": 26, "wright": 29, "montroll": 21, "smith": 13, "simpson": 1},
        {"kiss": 27, "wright": 29, "montroll": 21, "smith": 13},
        {"kiss": 29, "wright": 34, "montroll": 25},
        {"kiss": 45, "wright": 40},
    ]
    assert [r.exhausted for r in rounds_of(result)] == [0, 0, 2, 5]
    assert [r.eliminated for r in rounds_of(result)] == [
        ("simpson",),
        ("smith",),
        ("montroll",),
        (),
    ]
    assert result.explanation == (
        "Kiss won in round 4 with 45 of 85 continuing votes, after the votes for Simpson, "
        "Smith and Montroll transferred. Wright had the most first preferences but lost once "
        "votes transferred. 5 ballots ranked none of the options left by the last round and "
        "were not counted there."
    )


def test_every_round_is_reported_in_the_json_result() -> None:
    result = json_of(count_ranked_choice(BURLINGTON, BURLINGTON_BALLOTS, required=46).as_json())
    assert result["rounds"][2] == {
        "round": 3,
        "votes": [
            {"option_id": "kiss", "votes": 29},
            {"option_id": "wright", "votes": 34},
            {"option_id": "montroll", "votes": 25},
        ],
        "exhausted": 2,
        "eliminated": ["montroll"],
        "elimination": "fewest_votes",
        "note": "Montroll had the fewest votes (25) and was eliminated.",
    }
    assert result["rounds"][3]["note"] == "Kiss has 45 of 85 continuing votes, a majority."
    assert result["tally"]["first_preferences"][1] == {"option_id": "wright", "votes": 29}


def test_household_trip_mountains_win_after_lake_votes_transfer() -> None:
    trip = options("Sea", "Mountains", "Lake")
    ballots = rankings(("sea", 3), ("mountains sea", 2), ("lake mountains", 2))
    result = count_ranked_choice(trip, ballots, required=4)
    assert result.winner_option_ids == ("mountains",)
    assert result.explanation.startswith(
        "Mountains won in round 2 with 4 of 7 continuing votes, after the votes for Lake "
        "transferred. Sea had the most first preferences"
    )


def test_a_majority_of_first_preferences_wins_in_round_one() -> None:
    result = count_ranked_choice(options("A", "B", "C"), rankings(("a", 3), ("b c", 2)), required=1)
    assert result.winner_option_ids == ("a",)
    assert len(rounds_of(result)) == 1
    assert (
        result.explanation == "A won in round 1 with 3 of 5 votes, a majority of first preferences."
    )


def test_a_majority_is_of_continuing_ballots_once_others_are_exhausted() -> None:
    ballots = rankings(("a", 4), ("b", 3), ("c", 2))
    result = count_ranked_choice(options("A", "B", "C"), ballots, required=1)
    assert result.winner_option_ids == ("a",)
    assert rounds_of(result)[-1].exhausted == 2
    assert dict(rounds_of(result)[-1].votes) == {"a": 4, "b": 3}


def test_options_nobody_ranked_first_are_eliminated_together() -> None:
    ballots = rankings(("a", 2), ("b a", 1), ("c", 2))
    result = count_ranked_choice(options("A", "B", "C", "D", "E"), ballots, required=1)
    first = rounds_of(result)[0]
    assert first.eliminated == ("d", "e")
    assert first.elimination is Elimination.NO_VOTES
    assert first.note == "D and E had no votes and were eliminated."
    assert result.explanation.startswith(
        "A won in round 3 with 3 of 5 continuing votes, after the votes for B transferred."
    )


def test_tie_for_fewest_is_broken_by_first_preferences_looking_forwards_from_round_one() -> None:
    # Round 3 ties X and Y at 6. X had fewer in round 1 (4 to 5) but more in round 2
    # (6 to 5): forwards tie-breaking looks at round 1 first, so X goes.
    ballots = rankings(("a", 12), ("y", 5), ("x y", 4), ("p y", 1), ("p", 2), ("q x", 2))
    result = count_ranked_choice(options("A", "X", "Y", "P", "Q"), ballots, required=1)
    tied_round = rounds_of(result)[2]
    assert dict(tied_round.votes) == {"a": 12, "x": 6, "y": 6}
    assert tied_round.eliminated == ("x",)
    assert tied_round.elimination is Elimination.TIE_EARLIER_ROUNDS
    assert tied_round.note == (
        "X and Y tied for the fewest votes (6 each). Looking back from round 1, X had the "
        "fewest votes in round 1 (4), so X was eliminated."
    )
    assert "In round 3: X and Y tied for the fewest votes" in result.explanation
    assert result.winner_option_ids == ("a",)


def test_tie_break_by_earlier_rounds_comes_before_option_order() -> None:
    # B and C tie in round 2; C had fewer first preferences, although B is listed later.
    ballots = rankings(("a", 5), ("b", 3), ("c b", 2), ("d c b", 1))
    result = count_ranked_choice(options("A", "C", "B", "D"), ballots, required=1)
    assert rounds_of(result)[1].eliminated == ("c",)
    assert rounds_of(result)[1].elimination is Elimination.TIE_EARLIER_ROUNDS
    assert result.winner_option_ids == ("b",)


def test_a_tie_with_no_earlier_difference_eliminates_the_option_listed_last() -> None:
    ballots = rankings(("a", 3), ("b", 2), ("c b", 2))
    result = count_ranked_choice(options("A", "B", "C"), ballots, required=1)
    first = rounds_of(result)[0]
    assert first.eliminated == ("c",)
    assert first.elimination is Elimination.TIE_OPTION_ORDER
    assert first.note == (
        "B and C tied for the fewest votes (2 each), with no earlier round to tell them apart; "
        "C is listed last of them among the options, so C was eliminated."
    )
    assert result.winner_option_ids == ("b",)
    assert "In round 1: B and C tied" in result.explanation


def test_option_order_decides_when_every_earlier_round_was_tied_too() -> None:
    # D's two ballots split evenly, so B and C are level in round 1 and in round 2.
    ballots = rankings(("a", 7), ("b", 3), ("c", 3), ("d b", 1), ("d c", 1))
    result = count_ranked_choice(options("A", "B", "C", "D"), ballots, required=1)
    assert dict(rounds_of(result)[1].votes) == {"a": 7, "b": 4, "c": 4}
    assert rounds_of(result)[1].eliminated == ("c",)
    assert rounds_of(result)[1].elimination is Elimination.TIE_OPTION_ORDER
    assert "in every earlier round too" in rounds_of(result)[1].note


def test_two_voters_who_split_tie_and_the_status_quo_stands() -> None:
    result = tally(
        Method.RANKED_CHOICE,
        options("Sea", "Mountains", "Lake"),
        rankings(("sea lake", 1), ("mountains", 1)),
        eligible_voters=2,
        quorum=None,
    )
    assert result.status is Status.TIED
    assert result.winner_option_ids == ()
    assert result.explanation == (
        "Sea and Mountains tied with 1 vote each in the final round (round 2), so no option "
        "won and the status quo stands."
    )


def test_final_two_exactly_tied_after_transfers_is_a_tie() -> None:
    ballots = rankings(("a", 3), ("b", 2), ("c b", 1))
    result = count_ranked_choice(options("A", "B", "C"), ballots, required=1)
    assert result.status is Status.TIED
    assert dict(rounds_of(result)[-1].votes) == {"a": 3, "b": 3}


def test_ranked_choice_without_quorum_reports_no_rounds() -> None:
    result = count_ranked_choice(options("A", "B"), rankings(("a", 1)), required=2)
    assert result.status is Status.NO_QUORUM
    assert result.rounds == ()
    assert json_of(result.as_json())["rounds"] == []
