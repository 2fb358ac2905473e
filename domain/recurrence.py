"""Expand an RFC 5545 RRULE (a chore's or a recurring expense's) into local due dates.

A chore is due on a day, never at an hour, so every rule is anchored at local midnight of
`starts_on` in the household's zone and only its date is kept: dateutil combines each date
with that wall-clock time, so a DST change can never move a due date. The rule text is
checked here, part by part, so the user gets a sentence about what is wrong, and so no rule
can make the expansion loop for long (see `_pattern_matches`).
"""

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

FIELD = "recurrence"
MAX_RULE_LENGTH = 500
MAX_INTERVAL = 1000
# Over 136 years of a daily chore: more than that is a bad start date, not a chore.
MAX_EXPANSIONS = 50_000

_DAY_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_TIME_PARTS = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})
# Upper bound of each numeric BY part and whether it may count from the end (-1 = last).
_RANGES = {
    "BYMONTH": (12, False),
    "BYMONTHDAY": (31, True),
    "BYYEARDAY": (366, True),
    "BYWEEKNO": (53, True),
    "BYSETPOS": (366, True),
}
_KNOWN_PARTS = frozenset({"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "WKST", *_RANGES})
# RFC 5545 3.3.10 forbids these parts with other frequencies; dateutil would silently
# give them a meaning of its own instead.
_ONLY_WITH = {
    "BYWEEKNO": frozenset({"YEARLY"}),
    "BYYEARDAY": frozenset({"YEARLY"}),
    "BYMONTHDAY": frozenset({"DAILY", "MONTHLY", "YEARLY"}),
}
_WEEKDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
# The Gregorian calendar repeats every 400 years: 146,097 days, a whole number of weeks.
_CALENDAR_CYCLE_YEARS = 400
_LAST_PROBE_YEAR = 9999 - _CALENDAR_CYCLE_YEARS


def validate_rrule(rule: str, starts_on: date, tz: str) -> None:
    """Reject a rule that cannot be read, sets its own DTSTART, or never falls due."""
    compiled = _compile(rule, starts_on, household_zone(tz))
    if compiled is None or next(iter(compiled), None) is None:
        raise InvalidInput(
            f"The recurrence never falls due on or after {starts_on.isoformat()}.", field=FIELD
        )


def occurrences(
    rule: str | None, *, starts_on: date, tz: str, window_from: date, window_to: date
) -> list[date]:
    """Due dates from `window_from` to `window_to` inclusive; no rule means once, on start."""
    if window_to < window_from:
        raise InvalidInput("The period cannot end before it starts.", field="to")
    if rule is None:
        return [starts_on] if window_from <= starts_on <= window_to else []
    compiled = _compile(rule, starts_on, household_zone(tz))
    if compiled is None:
        return []
    due: list[date] = []
    for expanded, moment in enumerate(compiled, start=1):
        if expanded > MAX_EXPANSIONS:
            raise InvalidInput(
                f"The rule would recur more than {MAX_EXPANSIONS} times before "
                f"{window_to.isoformat()}; choose a later start date.",
                field="starts_on",
            )
        day = moment.date()
        if day > window_to:
            break
        if day >= window_from:
            due.append(day)
    return due


def household_zone(tz: str) -> ZoneInfo:
    """The household's zone, or an error a user can act on."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{tz!r} is not a known time zone.", field="timezone") from None


def _compile(rule: str, starts_on: date, zone: ZoneInfo) -> rrule | None:
    """The dateutil rule for a checked rule text, or None when its pattern matches no day."""
    parts = _parse_parts(rule)
    _check_parts(parts)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_in_utc(parts["UNTIL"], zone)
    parts.setdefault("WKST", "MO")  # dateutil's default is the process-wide calendar setting
    pattern = {name: value for name, value in parts.items() if name not in ("COUNT", "UNTIL")}
    if not _pattern_matches(pattern, starts_on):
        return None
    return _build(parts, datetime.combine(starts_on, time(), tzinfo=zone))


def _parse_parts(rule: str) -> dict[str, str]:
    text = rule.strip().upper()
    if len(text) > MAX_RULE_LENGTH:
        raise InvalidInput(
            f"The recurrence is longer than {MAX_RULE_LENGTH} characters.", field=FIELD
        )
    if "DTSTART" in text:
        raise InvalidInput("Leave DTSTART out: starts_on is the start.", field=FIELD)
    text = text.removeprefix("RRULE:").replace(" ", "")
    if ":" in text or any(c.isspace() for c in text):
        raise InvalidInput("Give a single RRULE, without RDATE, EXDATE or EXRULE.", field=FIELD)
    parts: dict[str, str] = {}
    for pair in filter(None, text.split(";")):
        name, sep, value = pair.partition("=")
        if not sep or not value:
            raise InvalidInput(f"Cannot read {pair!r}; expected NAME=VALUE.", field=FIELD)
        if name in parts:
            raise InvalidInput(f"{name} is given twice.", field=FIELD)
        parts[name] = value
    return parts


def _check_parts(parts: dict[str, str]) -> None:
    frequency = parts.get("FREQ")
    if frequency is None:
        raise InvalidInput("The recurrence needs a FREQ.", field=FIELD)
    if frequency not in _DAY_FREQUENCIES or _TIME_PARTS & parts.keys():
        raise InvalidInput(
            "Chores recur by the day at most: use DAILY, WEEKLY, MONTHLY or YEARLY, "
            "without BYHOUR, BYMINUTE or BYSECOND.",
            field=FIELD,
        )
    for name in parts:
        if name not in _KNOWN_PARTS:
            raise InvalidInput(f"{name} is not a recurrence rule part.", field=FIELD)
        if frequency not in _ONLY_WITH.get(name, _DAY_FREQUENCIES):
            raise InvalidInput(f"{name} cannot be used with FREQ={frequency}.", field=FIELD)
    if "COUNT" in parts and "UNTIL" in parts:
        raise InvalidInput("Give COUNT or UNTIL, not both.", field=FIELD)
    _check_int(parts, "COUNT", 1, None)
    _check_int(parts, "INTERVAL", 1, MAX_INTERVAL)
    for name, (bound, signed) in _RANGES.items():
        for item in _items(parts, name):
            _check_ordinal(name, item, bound, signed)
    for item in _items(parts, "BYDAY"):
        match = _WEEKDAY.fullmatch(item)
        if match is None:
            raise InvalidInput(f"{item!r} is not a day such as MO, 2TU or -1FR.", field=FIELD)
        if match[1] is not None:
            if frequency not in ("MONTHLY", "YEARLY"):
                raise InvalidInput(f"{item} needs FREQ=MONTHLY or FREQ=YEARLY.", field=FIELD)
            _check_ordinal("BYDAY", match[1], 53, signed=True)
    if parts.get("WKST", "MO") not in ("MO", "TU", "WE", "TH", "FR", "SA", "SU"):
        raise InvalidInput("WKST must be a day such as MO.", field=FIELD)


def _items(parts: dict[str, str], name: str) -> list[str]:
    return parts[name].split(",") if name in parts else []


def _check_int(parts: dict[str, str], name: str, low: int, high: int | None) -> None:
    value = parts.get(name)
    if value is None:
        return
    number = int(value) if value.isdigit() else None
    if number is None or number < low or (high is not None and number > high):
        upper = "" if high is None else f" and at most {high}"
        raise InvalidInput(f"{name} must be a whole number of at least {low}{upper}.", field=FIELD)


def _check_ordinal(name: str, item: str, bound: int, signed: bool) -> None:
    """RFC 5545 ordinals: 1 to bound, or counted from the end (-1 is the last) if signed."""
    digits = item.removeprefix("+").removeprefix("-") if signed else item
    if not digits.isdigit() or not 1 <= int(digits) <= bound:
        span = f"1 to {bound} or -{bound} to -1" if signed else f"1 to {bound}"
        raise InvalidInput(f"{name} takes {span}, not {item!r}.", field=FIELD)


def _until_in_utc(value: str, zone: ZoneInfo) -> str:
    """UNTIL as dateutil needs it beside a zoned start: a UTC time.

    A date (the form RFC 5545 pairs with date starts) or a floating time is read in the
    household's zone; a date keeps its whole day, since a chore falls due at midnight.
    """
    for form, given_zone in (("%Y%m%dT%H%M%SZ", UTC), ("%Y%m%dT%H%M%S", zone), ("%Y%m%d", zone)):
        try:
            moment = datetime.strptime(value, form).replace(tzinfo=given_zone).astimezone(UTC)
        except (ValueError, OverflowError):
            continue
        return moment.strftime("%Y%m%dT%H%M%SZ")
    raise InvalidInput("UNTIL must be a date such as 20260131.", field=FIELD)


def _pattern_matches(pattern: dict[str, str], starts_on: date) -> bool:
    """Whether the rule, without COUNT or UNTIL, ever selects a day.

    dateutil stops a rule that selects nothing only at year 9999, which takes seconds for
    FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30. Shifted by whole 400-year cycles the rule selects
    the same days, so a copy started between 400 and 800 years before 9999 answers the
    same question in a bounded number of steps.
    """
    cycles = (_LAST_PROBE_YEAR - starts_on.year) // _CALENDAR_CYCLE_YEARS
    probe_start = starts_on.replace(year=starts_on.year + cycles * _CALENDAR_CYCLE_YEARS)
    return next(iter(_build(pattern, datetime.combine(probe_start, time()))), None) is not None


def _build(parts: dict[str, str], dtstart: datetime) -> rrule:
    text = ";".join(f"{name}={value}" for name, value in parts.items())
    try:
        built = rrulestr(text, dtstart=dtstart)
    except (ValueError, KeyError, IndexError, OverflowError) as error:
        raise InvalidInput(f"Cannot read the recurrence: {error}.", field=FIELD) from None
    assert isinstance(built, rrule)  # a single RRULE line never becomes an rruleset
    return built
