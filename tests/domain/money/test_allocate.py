import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.money import allocate

WEIGHTS = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=1000),
        st.fractions(min_value=0, max_value=100, max_denominator=50),
    ),
    min_size=1,
    max_size=12,
).filter(lambda weights: sum(weights) > 0)
TOTALS = st.integers(min_value=-(10**9), max_value=10**9)


def test_equal_three_way_split_gives_extra_cent_to_first() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]


def test_remainder_ties_go_to_the_earlier_index() -> None:
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate(5, [1, 1, 1, 1]) == [2, 1, 1, 1]


def test_largest_remainder_beats_earlier_index() -> None:
    # exact shares 0.2, 0.6, 0.2 of 1: the middle has the largest remainder
    assert allocate(1, [1, 3, 1]) == [0, 1, 0]


def test_refund_mirrors_the_expense() -> None:
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]


def test_zero_weight_gets_nothing() -> None:
    assert allocate(10, [0, 1, 0, 1, 1]) == [0, 4, 0, 3, 3]


def test_fraction_weights_are_exact() -> None:
    assert allocate(90, [Fraction(1, 3), Fraction(2, 3)]) == [30, 60]


@pytest.mark.parametrize(
    ("weights", "field"), [([], "weights"), ([0, 0], "weights"), ([1, -1, 2], "weights.1")]
)
def test_bad_weights_are_refused(weights: list[int], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        allocate(100, weights)
    assert caught.value.field == field


@given(TOTALS, WEIGHTS)
def test_parts_sum_exactly_to_the_total(total: int, weights: list[int | Fraction]) -> None:
    assert sum(allocate(total, weights)) == total


@given(TOTALS, WEIGHTS)
def test_each_part_is_within_one_unit_of_its_exact_share(
    total: int, weights: list[int | Fraction]
) -> None:
    weight_sum = sum(weights, Fraction(0))
    for part, weight in zip(allocate(total, weights), weights, strict=True):
        assert abs(part - total * Fraction(weight) / weight_sum) < 1


@given(TOTALS, WEIGHTS)
def test_negative_total_is_the_mirror_of_the_positive(
    total: int, weights: list[int | Fraction]
) -> None:
    assert allocate(-total, weights) == [-part for part in allocate(total, weights)]


@given(TOTALS, WEIGHTS)
def test_zero_weights_always_get_zero(total: int, weights: list[int | Fraction]) -> None:
    for part, weight in zip(allocate(total, weights), weights, strict=True):
        if weight == 0:
            assert part == 0


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=12))
def test_equal_weights_give_non_increasing_parts_in_request_order(total: int, count: int) -> None:
    parts = allocate(total, [1] * count)
    assert parts == sorted(parts, reverse=True)
    assert max(parts) - min(parts) <= 1


@given(
    total=st.integers(min_value=-(10**15), max_value=10**15),
    weights=st.lists(
        st.fractions(min_value=0, max_value=1000, max_denominator=97), min_size=1, max_size=8
    ).filter(lambda ws: sum(ws) > 0),
)
def test_integer_weights_allocate_as_the_same_proportions_in_fractions(
    total: int, weights: list[Fraction]
) -> None:
    """Integer weights take a faster path (imports): it allocates exactly as the exact one."""
    scale = math.lcm(*(w.denominator for w in weights))
    whole = [int(w * scale) for w in weights]
    assert allocate(total, whole) == allocate(total, weights)
    assert allocate(total, whole) == allocate(total, [Fraction(w) for w in whole])
