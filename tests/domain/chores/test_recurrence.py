from datetime import date, timedelta

import pytest

from domain.errors import InvalidInput
from domain.recurrence import MAX_EXPANSIONS, occurrences, validate_rrule

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def due(rule: str | None, starts_on: date, until: date, tz: str = BERLIN) -> list[date]:
    return occurrences(rule, starts_on=starts_on, tz=tz, window_from=starts_on, window_to=until)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("tz", "first", "last"),
    [
        (BERLIN, date(2025, 3, 28), date(2025, 4, 2)),  # clocks go forward on 30 March
        (BERLIN, date(2025, 10, 24), date(2025, 10, 29)),  # and back on 26 October
        (NEW_YORK, date(2025, 3, 7), date(2025, 3, 11)),  # forward on 9 March
        (NEW_YORK, date(2025, 10, 31), date(2025, 11, 4)),  # back on 2 November
        ("America/Santiago", date(2022, 9, 9), date(2022, 9, 13)),  # 11 Sep had no midnight
    ],
)
def test_daily_chore_falls_due_every_day_across_a_dst_change(
    tz: str, first: date, last: date
) -> None:
    assert due("FREQ=DAILY", first, last, tz) == days(first, last)


def test_weekly_chore_keeps_its_weekday_across_a_dst_change() -> None:
    assert due("FREQ=WEEKLY;BYDAY=SU", date(2025, 3, 20), date(2025, 4, 10)) == [
        date(2025, 3, 23),
        date(2025, 3, 30),
        date(2025, 4, 6),
    ]


def test_first_sunday_rule_lands_on_the_new_york_fall_back_day() -> None:
    rule = "FREQ=MONTHLY;BYDAY=1SU"
    assert due(rule, date(2025, 10, 1), date(2025, 12, 31), NEW_YORK) == [
        date(2025, 10, 5),
        date(2025, 11, 2),
        date(2025, 12, 7),
    ]


def test_bymonthday_31_skips_months_without_a_31st() -> None:
    assert due("FREQ=MONTHLY;BYMONTHDAY=31", date(2025, 1, 1), date(2025, 7, 31)) == [
        date(2025, 1, 31),
        date(2025, 3, 31),
        date(2025, 5, 31),
        date(2025, 7, 31),
    ]


def test_bymonthday_minus_one_is_the_last_day_of_every_month_including_leap_february() -> None:
    assert due("FREQ=MONTHLY;BYMONTHDAY=-1", date(2028, 1, 1), date(2028, 4, 30)) == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
    ]


def test_byday_monday_and_thursday() -> None:
    assert due("FREQ=WEEKLY;BYDAY=MO,TH", date(2025, 1, 1), date(2025, 1, 13)) == [
        date(2025, 1, 2),
        date(2025, 1, 6),
        date(2025, 1, 9),
        date(2025, 1, 13),
    ]


def test_second_tuesday_and_last_friday_of_the_month() -> None:
    start, end = date(2025, 1, 1), date(2025, 3, 31)
    assert due("FREQ=MONTHLY;BYDAY=2TU", start, end) == [
        date(2025, 1, 14),
        date(2025, 2, 11),
        date(2025, 3, 11),
    ]
    assert due("FREQ=MONTHLY;BYDAY=-1FR", start, end) == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 28),
    ]


def test_every_other_week_counts_weeks_from_monday() -> None:
    assert due("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SU", date(2025, 1, 6), date(2025, 1, 31)) == [
        date(2025, 1, 6),
        date(2025, 1, 12),
        date(2025, 1, 20),
        date(2025, 1, 26),
    ]


def test_count_is_counted_from_the_start_not_from_the_window() -> None:
    rule = "FREQ=DAILY;COUNT=3"
    start = date(2025, 1, 1)
    assert due(rule, start, date(2025, 1, 31)) == days(start, date(2025, 1, 3))
    later = occurrences(
        rule, starts_on=start, tz=BERLIN, window_from=date(2025, 1, 3), window_to=date(2025, 2, 1)
    )
    assert later == [date(2025, 1, 3)]


def test_until_as_a_date_includes_that_day() -> None:
    start = date(2025, 3, 27)
    assert due("FREQ=DAILY;UNTIL=20250330", start, date(2025, 4, 30)) == days(
        start, date(2025, 3, 30)
    )


def test_until_in_utc_is_an_instant_read_in_the_household_zone() -> None:
    # 03:00 UTC on 5 January is after midnight in Berlin but still 4 January in New York.
    rule = "FREQ=DAILY;UNTIL=20250105T030000Z"
    start, end = date(2025, 1, 1), date(2025, 1, 31)
    assert due(rule, start, end, BERLIN)[-1] == date(2025, 1, 5)
    assert due(rule, start, end, NEW_YORK)[-1] == date(2025, 1, 4)


