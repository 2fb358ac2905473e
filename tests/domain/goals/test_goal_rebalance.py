"""The goal_rebalance draft: who carried too much for two periods, and the months' plan."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from domain.goals.goal_rebalance import GoalsSituation, goal_rebalance_draft, plan
from domain.proposals.drafts import Kind
from domain.proposals.measures import money_dimension
from domain.proposals.scores import Scores

HALF = Fraction(1, 2)
NAMES = {"sam": "Sam", "alex": "Alex"}


def situation(now: dict[str, int], before: dict[str, int], monthly: int) -> GoalsSituation:
    def dimension(contributed: dict[str, int]) -> object:
        total = sum(contributed.values())
        owed = {"sam": total // 2, "alex": total - total // 2}
        return money_dimension(["sam", "alex"], contributed=contributed, owed=owed)

    return GoalsSituation(
        order=["sam", "alex"],
        names=NAMES,
        currency="EUR",
        tolerance=Fraction(1, 10),
        scores=Scores(None, None, None),
        now=dimension(now),  # type: ignore[arg-type]
        before=dimension(before),  # type: ignore[arg-type]
        monthly=monthly,
        goal_ids=["g1"],
        goal_names=["Flat deposit"],
    )


def test_the_months_saving_goes_to_whoever_is_behind_in_proportion() -> None:
    # 60,000 and 20,000 saved, 24,000 more to save: the target is 52,000 each.
    assert plan(
        {"sam": Fraction(60_000), "alex": Fraction(20_000)}, {"sam": HALF, "alex": HALF}, 24_000
    ) == {"alex": 24_000}
    # With 80,000 more to save both are behind (80,000 each): 20,000 and 60,000.
    assert plan(
        {"sam": Fraction(60_000), "alex": Fraction(20_000)}, {"sam": HALF, "alex": HALF}, 80_000
    ) == {
        "sam": 20_000,
        "alex": 60_000,
    }


def test_with_nothing_left_to_save_the_plan_is_the_catch_up_alone() -> None:
    assert plan(
        {"sam": Fraction(60_000), "alex": Fraction(20_000)}, {"sam": HALF, "alex": HALF}, 0
    ) == {"alex": 40_000}
    assert plan({"sam": Fraction(10), "alex": Fraction(10)}, {"sam": HALF, "alex": HALF}, 0) == {}


def gap(contributed: dict[str, Fraction], targets: dict[str, Fraction]) -> Fraction:
    """Money that would have to move for the shares to match the targets."""
    total = sum(contributed.values(), Fraction(0))
    return sum((abs(c - targets[m] * total) for m, c in contributed.items()), Fraction(0)) / 2


@given(
    st.integers(0, 10**9),
    st.integers(0, 10**9),
    st.integers(1, 10**9),
    st.integers(1, 9),
)
def test_the_plan_saves_exactly_the_months_saving_and_never_widens_the_gap(
    sam: int, alex: int, saving: int, sam_weight: int
) -> None:
    targets = {"sam": Fraction(sam_weight, 10), "alex": Fraction(10 - sam_weight, 10)}
    contributed = {"sam": Fraction(sam), "alex": Fraction(alex)}
    parts = plan(contributed, targets, saving)
    assert sum(parts.values()) == saving
    assert all(v >= 0 for v in parts.values())
    after = {m: c + parts.get(m, 0) for m, c in contributed.items()}
    # Exact amounts never widen it; whole minor units may, by the rounding of one each.
    assert gap(after, targets) <= gap(contributed, targets) + len(targets)


def test_two_periods_over_the_tolerance_propose_a_monthly_plan() -> None:
    draft = goal_rebalance_draft(
        situation({"sam": 60_000, "alex": 20_000}, {"sam": 40_000, "alex": 10_000}, 8_000)
    )
    assert draft is not None and draft.kind is Kind.GOAL_REBALANCE
    assert draft.details["monthly"] == [{"member_id": "alex", "amount": 8_000, "currency": "EUR"}]
    assert draft.affected == ("sam", "alex")
    assert "Sam carried more than their share" in draft.rationale
    assert "Alex 80.00 EUR a month" in draft.rationale


def test_one_period_over_or_a_different_member_over_before_proposes_nothing() -> None:
    assert (
        goal_rebalance_draft(
            situation({"sam": 60_000, "alex": 20_000}, {"sam": 10_000, "alex": 10_000}, 8_000)
        )
        is None
    )
    assert (
        goal_rebalance_draft(
            situation({"sam": 60_000, "alex": 20_000}, {"sam": 10_000, "alex": 40_000}, 8_000)
        )
        is None
    )
    assert goal_rebalance_draft(situation({"sam": 60_000, "alex": 20_000}, {}, 8_000)) is None
