"""Quiet hours: a span of the household's day (`22:00`–`07:00` wraps past midnight) in which
a target gets nothing; what falls inside waits until the span ends. Pure: no clock."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


def parse(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def release(
    moment: datetime, zone: ZoneInfo, quiet_from: str | None, quiet_to: str | None
) -> datetime:
    """The first moment at or after `moment` (aware) outside the quiet span, in UTC terms."""
    if not quiet_from or not quiet_to or quiet_from == quiet_to:
        return moment
    start, end = parse(quiet_from), parse(quiet_to)
    local = moment.astimezone(zone)
    now = local.time()
    wraps = start > end
    inside = (now >= start or now < end) if wraps else (start <= now < end)
    if not inside:
        return moment
    day = local.date()
    if wraps and now >= start:
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone).astimezone(moment.tzinfo)