def test_one_off_chore_falls_due_only_on_its_start() -> None:
    start = date(2025, 5, 4)
    assert due(None, start, date(2025, 5, 31)) == [start]
    assert (
        occurrences(
            None,
            starts_on=start,
            tz=BERLIN,
            window_from=date(2025, 5, 5),
            window_to=date(2025, 6, 1),
        )
        == []
    )


def test_lowercase_rule_with_rrule_prefix_is_accepted() -> None:
    assert due("rrule:freq=daily;count=2", date(2025, 1, 1), date(2025, 1, 9)) == [
        date(2025, 1, 1),
        date(2025, 1, 2),
    ]


def test_a_valid_rule_passes_validation() -> None:
    validate_rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", date(2097, 3, 1), BERLIN)


@pytest.mark.parametrize(
    ("rule", "starts_on"),
    [
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", date(2025, 1, 1)),
        ("FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", date(2025, 1, 1)),
        ("FREQ=MONTHLY;BYDAY=6MO", date(2025, 1, 1)),
        ("FREQ=DAILY;UNTIL=20241231", date(2025, 1, 1)),
        # Every fourth year from an odd year never meets a 29 February.
        ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", date(2025, 1, 1)),
    ],
)
def test_rule_that_never_falls_due_is_rejected(rule: str, starts_on: date) -> None:
    with pytest.raises(InvalidInput, match="never falls due") as caught:
        validate_rrule(rule, starts_on, BERLIN)
    assert caught.value.field == "recurrence"


def test_expanding_a_rule_that_never_falls_due_gives_nothing() -> None:
    assert due("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", date(2025, 1, 1), date(2026, 1, 1)) == []


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("every monday", "NAME=VALUE"),
        ("FREQ=FORTNIGHTLY", "by the day at most"),
        ("FREQ=HOURLY", "by the day at most"),
        ("FREQ=MINUTELY;COUNT=5", "by the day at most"),
        ("FREQ=SECONDLY", "by the day at most"),
        ("FREQ=DAILY;BYHOUR=8,20", "by the day at most"),
        ("DTSTART:20250101\nRRULE:FREQ=DAILY", "DTSTART"),
        ("DTSTART=20250101;FREQ=DAILY", "DTSTART"),
        ("RRULE:FREQ=DAILY\nEXDATE:20250102", "single RRULE"),
        ("BYDAY=MO", "needs a FREQ"),
        ("FREQ=DAILY;FREQ=WEEKLY", "twice"),
        ("FREQ=DAILY;COLOR=BLUE", "not a recurrence rule part"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20250105", "COUNT or UNTIL"),
        ("FREQ=DAILY;COUNT=0", "COUNT must be"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be"),
        ("FREQ=DAILY;INTERVAL=-1", "INTERVAL must be"),
        ("FREQ=DAILY;INTERVAL=100000000", "INTERVAL must be"),
        ("FREQ=DAILY;UNTIL=tomorrow", "UNTIL must be"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH takes"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY takes"),
        ("FREQ=MONTHLY;BYSETPOS=-400;BYDAY=MO", "BYSETPOS takes"),
        ("FREQ=WEEKLY;BYDAY=2TU", "needs FREQ=MONTHLY"),
        ("FREQ=WEEKLY;BYDAY=MONDAY", "is not a day"),
        ("FREQ=WEEKLY;BYMONTHDAY=1", "cannot be used with FREQ=WEEKLY"),
        ("FREQ=MONTHLY;BYWEEKNO=1", "cannot be used with FREQ=MONTHLY"),
        ("FREQ=WEEKLY;WKST=XX", "WKST"),
        ("FREQ=DAILY;BYMONTH=" + ",".join(["1"] * 300), "longer than"),
    ],
)
def test_unreadable_or_unsupported_rule_is_rejected_with_a_reason(rule: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        validate_rrule(rule, date(2025, 1, 1), BERLIN)
    assert caught.value.field == "recurrence"


def test_unknown_time_zone_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_rrule("FREQ=DAILY", date(2025, 1, 1), "Mars/Olympus_Mons")
    assert caught.value.field == "timezone"


def test_window_that_ends_before_it_starts_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        occurrences(
            "FREQ=DAILY",
            starts_on=date(2025, 1, 1),
            tz=BERLIN,
            window_from=date(2025, 2, 1),
            window_to=date(2025, 1, 1),
        )
    assert caught.value.field == "to"


def test_expansion_is_capped_for_a_start_far_in_the_past() -> None:
    start = date(2025, 1, 1) - timedelta(days=MAX_EXPANSIONS)
    with pytest.raises(InvalidInput) as caught:
        due("FREQ=DAILY", start, date(2025, 1, 1))
    assert caught.value.field == "starts_on"
