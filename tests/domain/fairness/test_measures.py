from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from domain.agreement.terms import normalise
from domain.proposals.measures import measure, money_dimension, overall, presence_scaled, score

F = Fraction


def test_couple_where_one_does_64_percent_against_50_scores_86() -> None:
    dimension = measure(
        ["sam", "alex"], {"sam": 640, "alex": 360}, {"sam": F(1, 2), "alex": F(1, 2)}
    )
    assert dimension.score == 86
    sam, alex = dimension.members
    assert (sam.actual_share, sam.deviation) == (F(16, 25), F(7, 50))
    assert alex.deviation == -F(7, 50)


def test_income_proportional_money_target_two_to_one() -> None:
    # Incomes 3,000 and 1,500: Sam should carry 2/3. Expenses 900 split that way, all paid
    # by Sam: Sam's actual share is 1, target 2/3, so a third of the money would have to move.
    dimension = money_dimension(
        ["sam", "alex"], contributed={"sam": 900, "alex": 0}, owed={"sam": 600, "alex": 300}
    )
    assert [m.target_share for m in dimension.members] == [F(2, 3), F(1, 3)]
    assert dimension.score == F(200, 3)
    assert [m.deviation for m in dimension.members] == [F(1, 3), -F(1, 3)]


def test_money_deviation_is_the_period_net_balance_over_total() -> None:
    dimension = money_dimension(
        ["a", "b", "c"],
        contributed={"a": 3000, "b": 0, "c": 0},
        owed={"a": 1000, "b": 1000, "c": 1000},
    )
    assert [m.deviation * 3000 for m in dimension.members] == [2000, -1000, -1000]


def test_a_settlement_brings_money_back_on_target() -> None:
    # Sam paid 1000 for both; Alex then settled 500 to Sam: Alex contributed 500, Sam 500.
    dimension = money_dimension(
        ["sam", "alex"], contributed={"sam": 500, "alex": 500}, owed={"sam": 500, "alex": 500}
    )
    assert dimension.score == 100


def test_no_expenses_in_the_period_means_no_money_score() -> None:
    assert money_dimension(["a", "b"], contributed={}, owed={}).score is None


def test_five_person_household_equal_targets() -> None:
    actual = {"a": 100, "b": 100, "c": 100, "d": 100, "e": 600}
    dimension = measure(list(actual), actual, normalise({m: 1 for m in actual}))
    # e did 60% against 20%: 40% of the time would have to move.
    assert dimension.score == 60


def test_capacity_targets_shrink_for_days_away_and_renormalise() -> None:
    # Capacities 600 and 300 minutes a week; Sam away 15 of 30 days.
    weights = normalise({"sam": 600, "alex": 300})
    scaled = presence_scaled(weights, days_in_period=30, days_away={"sam": 15})
    assert scaled == {"sam": F(1, 2), "alex": F(1, 2)}


def test_everyone_away_the_whole_period_keeps_the_plain_weights() -> None:
    weights = normalise({"a": 1, "b": 3})
    assert presence_scaled(weights, days_in_period=7, days_away={"a": 7, "b": 9}) == weights


def test_overall_is_the_mean_of_present_scores_or_their_weighted_mean() -> None:
    assert overall({"money": F(80), "time": None}) == 80
    assert overall({"money": F(80), "time": F(60)}) == 70
    assert overall({"money": F(80), "time": F(60)}, {"money": F(3), "time": F(1)}) == 75
    assert overall({"money": None, "time": None}) is None


shares = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8).filter(
    lambda xs: sum(xs) > 0
)


@given(shares, shares)
def test_scores_are_between_0_and_100(actual: list[int], target: list[int]) -> None:
    n = min(len(actual), len(target))
    members = [str(i) for i in range(n)]
    if sum(actual[:n]) == 0 or sum(target[:n]) == 0:
        return
    dimension = measure(
        members,
        dict(zip(members, actual, strict=False)),
        normalise(dict(zip(members, target, strict=False))),
    )
    assert dimension.score is not None
    assert 0 <= dimension.score <= 100
    assert sum(m.deviation for m in dimension.members) == 0


@given(shares)
def test_a_household_exactly_on_target_scores_100(amounts: list[int]) -> None:
    members = [str(i) for i in range(len(amounts))]
    actual = dict(zip(members, amounts, strict=True))
    assert measure(members, actual, normalise(actual)).score == 100
    assert score(normalise(actual), normalise(actual)) == 100
