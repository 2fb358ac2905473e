"""When to try a webhook again, and what an attempt's outcome means. Pure: no clock, no I/O.

The schedule is the Standard Webhooks recommendation: the first attempt at once, then after
5 seconds, 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours and 10 hours — eight attempts
over about 27.5 hours — after which the delivery is `failed` (it can still be redelivered).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """What one HTTP attempt gave: a status code, or an error before one arrived."""

    status_code: int | None
    duration_ms: int
    response_excerpt: str | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        """410 Gone: the receiver says this endpoint will never take deliveries again."""
        return self.error is None and self.status_code == 410


def next_attempt_at(attempts_made: int, now: datetime) -> datetime | None:
    """After `attempts_made` failed attempts (1 or more): when to try again, or None."""
    if attempts_made < 1:
        raise ValueError("attempts_made starts at 1")
    if attempts_made > len(RETRY_DELAYS):
        return None
    return now + RETRY_DELAYS[attempts_made - 1]
