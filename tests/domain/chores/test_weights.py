from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.agreement.terms import Load
from domain.chores.weights import weighted_minutes
from domain.errors import InvalidInput


def test_without_an_agreement_a_minute_weighs_a_minute() -> None:
    assert weighted_minutes(45, effort=5, load=Load.CONCEPTION) == Fraction(45)


def test_effort_and_load_multipliers_both_apply() -> None:
    minutes = weighted_minutes(
        30,
        effort=4,
        load=Load.PLANNING,
        effort_multipliers={4: Fraction(3, 2)},
        load_multipliers={Load.PLANNING: Fraction(5, 4)},
    )
    assert minutes == Fraction(225, 4)


def test_a_level_the_agreement_leaves_out_weighs_one() -> None:
    multipliers = {Load.CONCEPTION: Fraction(2)}
    assert weighted_minutes(10, effort=1, load=Load.EXECUTION, load_multipliers=multipliers) == 10
    assert weighted_minutes(10, effort=1, load=Load.CONCEPTION, load_multipliers=multipliers) == 20


def test_thirds_stay_exact() -> None:
    minutes = weighted_minutes(
        10,
        effort=2,
        load=Load.PLANNING,
        effort_multipliers={2: Fraction(1, 3)},
        load_multipliers={Load.PLANNING: Fraction(3)},
    )
    assert minutes == 10
    assert isinstance(minutes, Fraction)


def test_load_values_are_the_api_words() -> None:
    assert [load.value for load in Load] == ["execution", "planning", "conception"]


@pytest.mark.parametrize("effort", [0, 6, -1])
def test_effort_outside_one_to_five_is_rejected(effort: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        weighted_minutes(10, effort=effort, load=Load.EXECUTION)
    assert caught.value.field == "effort"


def test_negative_minutes_are_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        weighted_minutes(-1, effort=3, load=Load.EXECUTION)
    assert caught.value.field == "minutes"


def test_negative_multiplier_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        weighted_minutes(5, effort=3, load=Load.EXECUTION, effort_multipliers={3: Fraction(-1)})
    assert caught.value.field == "weights"


MULTIPLIERS = st.fractions(min_value=0, max_value=5, max_denominator=100)


@given(
    a=st.integers(0, 1440),
    b=st.integers(0, 1440),
    effort=st.integers(1, 5),
    load=st.sampled_from(Load),
    effort_factor=MULTIPLIERS,
    load_factor=MULTIPLIERS,
)
def test_weighing_a_sum_equals_summing_the_weights(
    a: int, b: int, effort: int, load: Load, effort_factor: Fraction, load_factor: Fraction
) -> None:
    # So stats may weigh the minutes summed per effort and load in SQL, not row by row.
    def weigh(minutes: int) -> Fraction:
        return weighted_minutes(
            minutes,
            effort=effort,
            load=load,
            effort_multipliers={effort: effort_factor},
            load_multipliers={load: load_factor},
        )

    assert weigh(a + b) == weigh(a) + weigh(b)
