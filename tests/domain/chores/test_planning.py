from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.agreement.terms import Load
from domain.chores.assignment import (
    ChoreAssignment,
    DateRange,
    Due,
    Preference,
    Strategy,
    plan_assignments,
)
from domain.chores.weights import weighted_minutes

ANA, BEN = "ana", "ben"
COUPLE = (ANA, BEN)
JUNE = date(2025, 6, 1)


def daily(minutes_by_chore: dict[str, int], days: int) -> list[Due[str]]:
    """Every chore once a day, in the order given, for `days` days from 1 June."""
    return [
        Due(chore, JUNE + timedelta(days=day), Fraction(minutes))
        for day in range(days)
        for chore, minutes in minutes_by_chore.items()
    ]


def minutes_per_member(dues: list[Due[str]], assignees: list[str | None]) -> dict[str, Fraction]:
    totals: dict[str, Fraction] = {}
    for due, member in zip(dues, assignees, strict=True):
        if member is not None:
            totals[member] = totals.get(member, Fraction(0)) + due.weight
    return totals


def plan_by(
    strategy: Strategy, dues: list[Due[str]], *, count_only: bool = False
) -> list[str | None]:
    """Plan with one strategy for every chore; `count_only` weighs each occurrence as 1,
    which is what apps that balance completion counts do."""
    weighed = [Due(d.chore, d.due_on, Fraction(1)) for d in dues] if count_only else dues
    chores = {due.chore: ChoreAssignment(strategy, COUPLE) for due in dues}
    return plan_assignments(weighed, chores=chores, load={}, last_assignees={}, absences={})


def test_balancing_counts_hands_one_member_the_90_minute_chore_and_time_fixes_it() -> None:
    dues = daily({"cook dinner": 90, "take out bins": 5}, days=30)

    by_count = plan_by(Strategy.LEAST_LOADED, dues, count_only=True)
    assert by_count.count(ANA) == by_count.count(BEN) == 30
    assert {m for d, m in zip(dues, by_count, strict=True) if d.chore == "cook dinner"} == {ANA}
    assert minutes_per_member(dues, by_count) == {ANA: 2700, BEN: 150}

    by_time = minutes_per_member(dues, plan_by(Strategy.LEAST_LOADED, dues))
    assert by_time[ANA] + by_time[BEN] == 2850
    assert abs(by_time[ANA] - by_time[BEN]) <= 90


def test_the_issues_77_5_versus_62_hour_month_is_closed_by_least_loaded() -> None:
    chores = {"cook": 90, "dishes": 60, "laundry": 40, "tidy": 34, "bathroom": 25, "bins": 30}
    dues = daily(chores, days=30)

    by_count = plan_by(Strategy.LEAST_LOADED, dues, count_only=True)
    assert by_count.count(ANA) == by_count.count(BEN)
    assert minutes_per_member(dues, by_count) == {ANA: 4650, BEN: 3720}  # 77.5 h, 62 h

    by_time = minutes_per_member(dues, plan_by(Strategy.LEAST_LOADED, dues))
    assert abs(by_time[ANA] - by_time[BEN]) <= 90


def test_per_chore_round_robin_alternates_each_chore_between_members() -> None:
    dues = daily({"cook dinner": 90}, days=4)
    assert plan_by(Strategy.ROUND_ROBIN, dues) == [ANA, BEN, ANA, BEN]


def test_round_robin_continues_from_each_chores_last_assignee() -> None:
    dues = daily({"cook": 90, "bins": 5}, days=2)
    chores = {name: ChoreAssignment(Strategy.ROUND_ROBIN, COUPLE) for name in ("cook", "bins")}
    planned = plan_assignments(
        dues, chores=chores, load={}, last_assignees={"cook": ANA, "bins": BEN}, absences={}
    )
    assert planned == [BEN, ANA, ANA, BEN]


def test_a_fixed_chore_counts_in_the_load_least_loaded_balances() -> None:
    dues = daily({"cook": 90, "bins": 5, "laundry": 30}, days=10)
    chores = {
        "cook": ChoreAssignment(Strategy.FIXED, COUPLE, fixed_member=ANA),
        "bins": ChoreAssignment(Strategy.LEAST_LOADED, COUPLE),
        "laundry": ChoreAssignment(Strategy.LEAST_LOADED, COUPLE),
    }
    planned = plan_assignments(dues, chores=chores, load={}, last_assignees={}, absences={})
    assert [m for d, m in zip(dues, planned, strict=True) if d.chore != "cook"] == [BEN] * 20


def test_starting_load_includes_what_was_done_and_assigned_before() -> None:
    dues = daily({"cook": 90}, days=4)
    chores = {"cook": ChoreAssignment(Strategy.LEAST_LOADED, COUPLE)}
    load = {ANA: Fraction(200)}
    planned = plan_assignments(dues, chores=chores, load=load, last_assignees={}, absences={})
    assert planned == [BEN, BEN, BEN, ANA]  # ben, until his 270 passes her 200
    assert load == {ANA: Fraction(200)}


