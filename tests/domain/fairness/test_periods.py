from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.agreement.terms import Period
from domain.errors import InvalidInput
from domain.fairness.periods import (
    check_span,
    complete_before,
    containing,
    days_away,
    in_force,
    split,
)

D = date


def test_a_week_runs_monday_to_sunday_and_a_month_is_the_calendar_month() -> None:
    assert containing(D(2026, 3, 4), Period.WEEK) == (D(2026, 3, 2), D(2026, 3, 8))
    assert containing(D(2026, 2, 14), Period.MONTH) == (D(2026, 2, 1), D(2026, 2, 28))
    assert containing(D(2024, 2, 29), Period.MONTH) == (D(2024, 2, 1), D(2024, 2, 29))
    assert containing(D(2026, 12, 31), Period.MONTH) == (D(2026, 12, 1), D(2026, 12, 31))


def test_a_range_splits_into_clipped_calendar_periods() -> None:
    assert split(D(2026, 1, 15), D(2026, 3, 10), Period.MONTH) == [
        (D(2026, 1, 15), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 10)),
    ]
    assert split(D(2026, 3, 4), D(2026, 3, 10), Period.WEEK) == [
        (D(2026, 3, 4), D(2026, 3, 8)),
        (D(2026, 3, 9), D(2026, 3, 10)),
    ]


def test_the_last_whole_periods_end_with_the_one_that_ends_on_the_day() -> None:
    assert complete_before(D(2026, 3, 31), Period.MONTH, 3) == [
        (D(2026, 1, 1), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 31)),
    ]
    # Mid-month, March is not over: the three before it.
    assert complete_before(D(2026, 3, 15), Period.MONTH, 3)[-1] == (D(2026, 2, 1), D(2026, 2, 28))
    assert complete_before(D(2026, 3, 8), Period.WEEK, 2) == [
        (D(2026, 2, 23), D(2026, 3, 1)),
        (D(2026, 3, 2), D(2026, 3, 8)),
    ]


def test_a_period_is_at_most_five_years_and_never_ends_before_it_starts() -> None:
    check_span(D(2020, 1, 1), D(2024, 12, 31))
    check_span(D(2026, 3, 1), D(2026, 3, 1))
    for first, last in ((D(2020, 1, 1), D(2025, 1, 1)), (D(2026, 3, 2), D(2026, 3, 1))):
        with pytest.raises(InvalidInput) as raised:
            check_span(first, last)
        assert raised.value.field == "to"
    check_span(D(2024, 2, 29), D(2029, 2, 27))
    with pytest.raises(InvalidInput):
        check_span(D(2024, 2, 29), D(2029, 2, 28))


def test_versions_cut_a_period_where_each_takes_effect() -> None:
    versions = [(D(2026, 2, 1), "v1"), (D(2026, 3, 10), "v2"), (D(2026, 3, 20), "v3")]
    assert in_force(versions, D(2026, 3, 1), D(2026, 3, 31), "v0") == [
        (D(2026, 3, 1), D(2026, 3, 9), "v1"),
        (D(2026, 3, 10), D(2026, 3, 19), "v2"),
        (D(2026, 3, 20), D(2026, 3, 31), "v3"),
    ]
    assert in_force([], D(2026, 3, 1), D(2026, 3, 31), "v0") == [
        (D(2026, 3, 1), D(2026, 3, 31), "v0")
    ]
    assert in_force([(D(2026, 4, 1), "v1")], D(2026, 3, 1), D(2026, 3, 31), "v0")[0][2] == "v0"


def test_overlapping_absences_count_each_day_once() -> None:
    ranges = [
        (D(2026, 2, 25), D(2026, 3, 5)),
        (D(2026, 3, 3), D(2026, 3, 7)),
        (D(2026, 3, 20), D(2026, 3, 20)),
    ]
    assert days_away(ranges, D(2026, 3, 1), D(2026, 3, 31)) == 7 + 1
    assert days_away([], D(2026, 3, 1), D(2026, 3, 31)) == 0


@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 20)).map(
            lambda t: (
                D(2026, 1, 1) + timedelta(days=t[0]),
                D(2026, 1, 1) + timedelta(days=t[0] + t[1]),
            )
        ),
        max_size=6,
    )
)
def test_days_away_is_the_size_of_the_union_within_the_period(
    ranges: list[tuple[date, date]],
) -> None:
    first, last = D(2026, 1, 10), D(2026, 2, 20)
    covered = {a + timedelta(days=i) for a, b in ranges for i in range((b - a).days + 1)}
    assert days_away(ranges, first, last) == len({d for d in covered if first <= d <= last})
