"""The days a household's records may fall on.

Generous, but far enough from year 1 and year 9999 that a report's earlier periods, a
default window reaching back from a day, or a time-zone offset never step off Python's
calendar (an OverflowError, so a 500, otherwise). The API refuses other dates at the edge;
imports refuse rows dated outside it.
"""

from datetime import date

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
RANGE = f"from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"


def on_calendar(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY
