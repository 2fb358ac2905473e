from collections.abc import Collection, Mapping
from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.chores.assignment import (
    DateRange,
    Preference,
    Strategy,
    assign,
    check_assignment,
    is_absent,
)
from domain.errors import InvalidInput

ANA, BEN, CLEO = "ana", "ben", "cleo"
HOUSE = (ANA, BEN, CLEO)


def pick(
    strategy: Strategy,
    *,
    eligible: tuple[str, ...] = HOUSE,
    load: Mapping[str, Fraction] | None = None,
    preferences: Mapping[str, Preference] | None = None,
    absent: Collection[str] = (),
    last: str | None = None,
    fixed: str | None = None,
) -> str | None:
    return assign(
        strategy,
        eligible=eligible,
        load=load or {},
        preferences=preferences or {},
        absent=absent,
        last_assignee=last,
        fixed_member=fixed,
    )


def test_fixed_gives_the_chore_to_its_member() -> None:
    assert pick(Strategy.FIXED, fixed=BEN, load={BEN: Fraction(500)}) == BEN


def test_fixed_member_away_leaves_the_choice_to_the_caller() -> None:
    assert pick(Strategy.FIXED, fixed=BEN, absent={BEN}) is None


def test_fixed_member_no_longer_eligible_leaves_the_choice_to_the_caller() -> None:
    assert pick(Strategy.FIXED, fixed=BEN, eligible=(ANA, CLEO)) is None


def test_round_robin_takes_the_next_member_after_the_last() -> None:
    assert pick(Strategy.ROUND_ROBIN, last=ANA) == BEN


def test_round_robin_wraps_from_the_last_member_to_the_first() -> None:
    assert pick(Strategy.ROUND_ROBIN, last=CLEO) == ANA


def test_round_robin_starts_with_the_first_member() -> None:
    assert pick(Strategy.ROUND_ROBIN) == ANA
    assert pick(Strategy.ROUND_ROBIN, last="former member") == ANA


def test_round_robin_skips_an_absent_member_and_wraps() -> None:
    assert pick(Strategy.ROUND_ROBIN, last=BEN, absent={CLEO}) == ANA


def test_round_robin_comes_back_to_the_last_assignee_when_everyone_else_is_away() -> None:
    assert pick(Strategy.ROUND_ROBIN, last=BEN, absent={ANA, CLEO}) == BEN


def test_least_loaded_takes_the_member_with_the_fewest_weighted_minutes() -> None:
    load = {ANA: Fraction(300), BEN: Fraction(120), CLEO: Fraction(241, 2)}
    assert pick(Strategy.LEAST_LOADED, load=load) == BEN


def test_least_loaded_counts_a_member_without_load_as_zero() -> None:
    assert pick(Strategy.LEAST_LOADED, load={ANA: Fraction(1), BEN: Fraction(1)}) == CLEO


def test_least_loaded_never_chooses_an_absent_member() -> None:
    load = {ANA: Fraction(0), BEN: Fraction(90), CLEO: Fraction(60)}
    assert pick(Strategy.LEAST_LOADED, load=load, absent={ANA}) == CLEO


def test_least_loaded_tie_goes_to_prefer_then_neutral_then_avoid() -> None:
    preferences = {ANA: Preference.AVOID, CLEO: Preference.PREFER}
    assert pick(Strategy.LEAST_LOADED, preferences=preferences) == CLEO
    assert pick(Strategy.LEAST_LOADED, preferences={ANA: Preference.AVOID}) == BEN


def test_least_loaded_tie_with_equal_preferences_goes_to_eligible_order() -> None:
    assert pick(Strategy.LEAST_LOADED, eligible=(CLEO, ANA, BEN)) == CLEO


def test_preference_does_not_outweigh_a_lighter_load() -> None:
    load = {ANA: Fraction(10), BEN: Fraction(11)}
    preferences = {ANA: Preference.AVOID, BEN: Preference.PREFER}
    assert (
        pick(Strategy.LEAST_LOADED, eligible=(ANA, BEN), load=load, preferences=preferences) == ANA
    )


@pytest.mark.parametrize("strategy", list(Strategy))
def test_nobody_is_chosen_when_every_eligible_member_is_away(strategy: Strategy) -> None:
    assert pick(strategy, fixed=ANA, absent=set(HOUSE)) is None


def test_absence_includes_its_first_and_last_day() -> None:
    absences = {BEN: [DateRange(date(2025, 7, 1), date(2025, 7, 14))]}
    assert not is_absent(BEN, date(2025, 6, 30), absences)
    assert is_absent(BEN, date(2025, 7, 1), absences)
    assert is_absent(BEN, date(2025, 7, 14), absences)
    assert not is_absent(BEN, date(2025, 7, 15), absences)
    assert not is_absent(ANA, date(2025, 7, 5), absences)


def test_absence_that_ends_before_it_starts_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        DateRange(date(2025, 7, 14), date(2025, 7, 1))
    assert caught.value.field == "to"


@pytest.mark.parametrize(
    ("strategy", "eligible", "fixed", "field"),
    [
        (Strategy.ROUND_ROBIN, (), None, "eligible_member_ids"),
        (Strategy.ROUND_ROBIN, (ANA, ANA), None, "eligible_member_ids"),
        (Strategy.FIXED, HOUSE, None, "assignment.member_id"),
        (Strategy.FIXED, (ANA, BEN), CLEO, "assignment.member_id"),
    ],
)
def test_assignment_settings_no_occurrence_could_satisfy_are_rejected(
    strategy: Strategy, eligible: tuple[str, ...], fixed: str | None, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_assignment(strategy, eligible=eligible, fixed_member=fixed)
    assert caught.value.field == field


def test_consistent_assignment_settings_pass() -> None:
    check_assignment(Strategy.FIXED, eligible=HOUSE, fixed_member=CLEO)
    check_assignment(Strategy.LEAST_LOADED, eligible=HOUSE, fixed_member=None)


MEMBERS = ("ana", "ben", "cleo", "dev")
situations = st.fixed_dictionaries(
    {
        "eligible": st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=4, unique=True),
        "load": st.dictionaries(st.sampled_from(MEMBERS), st.fractions(0, 1000)),
        "preferences": st.dictionaries(st.sampled_from(MEMBERS), st.sampled_from(Preference)),
        "absent": st.sets(st.sampled_from(MEMBERS)),
        "last_assignee": st.none() | st.sampled_from(MEMBERS),
        "fixed_member": st.none() | st.sampled_from(MEMBERS),
    }
)


@given(strategy=st.sampled_from(Strategy), situation=situations)
def test_choice_is_always_an_eligible_member_who_is_here(
    strategy: Strategy, situation: dict[str, Any]
) -> None:
    chosen = assign(strategy, **situation)
    present = [m for m in situation["eligible"] if m not in situation["absent"]]
    if chosen is not None:
        assert chosen in present
    elif strategy is not Strategy.FIXED:
        assert present == []


@given(situation=situations)
def test_balanced_chooses_like_least_loaded_until_the_fairness_engine_exists(
    situation: dict[str, Any],
) -> None:
    assert assign(Strategy.BALANCED, **situation) == assign(Strategy.LEAST_LOADED, **situation)
