from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.decisions.ballots import (
    ApprovalBallot,
    ConsensusBallot,
    MajorityBallot,
    Position,
    RankedBallot,
    ScoreBallot,
    ballot_to_json,
    check_ballot,
    parse_ballot,
)
from domain.decisions.methods import Method, check_option_labels
from domain.decisions.quorum import Quorum, check_quorum
from domain.errors import InvalidInput

IDS = ["sea", "mountains", "lake"]


def test_majority_ballot_reads_an_option() -> None:
    assert parse_ballot(Method.MAJORITY, IDS, {"option_id": "sea"}) == MajorityBallot("sea")


def test_majority_ballot_reads_an_abstention() -> None:
    assert parse_ballot(Method.MAJORITY, IDS, {"abstain": True}) == MajorityBallot(None)


def test_consensus_reason_is_trimmed_and_optional_for_agree() -> None:
    assert parse_ballot(Method.CONSENSUS, [], {"position": "agree", "reason": "  "}) == (
        ConsensusBallot(Position.AGREE, None)
    )
    assert parse_ballot(Method.CONSENSUS, [], {"position": "block", "reason": " no "}) == (
        ConsensusBallot(Position.BLOCK, "no")
    )


def test_empty_approval_is_a_ballot_that_approves_nothing() -> None:
    assert parse_ballot(Method.APPROVAL, IDS, {"approved": []}) == ApprovalBallot(())


def test_partial_ranking_is_allowed() -> None:
    assert parse_ballot(Method.RANKED_CHOICE, IDS, {"ranking": ["lake"]}) == RankedBallot(("lake",))


def test_score_ballot_may_leave_options_unscored() -> None:
    ballot = parse_ballot(Method.SCORE, IDS, {"scores": {"sea": 5, "lake": 0}})
    assert isinstance(ballot, ScoreBallot)
    assert ballot.score_for("sea") == 5 and ballot.score_for("mountains") == 0


@pytest.mark.parametrize(
    ("method", "body", "field", "words"),
    [
        (Method.MAJORITY, {"ranking": ["sea"]}, "ranking", "majority ballot has no 'ranking'"),
        (Method.MAJORITY, {}, "option_id", "Choose an option"),
        (Method.MAJORITY, {"option_id": "desert"}, "option_id", "not an option"),
        (Method.MAJORITY, {"option_id": "sea", "abstain": True}, "abstain", "not both"),
        (Method.MAJORITY, {"abstain": "yes"}, "abstain", "true or false"),
        (Method.MAJORITY, {"option_id": 3}, "option_id", "option id"),
        (Method.CONSENSUS, {"position": "block"}, "reason", "block needs a reason"),
        (Method.CONSENSUS, {"position": "block", "reason": "  "}, "reason", "needs a reason"),
        (Method.CONSENSUS, {"position": "disagree"}, "reason", "disagree needs a reason"),
        (Method.CONSENSUS, {"position": "veto"}, "position", "agree, abstain"),
        (Method.CONSENSUS, {"position": "agree", "reason": 5}, "reason", "text"),
        (Method.CONSENSUS, {"position": "block", "reason": "x" * 2001}, "reason", "at most 2000"),
        (
            Method.CONSENSUS,
            {"position": "agree", "option_id": "sea"},
            "option_id",
            "no 'option_id'",
        ),
        (Method.APPROVAL, {"approved": "sea"}, "approved", "list of option ids"),
        (Method.APPROVAL, {"approved": ["sea", "sea"]}, "approved.1", "appears twice"),
        (Method.APPROVAL, {"approved": ["desert"]}, "approved.0", "not an option"),
        (Method.RANKED_CHOICE, {"ranking": []}, "ranking", "at least one"),
        (Method.RANKED_CHOICE, {"ranking": ["sea", "lake", "sea"]}, "ranking.2", "twice"),
        (Method.RANKED_CHOICE, {"ranking": ["sea", "desert"]}, "ranking.1", "not an option"),
        (Method.RANKED_CHOICE, {"ranking": ["sea", None]}, "ranking.1", "option id"),
        (Method.RANKED_CHOICE, {"option_id": "sea"}, "option_id", "takes {ranking"),
        (Method.SCORE, {"scores": {"sea": 6}}, "scores.sea", "0 to 5; got 6"),
        (Method.SCORE, {"scores": {"sea": -1}}, "scores.sea", "0 to 5; got -1"),
        (Method.SCORE, {"scores": {"sea": 2.5}}, "scores.sea", "whole number"),
        (Method.SCORE, {"scores": {"sea": True}}, "scores.sea", "whole number"),
        (Method.SCORE, {"scores": {"desert": 3}}, "scores.desert", "not an option"),
        (Method.SCORE, {"scores": ["sea"]}, "scores", "maps option ids"),
    ],
)
def test_bad_ballot_is_refused_with_the_field_and_a_readable_reason(
    method: Method, body: object, field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_ballot(method, [] if method is Method.CONSENSUS else IDS, body)
    assert refused.value.field == field
    assert words in refused.value.detail


def test_a_ballot_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidInput, match="JSON object"):
        parse_ballot(Method.MAJORITY, IDS, ["sea"])


