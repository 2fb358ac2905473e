from fractions import Fraction

import pytest

from domain.agreement.terms import (
    Agreement,
    Load,
    MoneyTarget,
    TimeTarget,
    money_targets,
    time_targets,
)
from domain.errors import InvalidInput

F = Fraction


def test_equal_money_targets_split_evenly() -> None:
    assert money_targets(Agreement(), ["a", "b", "c"], incomes={}) == {m: F(1, 3) for m in "abc"}


def test_income_targets_follow_incomes_including_private_ones() -> None:
    targets = money_targets(
        Agreement(money=MoneyTarget.INCOME),
        ["sam", "alex"],
        incomes={"sam": 300000, "alex": 150000},
    )
    assert targets == {"sam": F(2, 3), "alex": F(1, 3)}


def test_income_targets_without_an_income_are_refused_naming_who() -> None:
    with pytest.raises(InvalidInput, match="alex") as error:
        money_targets(Agreement(money=MoneyTarget.INCOME), ["sam", "alex"], incomes={"sam": 1})
    assert error.value.field == "money.target"


def test_custom_weights_negative_or_all_zero_are_refused() -> None:
    with pytest.raises(InvalidInput):
        Agreement(money=MoneyTarget.CUSTOM, money_weights={"a": F(-1), "b": F(2)})
    with pytest.raises(InvalidInput):
        Agreement(time=TimeTarget.CUSTOM, time_weights={"a": F(0), "b": F(0)})


def test_capacity_time_targets_follow_weekly_minutes() -> None:
    targets = time_targets(
        Agreement(time=TimeTarget.CAPACITY), ["a", "b"], capacity={"a": 900, "b": 300}
    )
    assert targets == {"a": F(3, 4), "b": F(1, 4)}


@pytest.mark.parametrize("value", [F(1, 20), F(11), F(0)])
def test_multipliers_outside_a_tenth_to_ten_are_refused(value: Fraction) -> None:
    with pytest.raises(InvalidInput) as error:
        Agreement(load_multipliers={Load.PLANNING: value})
    assert error.value.field == "weights.load.planning"
