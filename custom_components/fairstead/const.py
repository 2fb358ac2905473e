"""Names shared by the integration's modules."""

from datetime import timedelta
from typing import Final

from homeassistant.const import Platform

DOMAIN: Final = "fairstead"
PLATFORMS: Final = [Platform.BINARY_SENSOR, Platform.CALENDAR, Platform.SENSOR, Platform.TODO]

CONF_HOUSEHOLD_ID: Final = "household_id"
CONF_MEMBER_ID: Final = "member_id"

# How often the coordinator polls (seconds). Most polls are 304s that read one row, so a
# minute is cheap; the options flow allows 30 s to an hour.
DEFAULT_SCAN_INTERVAL: Final = 60
MIN_SCAN_INTERVAL: Final = 30
MAX_SCAN_INTERVAL: Final = 3600

# Which open chore occurrences the to-do lists show: the overdue ones as far back as this,
# and the coming ones up to this many days ahead.
OVERDUE_DAYS: Final = timedelta(days=60)
AHEAD_DAYS: Final = timedelta(days=7)

# What the token needs for each part (domain/accounts/scopes.py in the service).
SCOPES_HELP: Final = (
    "read: sensors, to-do lists and the calendar; automation (or write): checking off "
    "chores; write: the add_expense and check_in services"
)

# ISO 4217 minor-unit exponents other than 2, to turn the API's minor units into amounts.
_EXPONENTS: Final = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)
