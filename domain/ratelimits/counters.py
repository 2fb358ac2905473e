"""What a counter store does; the database and Redis each implement it."""

from collections.abc import Mapping
from typing import Protocol

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


class Counters(Protocol):
    def add(self, increments: Mapping[str, int], *, expires_at: int) -> dict[str, int]:
        """Add to each counter atomically and return every counter's new total. A counter
        may be forgotten once `expires_at` (seconds since the epoch) has passed."""
        ...

    def close(self) -> None: ...
