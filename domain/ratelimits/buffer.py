"""Counting in memory and writing to the shared store at most every `every` seconds.

On SQLite every write takes the one database-wide write lock. Writing a counter on each
request would make every GET wait for whichever POST holds that lock, which is the price
WAL mode exists to avoid. So requests are counted here, and one thread at a time adds the
accumulated increments to the store in one transaction. A total is what the store said at
the last write plus what this process counted since: exact within one process, and behind
other processes' counts by at most `every` seconds.
"""

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping

from domain.ratelimits.counters import Counters

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

log = logging.getLogger("fairstead.ratelimits")
WARN_AFTER_FAILURES = 40  # ten seconds of failed writes at four a second


class Buffered:
    def __init__(
        self,
        store: Counters,
        *,
        every: float,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.every = every
        self._clock = clock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._pending: dict[str, int] = {}
        self._expiry: dict[str, int] = {}
        self._known: dict[str, int] = {}
        self._next_write = 0.0
        self._failures = 0

    def add(self, increments: Mapping[str, int], *, expires_at: int) -> dict[str, int]:
        with self._lock:
            for key, amount in increments.items():
                self._pending[key] = self._pending.get(key, 0) + amount
                self._expiry[key] = expires_at
            due = self._monotonic() >= self._next_write
        if due:
            self.flush()
        with self._lock:
            return {k: self._known.get(k, 0) + self._pending.get(k, 0) for k in increments}

    def flush(self) -> None:
        """Write what was counted; when another thread is writing already, leave it to it."""
        if not self._writing.acquire(blocking=False):
            return
        try:
            with self._lock:
                batch, self._pending = self._pending, {}
                self._next_write = self._monotonic() + self.every
            by_expiry: dict[int, dict[str, int]] = defaultdict(dict)
            for key, amount in batch.items():
                by_expiry[self._expiry[key]][key] = amount
            totals: dict[str, int] = {}
            try:
                for expires_at, increments in by_expiry.items():
                    totals.update(self.store.add(increments, expires_at=expires_at))
            except Exception:
                # Counting is best effort: keep the increments for the next write, serve on.
                # A busy database makes this common, so only a run of failures is a warning.
                self._failures += 1
                if self._failures % WARN_AFTER_FAILURES == 0:
                    log.warning("rate-limit counters unwritten %d times", self._failures)
                log.debug("could not write rate-limit counters; retrying", exc_info=True)
                with self._lock:
                    for key, amount in batch.items():
                        if key not in totals:
                            self._pending[key] = self._pending.get(key, 0) + amount
                    self._known.update(totals)
                return
            self._failures = 0
            with self._lock:
                self._known.update(totals)
                now = self._clock()
                for key in [k for k, at in self._expiry.items() if at < now]:
                    if key not in self._pending:
                        del self._expiry[key]
                        self._known.pop(key, None)
        finally:
            self._writing.release()

    def close(self) -> None:
        self.flush()
        self.store.close()