def test_check_ballot_refuses_a_ballot_of_another_method() -> None:
    with pytest.raises(InvalidInput, match="not a majority ballot"):
        check_ballot(Method.MAJORITY, IDS, RankedBallot(("sea",)))


def test_check_ballot_refuses_a_built_score_ballot_that_scores_an_option_twice() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_ballot(Method.SCORE, IDS, ScoreBallot((("sea", 1), ("sea", 2))))
    assert refused.value.field == "scores.sea"


def _bodies(method: Method) -> st.SearchStrategy[object]:
    ids = st.sampled_from(IDS)
    if method is Method.MAJORITY:
        return st.one_of(st.just({"abstain": True}), st.builds(lambda o: {"option_id": o}, ids))
    if method is Method.CONSENSUS:
        return st.builds(
            lambda p, r: {"position": p, "reason": r},
            st.sampled_from([p.value for p in Position]),
            st.text("ab é", min_size=1).filter(str.strip).map(str.strip),
        )
    if method is Method.APPROVAL:
        return st.lists(ids, unique=True).map(lambda a: {"approved": a})
    if method is Method.RANKED_CHOICE:
        return st.lists(ids, unique=True, min_size=1).map(lambda r: {"ranking": r})
    return st.dictionaries(ids, st.integers(0, 5)).map(lambda s: {"scores": s})


@given(st.sampled_from(list(Method)).flatmap(lambda m: st.tuples(st.just(m), _bodies(m))))
def test_a_stored_ballot_reads_back_as_the_same_ballot(
    method_and_body: tuple[Method, object],
) -> None:
    method, body = method_and_body
    ids = [] if method is Method.CONSENSUS else IDS
    ballot = parse_ballot(method, ids, body)
    assert parse_ballot(method, ids, ballot_to_json(ballot)) == ballot


def test_option_labels_are_trimmed_in_order() -> None:
    assert check_option_labels(Method.SCORE, [" Sea ", "Lake"]) == ("Sea", "Lake")


@pytest.mark.parametrize(
    ("method", "labels", "field", "words"),
    [
        (Method.CONSENSUS, ["Sea", "Lake"], "options", "takes no options"),
        (Method.MAJORITY, ["Sea"], "options", "at least two"),
        (Method.APPROVAL, [], "options", "at least two"),
        (Method.RANKED_CHOICE, ["Sea", "sea "], "options.1", "listed twice"),
        (Method.SCORE, ["Sea", " "], "options.1", "needs a label"),
    ],
)
def test_bad_options_are_refused(method: Method, labels: list[str], field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_option_labels(method, labels)
    assert refused.value.field == field and words in refused.value.detail


def test_consensus_without_options_is_fine() -> None:
    assert check_option_labels(Method.CONSENSUS, []) == ()


@pytest.mark.parametrize(
    ("quorum", "words"),
    [
        (0, "at least 1"),
        (5, "can never be met"),
        (Fraction(0), "more than 0"),
        (Fraction(3, 2), "at most 1"),
        (True, "whole number"),
        (0.5, "whole number"),
    ],
)
def test_bad_quorum_is_refused(quorum: Quorum, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as refused:
        check_quorum(quorum, eligible_voters=4)
    assert refused.value.field == "quorum"


@pytest.mark.parametrize("quorum", [None, 1, 4, Fraction(1, 4), Fraction(1)])
def test_good_quorum_is_accepted(quorum: Quorum) -> None:
    check_quorum(quorum, eligible_voters=4)
