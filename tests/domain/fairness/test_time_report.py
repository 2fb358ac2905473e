"""The time dimension across agreement versions, capacity targets with an absence, and a
five-person household, computed by hand."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from domain.agreement.terms import Agreement, TimeTarget, time_targets
from domain.proposals.measures import presence_scaled
from domain.proposals.scores import TimeSegment, scores_of, time_dimension

F = Fraction
HALF = {"sam": F(1, 2), "alex": F(1, 2)}


def test_one_segment_is_the_plain_measure() -> None:
    dimension = time_dimension(
        ["sam", "alex"], [TimeSegment({"sam": F(640), "alex": F(360)}, HALF)]
    )
    assert dimension.score == 86
    assert [m.target_share for m in dimension.members] == [F(1, 2), F(1, 2)]


def test_each_version_counts_in_proportion_to_the_time_done_under_it() -> None:
    # Equal targets while 600 minutes were done, then 3:1 while 400 were: Sam's target is
    # (300 + 300) / 1000, and Sam doing exactly that scores 100.
    segments = [
        TimeSegment({"sam": F(300), "alex": F(300)}, HALF),
        TimeSegment({"sam": F(300), "alex": F(100)}, {"sam": F(3, 4), "alex": F(1, 4)}),
    ]
    dimension = time_dimension(["sam", "alex"], segments)
    assert [m.target_share for m in dimension.members] == [F(3, 5), F(2, 5)]
    assert dimension.score == 100


def test_no_time_at_all_has_no_score_but_shows_the_latest_targets() -> None:
    dimension = time_dimension(
        ["sam", "alex"], [TimeSegment({}, {"sam": F(2, 3), "alex": F(1, 3)})]
    )
    assert dimension.score is None
    assert [m.target_share for m in dimension.members] == [F(2, 3), F(1, 3)]


def test_capacity_targets_shrink_for_an_absence() -> None:
    # Weekly capacity 600 and 300; Sam away 16 of March's 31 days.
    agreement = Agreement(time=TimeTarget.CAPACITY)
    weights = time_targets(agreement, ["sam", "alex"], capacity={"sam": 600, "alex": 300})
    assert weights == {"sam": F(2, 3), "alex": F(1, 3)}
    targets = presence_scaled(weights, days_in_period=31, days_away={"sam": 16})
    # 2/3 × 15/31 = 10/31 against 1/3: Sam 10/(10 + 31/3) = 30/61.
    assert targets == {"sam": F(30, 61), "alex": F(31, 61)}
    dimension = time_dimension(
        ["sam", "alex"], [TimeSegment({"sam": F(300), "alex": F(310)}, targets)]
    )
    assert dimension.score == 100


def test_five_people_one_doing_everything() -> None:
    members = ["a", "b", "c", "d", "e"]
    fifth = {m: F(1, 5) for m in members}
    dimension = time_dimension(members, [TimeSegment({"a": F(500)}, fifth)])
    # Four fifths of the time would have to move to the others.
    assert dimension.score == 20
    assert [m.deviation for m in dimension.members] == [F(4, 5)] + [F(-1, 5)] * 4


def test_the_overall_score_is_the_mean_or_the_agreed_weighted_mean() -> None:
    assert scores_of(F(80), F(90)).overall == 85
    assert scores_of(F(80), None).overall == 80
    assert scores_of(F(80), F(90), {"money": F(1), "time": F(3)}).overall == F(175, 2)
    assert scores_of(None, None).overall is None


minutes = st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 5_000).map(F))
shares = (
    st.lists(st.integers(0, 9), min_size=3, max_size=3)
    .filter(any)
    .map(lambda w: {m: F(x, sum(w)) for m, x in zip("abc", w, strict=True)})
)


@given(st.lists(st.tuples(minutes, shares), min_size=1, max_size=4))
def test_scores_stay_between_0_and_100(pieces: list[tuple[dict[str, F], dict[str, F]]]) -> None:
    dimension = time_dimension(list("abc"), [TimeSegment(a, t) for a, t in pieces])
    assert dimension.score is None or 0 <= dimension.score <= 100
    if dimension.score is not None:
        assert sum(m.actual_share for m in dimension.members) == 1
        assert sum(m.target_share for m in dimension.members) == 1


@given(st.lists(st.tuples(st.integers(1, 5_000), shares), min_size=1, max_size=4))
def test_a_household_exactly_on_target_in_every_piece_scores_100(
    pieces: list[tuple[int, dict[str, F]]],
) -> None:
    segments = [TimeSegment({m: total * s for m, s in t.items()}, t) for total, t in pieces]
    assert time_dimension(list("abc"), segments).score == 100
