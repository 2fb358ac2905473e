"""Calendar entries as an RFC 5545 document, written by `icalendar`.

Chores and goal dates are all-day events (a chore is due on a day, never at an hour); a
decision's deadline is a moment, written in the household's zone with its VTIMEZONE, so a
calendar app shows it at the household's wall-clock time wherever the reader is. The
VTIMEZONE is always there, and X-WR-TIMEZONE too, for the apps that read only that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from domain.feeds.entries import Entry
from domain.households.models import Household

if TYPE_CHECKING:  # icalendar loads when a feed is first rendered: some 8 MB a server
    from icalendar import Event  # without calendar subscribers never carries

PRODID = "-//Fairstead//Household calendar//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"
# How long a calendar app should wait before it polls again (REFRESH-INTERVAL, RFC 7986).
REFRESH = timedelta(hours=1)


def _event(entry: Entry, zone: ZoneInfo, stamp: datetime) -> Event:
    from icalendar import Event
    from icalendar.enums import STATUS, TRANSP

    event = Event.new(
        uid=entry.uid,
        sequence=entry.sequence,
        summary=entry.summary,
        description=entry.description or None,
        categories=[entry.category],
        stamp=stamp,
        status=STATUS.CANCELLED if entry.cancelled else STATUS.CONFIRMED,
        transparency=TRANSP.TRANSPARENT,
    )
    if entry.moment is not None:
        event.start = entry.moment.astimezone(zone)
    else:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
    return event


def render(
    entries: Sequence[Entry], *, household: Household, name: str, uid: str, now: datetime
) -> bytes:
    """`uid` names the calendar itself, the same on every read (the feed's ETag covers its
    bytes)."""
    from icalendar import Calendar, Timezone

    zone = ZoneInfo(household.timezone)
    # DTSTAMP to the hour: the feed's ETag holds for the hour, so must the bytes it names.
    stamp = now.replace(minute=0, second=0, microsecond=0)
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid, refresh_interval=REFRESH)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", household.timezone)
    calendar.add("x-published-ttl", "PT1H")
    # Only timed entries (vote deadlines) use the zone's rules: cover those and this year.
    days = [e.day for e in entries if e.moment is not None] + [now.date()]
    calendar.add_component(
        Timezone.from_tzid(
            household.timezone,
            first_date=min(days) - timedelta(days=366),
            last_date=max(max(days), date(now.year, 12, 31)) + timedelta(days=366),
        )
    )
    for entry in entries:
        calendar.add_component(_event(entry, zone, stamp))
    body: bytes = calendar.to_ical()
    return body
