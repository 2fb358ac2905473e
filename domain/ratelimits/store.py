"""Counters in the database: one upsert adds to several counters and returns their totals.

`INSERT … ON CONFLICT DO UPDATE … RETURNING` is atomic on both backends, so concurrent
requests on any number of instances never lose an increment. Each call is its own short
transaction: a request's own transaction never holds a counter row.
"""

import time
from collections.abc import Callable, Mapping
from functools import lru_cache

from sqlalchemy import Engine, TextClause, delete, text
from sqlmodel import col

from domain.db import unit_of_work
from domain.ratelimits.models import RateLimitCounter

PRUNE_EVERY = 60.0  # seconds


@lru_cache(maxsize=64)
def _upsert(rows: int) -> TextClause:
    """Plain SQL both dialects read alike: building the statement with SQLAlchemy's insert()
    on every request cost milliseconds (multi-row VALUES are compiled afresh each time)."""
    values = ", ".join(f"(:k{i}, :n{i}, :expires_at)" for i in range(rows))
    return text(
        f'INSERT INTO rate_limit_counters ("key", count, expires_at) VALUES {values} '
        'ON CONFLICT ("key") DO UPDATE SET count = rate_limit_counters.count + excluded.count, '
        'expires_at = excluded.expires_at RETURNING "key", count'
    )


class DatabaseCounters:
    def __init__(
        self, engine: Engine, *, clock: Callable[[], float] = time.time, owned: bool = False
    ) -> None:
        self.engine = engine
        self._owned = owned
        self._clock = clock
        self._next_prune = 0.0
        self._postgresql = engine.dialect.name == "postgresql"

    def add(self, increments: Mapping[str, int], *, expires_at: int) -> dict[str, int]:
        if not increments:
            return {}
        keys = sorted(increments)  # one lock order: no deadlocks between instances
        params: dict[str, object] = {"expires_at": expires_at}
        for i, key in enumerate(keys):
            params[f"k{i}"], params[f"n{i}"] = key, increments[key]
        with unit_of_work(self.engine) as session:
            if self._postgresql:
                # A counter is not worth a disk flush per request: a crash may forget the
                # last few milliseconds of counts, never corrupt them.
                session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            totals = {key: count for key, count in session.execute(_upsert(len(keys)), params)}
            now = self._clock()
            if now >= self._next_prune:
                self._next_prune = now + PRUNE_EVERY
                session.execute(
                    delete(RateLimitCounter).where(col(RateLimitCounter.expires_at) < int(now))
                )
        return totals

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()
