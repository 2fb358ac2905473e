from domain.decisions.ballots import (
    ApprovalBallot,
    ConsensusBallot,
    MajorityBallot,
    Position,
    RankedBallot,
    ScoreBallot,
)
from domain.decisions.result import Status
from domain.decisions.stats import (
    DecisionRecord,
    MemberDecisionStats,
    Participation,
    ballot_matched,
    decision_stats,
)

OPTIONS = ("sea", "lake", "hills")


def decided(status: Status | None, *winners: str, secret: bool = False) -> DecisionRecord:
    return DecisionRecord("d", "ana", OPTIONS, secret, status, winners)


def test_stats_count_proposals_ballots_matches_and_blocks_per_member() -> None:
    decisions = [
        DecisionRecord("trip", "ana", OPTIONS, False, Status.PASSED, ("sea",)),
        DecisionRecord("car", "ana", (), False, Status.BLOCKED),
        DecisionRecord("pet", "ben", OPTIONS, True, Status.PASSED, ("lake",)),
    ]
    participations = [
        Participation("trip", "ana", MajorityBallot("sea")),
        Participation("trip", "ben", MajorityBallot("lake")),
        Participation("car", "ana", ConsensusBallot(Position.AGREE)),
        Participation("car", "ben", ConsensusBallot(Position.BLOCK, "no parking")),
        Participation("pet", "ana", None),
        Participation("pet", "ben", None),
    ]
    assert decision_stats(["ana", "ben", "cleo"], decisions, participations) == [
        MemberDecisionStats("ana", proposed=2, ballots=3, matched_outcome=1, blocks=0),
        MemberDecisionStats("ben", proposed=1, ballots=3, matched_outcome=1, blocks=1),
        MemberDecisionStats("cleo", proposed=0, ballots=0, matched_outcome=0, blocks=0),
    ]


def test_a_secret_ballot_counts_as_cast_and_for_nothing_else() -> None:
    decisions = [DecisionRecord("d", "ana", (), True, Status.BLOCKED)]
    leaked = [Participation("d", "ben", ConsensusBallot(Position.BLOCK, "no"))]
    assert decision_stats(["ben"], decisions, leaked) == [
        MemberDecisionStats("ben", proposed=0, ballots=1, matched_outcome=0, blocks=0)
    ]


def test_records_outside_the_period_or_household_are_left_out() -> None:
    decisions = [DecisionRecord("d", "gone", OPTIONS, False, Status.PASSED, ("sea",))]
    participations = [
        Participation("other", "ana", MajorityBallot("sea")),
        Participation("d", "gone", MajorityBallot("sea")),
    ]
    assert decision_stats(["ana"], decisions, participations) == [
        MemberDecisionStats("ana", 0, 0, 0, 0)
    ]


def test_stats_rows_are_json_ready() -> None:
    row = MemberDecisionStats("ana", 1, 2, 1, 0).as_json()
    assert row == {
        "member_id": "ana",
        "proposed": 1,
        "ballots": 2,
        "matched_outcome": 1,
        "blocks": 0,
    }


def test_an_open_decision_matches_no_one() -> None:
    assert not ballot_matched(decided(None), MajorityBallot("sea"))


def test_a_tie_or_missing_quorum_matches_no_one() -> None:
    assert not ballot_matched(decided(Status.TIED), MajorityBallot("sea"))
    assert not ballot_matched(decided(Status.NO_QUORUM), ConsensusBallot(Position.DISAGREE, "x"))


def test_majority_matches_when_its_option_won() -> None:
    assert ballot_matched(decided(Status.PASSED, "sea"), MajorityBallot("sea"))
    assert not ballot_matched(decided(Status.PASSED, "sea"), MajorityBallot("lake"))
    assert not ballot_matched(decided(Status.PASSED, "sea"), MajorityBallot(None))


def test_approval_matches_when_it_approved_a_winner_and_not_everything() -> None:
    assert ballot_matched(decided(Status.PASSED, "sea"), ApprovalBallot(("lake", "sea")))
    assert not ballot_matched(decided(Status.PASSED, "sea"), ApprovalBallot(("lake",)))
    assert not ballot_matched(decided(Status.PASSED, "sea"), ApprovalBallot(OPTIONS))


def test_ranked_matches_when_its_first_preference_won() -> None:
    assert ballot_matched(decided(Status.PASSED, "sea"), RankedBallot(("sea", "lake")))
    assert not ballot_matched(decided(Status.PASSED, "sea"), RankedBallot(("lake", "sea")))


def test_score_matches_when_a_winner_got_its_highest_score() -> None:
    winner_sea = decided(Status.PASSED, "sea")
    assert ballot_matched(winner_sea, ScoreBallot((("sea", 4), ("lake", 4))))
    assert not ballot_matched(winner_sea, ScoreBallot((("sea", 3), ("lake", 4))))
    assert not ballot_matched(winner_sea, ScoreBallot((("sea", 2), ("lake", 2), ("hills", 2))))
    assert not ballot_matched(winner_sea, ScoreBallot(()))


def test_consensus_agree_matches_a_pass_and_disagree_or_block_match_the_rest() -> None:
    agree = ConsensusBallot(Position.AGREE)
    disagree = ConsensusBallot(Position.DISAGREE, "no")
    block = ConsensusBallot(Position.BLOCK, "no")
    abstain = ConsensusBallot(Position.ABSTAIN)
    assert ballot_matched(decided(Status.PASSED), agree)
    assert not ballot_matched(decided(Status.PASSED), disagree)
    assert ballot_matched(decided(Status.REJECTED), disagree)
    assert ballot_matched(decided(Status.BLOCKED), block)
    assert ballot_matched(decided(Status.BLOCKED), disagree)
    assert not ballot_matched(decided(Status.BLOCKED), agree)
    assert not any(ballot_matched(decided(s), abstain) for s in Status)
