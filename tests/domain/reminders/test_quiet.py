"""Quiet hours: a reminder inside the span waits exactly until it ends, in household time,
across midnight and across DST changes; one outside it goes at once."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from domain.reminders.quiet import parse, release

BERLIN = ZoneInfo("Europe/Berlin")
clocks = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30, 45])
)
moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


def inside(moment: datetime, start: str, end: str) -> bool:
    now, a, b = moment.astimezone(BERLIN).time(), parse(start), parse(end)
    return (now >= a or now < b) if a > b else a <= now < b


@given(moments, clocks, clocks)
def test_a_reminder_goes_at_the_first_moment_outside_quiet_hours(
    moment: datetime, start: str, end: str
) -> None:
    released = release(moment, BERLIN, start, end)
    assert released >= moment
    assert released - moment <= timedelta(hours=25)
    if start == end or not inside(moment, start, end):
        assert released == moment
    else:
        assert not inside(released, start, end)
        assert inside(released - timedelta(minutes=1), start, end)  # the first moment out


def test_a_span_past_midnight_waits_for_the_morning() -> None:
    late = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert release(late, BERLIN, "22:00", "07:00") == datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    early = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)  # 06:00
    assert release(early, BERLIN, "22:00", "07:00") == datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    noon = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
    assert release(noon, BERLIN, "22:00", "07:00") == noon
    assert release(noon, BERLIN, None, None) == noon
