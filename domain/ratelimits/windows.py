"""Fixed counting windows: which window an instant falls in, and how long until it ends.

Every instance computes the same window from the wall clock alone, so counters kept in a
shared store (the database, Redis) add up across instances without any coordination.
"""

import hashlib
import math
from dataclasses import dataclass

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


@dataclass(frozen=True)
class Window:
    number: int
    ends_at: int  # seconds since the epoch
    retry_after: int  # whole seconds until the window ends, at least 1

    def key(self, kind: str, identity: str) -> str:
        """A counter's name: what is counted, whose it is (hashed), and the window."""
        return f"{kind}:{digest(identity)}:{self.number}"


def window_at(now: float, length: int) -> Window:
    if length < 1:
        raise ValueError("a window lasts at least one second")
    number = math.floor(now / length)
    ends_at = (number + 1) * length
    return Window(number=number, ends_at=ends_at, retry_after=max(1, math.ceil(ends_at - now)))


def digest(identity: str) -> str:
    """Counters name tokens, addresses and emails only by a hash: the store holds none of them."""
    return hashlib.sha256(identity.encode()).hexdigest()[:32]
