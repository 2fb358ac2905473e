"""Progress and pace of a goal: calendar months, leap years, no target, past due."""

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from domain.goals.progress import (
    Entry,
    add_months,
    months_between,
    pace_per_month,
    progress,
    split_by,
)

TODAY = date(2026, 3, 15)
LONG_AGO = date(2025, 1, 1)
EQUAL = {"sam": 1, "alex": 1}


def run(entries: list[Entry], **kw: object) -> object:
    args: dict[str, object] = {
        "target": 120_000,
        "due_on": date(2026, 9, 15),
        "today": TODAY,
        "started_on": LONG_AGO,
        "weights": EQUAL,
        "order": ["sam", "alex"],
    }
    return progress(entries, **(args | kw))  # type: ignore[arg-type]


def test_one_month_after_january_31st_is_the_last_day_of_february() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 2) == date(2026, 3, 31)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_months_between_counts_a_started_month_as_one() -> None:
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert months_between(date(2026, 1, 31), date(2026, 3, 1)) == 2
    assert months_between(date(2028, 1, 31), date(2028, 2, 29)) == 1
    assert months_between(date(2026, 3, 15), date(2026, 9, 15)) == 6
    assert months_between(date(2026, 3, 15), date(2026, 9, 16)) == 7
    assert months_between(date(2026, 3, 15), date(2026, 3, 15)) == 0
    assert months_between(date(2026, 3, 15), date(2026, 3, 1)) == 0


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 600))
def test_months_between_undoes_add_months(start: date, months: int) -> None:
    assert months_between(start, add_months(start, months)) == months


def test_monthly_needed_spreads_the_remaining_over_the_months_left_rounding_up() -> None:
    state = run([Entry("sam", date(2026, 1, 1), 20_001)])
    assert state.remaining == 99_999
    assert state.months_left == 6
    assert state.monthly_needed == 16_667  # 6 x 16,667 >= 99,999; 16,666 would fall short


def test_a_due_date_at_a_leap_day_counts_to_the_end_of_february() -> None:
    state = run([], today=date(2028, 1, 31), due_on=date(2028, 2, 29), target=1000)
    assert state.months_left == 1
    assert state.monthly_needed == 1000


def test_the_last_three_months_pace_decides_whether_it_gets_there() -> None:
    steady = [Entry("sam", add_months(TODAY, -m), 20_000) for m in range(3)]
    state = run(steady)  # 20,000 a month for 6 more months + 60,000 saved = 180,000
    assert state.pace_monthly == 20_000
    assert state.projected == 180_000
    assert state.on_track is True
    slow = [Entry("sam", add_months(TODAY, -m), 5_000) for m in range(3)]
    late = run(slow)
    assert late.projected == 15_000 + 6 * 5_000
    assert late.on_track is False


def test_money_from_before_the_pace_window_counts_as_saved_but_not_as_pace() -> None:
    state = run([Entry("sam", date(2025, 6, 1), 50_000), Entry("alex", TODAY, 3_000)])
    assert state.saved == 53_000
    assert state.pace_monthly == 1_000


def test_a_young_goal_measures_its_pace_over_the_months_it_has_existed() -> None:
    entries = [Entry("sam", date(2026, 3, 1), 10_000)]
    assert pace_per_month(entries, today=TODAY, started_on=date(2026, 3, 1)) == 10_000
    two = pace_per_month(entries, today=TODAY, started_on=date(2026, 2, 1))
    assert two == 5_000


def test_a_goal_without_a_target_has_no_remaining_no_monthly_amount_and_no_verdict() -> None:
    state = run([Entry("sam", TODAY, 3_000), Entry("alex", TODAY, 1_000)], target=None)
    assert (state.remaining, state.monthly_needed, state.on_track) == (None, None, None)
    assert state.saved == 4_000
    assert not state.reached
    # Without a target, what each should have carried is their share of what is saved.
    assert state.agreed == {"sam": 2_000, "alex": 2_000}


def test_a_goal_without_a_due_date_has_no_monthly_amount() -> None:
    state = run([], due_on=None)
    assert (state.months_left, state.monthly_needed, state.on_track) == (None, None, None)
    assert state.remaining == 120_000


def test_past_due_and_short_is_off_track_with_no_monthly_amount() -> None:
    state = run([Entry("sam", LONG_AGO, 1_000)], due_on=date(2026, 3, 14))
    assert state.past_due
    assert state.monthly_needed is None
    assert state.on_track is False


def test_due_today_needs_all_of_the_remaining_now() -> None:
    state = run([], due_on=TODAY, target=500)
    assert not state.past_due
    assert state.monthly_needed == 500


def test_a_reached_goal_needs_nothing_more_and_is_on_track_even_past_due() -> None:
    state = run([Entry("sam", LONG_AGO, 130_000)], due_on=date(2026, 1, 1))
    assert state.reached and not state.past_due
    assert (state.remaining, state.monthly_needed, state.on_track) == (0, 0, True)


def test_members_contributed_share_against_the_split() -> None:
    entries = [Entry("sam", TODAY, 9_000), Entry("alex", TODAY, 3_000)]
    state = run(entries, weights={"sam": 1, "alex": 3})
    by_member = {m.member_id: m for m in state.members.members}
    assert by_member["sam"].actual_share == Fraction(3, 4)
    assert by_member["sam"].target_share == Fraction(1, 4)
    assert by_member["sam"].deviation == Fraction(1, 2)
    assert state.agreed == {"sam": 30_000, "alex": 90_000}


def test_a_contributor_outside_the_split_is_reported_with_a_target_share_of_zero() -> None:
    state = run([Entry("robin", TODAY, 100)])
    assert [m.member_id for m in state.members.members] == ["sam", "alex", "robin"]
    assert state.members.members[2].target_share == 0


def test_withdrawals_lower_what_is_saved_and_the_pace() -> None:
    entries = [Entry("sam", LONG_AGO, 10_000), Entry("sam", TODAY - timedelta(days=1), -3_000)]
    state = run(entries)
    assert state.saved == 7_000
    assert state.pace_monthly == -1_000
    assert state.projected == 7_000  # a negative pace is not projected further down


@given(st.integers(-(10**12), 10**12), st.lists(st.integers(0, 50), min_size=1, max_size=8))
def test_split_by_always_sums_to_the_total(total: int, raw: list[int]) -> None:
    weights = {f"m{i}": w for i, w in enumerate(raw)}
    parts = split_by(total, weights)
    assert list(parts) == list(weights)
    assert sum(parts.values()) == (total if any(raw) else 0)


@given(
    st.integers(1, 10**9),
    st.lists(st.integers(-(10**6), 10**7), max_size=12),
    st.integers(1, 120),
)
def test_saving_the_monthly_amount_every_month_reaches_the_target(
    target: int, amounts: list[int], months: int
) -> None:
    entries = [Entry("sam", LONG_AGO, a) for a in amounts]
    state = run(entries, target=target, due_on=add_months(TODAY, months))
    assert state.remaining == max(target - sum(amounts), 0)
    assert state.monthly_needed is not None
    assert state.saved + state.monthly_needed * months >= target
    if state.monthly_needed > 0:
        assert state.saved + (state.monthly_needed - 1) * months < target