def test_nobody_is_planned_while_away_and_the_rotation_resumes_after() -> None:
    dues = daily({"cook": 90}, days=6)
    chores = {"cook": ChoreAssignment(Strategy.ROUND_ROBIN, COUPLE)}
    away = {BEN: [DateRange(JUNE + timedelta(days=1), JUNE + timedelta(days=2))]}
    planned = plan_assignments(dues, chores=chores, load={}, last_assignees={}, absences=away)
    assert planned == [ANA, ANA, ANA, BEN, ANA, BEN]


def test_an_occurrence_nobody_can_take_stays_open_and_moves_nothing() -> None:
    dues = daily({"cook": 90}, days=3)
    chores = {"cook": ChoreAssignment(Strategy.ROUND_ROBIN, COUPLE)}
    everyone_away = {
        m: [DateRange(JUNE + timedelta(days=1), JUNE + timedelta(days=1))] for m in COUPLE
    }
    planned = plan_assignments(
        dues, chores=chores, load={}, last_assignees={}, absences=everyone_away
    )
    assert planned == [ANA, None, BEN]


def test_answers_line_up_with_the_dues_given_out_of_order() -> None:
    first, second = JUNE, JUNE + timedelta(days=1)
    dues = [Due("cook", second, Fraction(90)), Due("cook", first, Fraction(90))]
    chores = {"cook": ChoreAssignment(Strategy.ROUND_ROBIN, COUPLE)}
    planned = plan_assignments(dues, chores=chores, load={}, last_assignees={}, absences={})
    assert planned == [BEN, ANA]


MEMBERS = ("ana", "ben", "cleo", "dev")
chore_specs = st.fixed_dictionaries(
    {
        "minutes": st.integers(1, 240),
        "effort": st.integers(1, 5),
        "load": st.sampled_from(Load),
        "every": st.integers(1, 7),
        "offset": st.integers(0, 6),
        "preferences": st.dictionaries(st.sampled_from(MEMBERS), st.sampled_from(Preference)),
    }
)
effort_weights = st.dictionaries(
    st.integers(1, 5), st.fractions(Fraction(1, 2), 3, max_denominator=4)
)


def horizon(specs: list[dict[str, Any]], days: int) -> list[Due[int]]:
    """Each chore every `every` days from its offset: many occurrences of several weights."""
    return [
        Due(number, JUNE + timedelta(days=day), Fraction(0))
        for day in range(days)
        for number, spec in enumerate(specs)
        if day % spec["every"] == spec["offset"] % spec["every"]
    ]


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(2, 4),
    specs=st.lists(chore_specs, min_size=1, max_size=6),
    days=st.integers(1, 120),
    effort_multipliers=effort_weights,
    strategy=st.sampled_from([Strategy.LEAST_LOADED, Strategy.BALANCED]),
)
def test_least_loaded_keeps_every_gap_within_the_heaviest_chore_over_a_long_horizon(
    size: int,
    specs: list[dict[str, Any]],
    days: int,
    effort_multipliers: dict[int, Fraction],
    strategy: Strategy,
) -> None:
    members = MEMBERS[:size]
    weights = [
        weighted_minutes(
            spec["minutes"],
            effort=spec["effort"],
            load=spec["load"],
            effort_multipliers=effort_multipliers,
        )
        for spec in specs
    ]
    dues = [Due(d.chore, d.due_on, weights[d.chore]) for d in horizon(specs, days)]
    chores = {
        number: ChoreAssignment(strategy, members, preferences=spec["preferences"])
        for number, spec in enumerate(specs)
    }
    planned = plan_assignments(dues, chores=chores, load={}, last_assignees={}, absences={})

    heaviest = max(weights)
    totals = dict.fromkeys(members, Fraction(0))
    for due, member in zip(dues, planned, strict=True):
        assert member is not None
        totals[member] += due.weight
        assert max(totals.values()) - min(totals.values()) <= heaviest


@settings(max_examples=60, deadline=None)
@given(
    specs=st.lists(
        st.tuples(
            st.sampled_from(Strategy),
            st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=4, unique=True),
            st.integers(1, 4),
        ),
        min_size=1,
        max_size=4,
    ),
    away=st.dictionaries(
        st.sampled_from(MEMBERS),
        st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10)), max_size=3),
    ),
)
def test_a_plan_never_gives_an_occurrence_to_someone_away_or_ineligible(
    specs: list[tuple[Strategy, list[str], int]], away: dict[str, list[tuple[int, int]]]
) -> None:
    chores = {
        n: ChoreAssignment(strategy, tuple(eligible), fixed_member=eligible[0])
        for n, (strategy, eligible, _) in enumerate(specs)
    }
    dues = [
        Due(n, JUNE + timedelta(days=day), Fraction(every * 10))
        for day in range(42)
        for n, (_, _, every) in enumerate(specs)
        if day % every == 0
    ]
    absences = {
        member: [
            DateRange(JUNE + timedelta(days=s), JUNE + timedelta(days=s + n)) for s, n in spans
        ]
        for member, spans in away.items()
    }
    planned = plan_assignments(dues, chores=chores, load={}, last_assignees={}, absences=absences)
    for due, member in zip(dues, planned, strict=True):
        here = [
            m
            for m in chores[due.chore].eligible
            if not any(r.first <= due.due_on <= r.last for r in absences.get(m, []))
        ]
        if member is None:
            assert chores[due.chore].strategy is Strategy.FIXED or here == []
        else:
            assert member in here
