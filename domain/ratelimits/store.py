"""Counters in the database: one upsert adds to several counters and returns their totals.

`INSERT … ON CONFLICT DO UPDATE … RETURNING` is atomic on both backends, so concurrent
requests on any number of instances never lose an increment. Each call is its own short
transaction: a request's own transaction never holds a counter row.
"""

import time
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine, delete, text
from sqlalchemy.dialects import postgresql, sqlite

from domain.db import unit_of_work
from domain.ratelimits.models import RateLimitCounter

PRUNE_EVERY = 60.0  # seconds


class DatabaseCounters:
    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self._clock = clock
        self._next_prune = 0.0
        self._postgresql = engine.dialect.name == "postgresql"
        dialect = postgresql if self._postgresql else sqlite
        self._insert: Any = dialect.insert

    def add(self, increments: Mapping[str, int], *, expires_at: int) -> dict[str, int]:
        if not increments:
            return {}
        rows = [
            {"key": key, "count": amount, "expires_at": expires_at}
            for key, amount in sorted(increments.items())  # one lock order: no deadlocks
        ]
        statement = self._insert(RateLimitCounter).values(rows)
        statement = statement.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "count": RateLimitCounter.count + statement.excluded.count,
                "expires_at": statement.excluded.expires_at,
            },
        ).returning(RateLimitCounter.key, RateLimitCounter.count)
        with unit_of_work(self.engine) as session:
            if self._postgresql:
                # A counter is not worth a disk flush per request: a crash may forget the
                # last few milliseconds of counts, never corrupt them.
                session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            totals = {key: count for key, count in session.execute(statement)}
            now = self._clock()
            if now >= self._next_prune:
                self._next_prune = now + PRUNE_EVERY
                session.execute(
                    delete(RateLimitCounter).where(RateLimitCounter.expires_at < int(now))
                )
        return totals

    def close(self) -> None:
        """The engine belongs to the app, which disposes of it."""
