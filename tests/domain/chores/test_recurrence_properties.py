"""Invariants of recurrence expansion over many zones, starts, windows and rule texts."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.recurrence import occurrences, validate_rrule

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"


def due(rule: str, starts_on: date, until: date, tz: str) -> list[date]:
    return occurrences(rule, starts_on=starts_on, tz=tz, window_from=starts_on, window_to=until)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


ZONES = st.sampled_from(
    [BERLIN, NEW_YORK, "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
)
RULES = st.sampled_from(
    [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        "FREQ=WEEKLY;INTERVAL=2",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=MONTHLY;BYDAY=2TU",
        "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=DAILY;COUNT=40",
    ]
)
STARTS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(zone=ZONES, start=STARTS, length=st.integers(0, 400))
def test_daily_rule_yields_each_date_exactly_once_in_any_zone(
    zone: str, start: date, length: int
) -> None:
    end = start + timedelta(days=length)
    assert due("FREQ=DAILY", start, end, zone) == days(start, end)


@given(
    rule=RULES,
    zone=ZONES,
    start=STARTS,
    offsets=st.tuples(st.integers(-30, 400), st.integers(0, 400), st.integers(0, 400)),
)
def test_splitting_the_window_splits_the_due_dates(
    rule: str, zone: str, start: date, offsets: tuple[int, int, int]
) -> None:
    first = start + timedelta(days=offsets[0])
    middle = first + timedelta(days=offsets[1])
    last = middle + timedelta(days=offsets[2] + 1)

    def window(a: date, b: date) -> list[date]:
        return occurrences(rule, starts_on=start, tz=zone, window_from=a, window_to=b)

    whole = window(first, last)
    assert whole == window(first, middle) + window(middle + timedelta(days=1), last)
    assert whole == sorted(set(whole))
    assert all(max(first, start) <= day <= last for day in whole)


NAMES = ["FREQ", "COUNT", "UNTIL", "INTERVAL", "BYDAY", "BYMONTH", "BYMONTHDAY", "BYSETPOS"]
VALUES = ["WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "0", "2", "-1", "31", "MO", "2TU", "20250101"]
rule_texts = st.lists(
    st.tuples(st.sampled_from(NAMES), st.lists(st.sampled_from(VALUES), min_size=1, max_size=3)),
    max_size=4,
).map(lambda parts: ";".join(f"{name}={','.join(values)}" for name, values in parts))


@settings(max_examples=150, deadline=None)
@given(rule=rule_texts | st.text(max_size=40))
def test_any_text_is_either_a_rule_or_a_readable_rejection(rule: str) -> None:
    try:
        validate_rrule(rule, date(2025, 1, 1), BERLIN)
    except InvalidInput as error:
        assert error.field == "recurrence"
        assert error.detail
