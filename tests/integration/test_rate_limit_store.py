"""The counter stores on a real database: atomic upserts across threads, pruning, and the
SQLite write-behind buffer (exact in one process, one write per interval, increments kept
when the database is locked)."""

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from domain.db import make_engine
from domain.ratelimits.buffer import Buffered
from domain.ratelimits.models import RateLimitCounter
from domain.ratelimits.store import DatabaseCounters
from migrations.runner import upgrade

FAR = 4_000_000_000


def stored(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        rows = session.execute(select(RateLimitCounter.key, RateLimitCounter.count))
        return {key: count for key, count in rows}


def test_concurrent_increments_are_never_lost(engine: Engine) -> None:
    counters = DatabaseCounters(engine)

    def hit() -> None:
        for _ in range(25):
            counters.add({"a": 1, "b": 2}, expires_at=FAR)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stored(engine) == {"a": 200, "b": 400}
    assert counters.add({"a": 1}, expires_at=FAR) == {"a": 201}


def test_expired_counters_are_pruned(engine: Engine) -> None:
    now = [1_000.0]
    counters = DatabaseCounters(engine, clock=lambda: now[0])
    counters.add({"old": 1}, expires_at=1_010)
    now[0] = 1_100.0  # past PRUNE_EVERY since the last prune
    counters.add({"new": 1}, expires_at=1_160)
    assert stored(engine) == {"new": 1}


def test_the_buffer_is_exact_in_one_process_and_writes_once_per_interval(
    engine: Engine,
) -> None:
    ticks = [0.0]
    buffered = Buffered(DatabaseCounters(engine), every=1.0, monotonic=lambda: ticks[0])
    totals = [buffered.add({"k": 1}, expires_at=FAR)["k"] for _ in range(10)]
    assert totals == list(range(1, 11))
    assert stored(engine) == {"k": 1}  # only the first hit was due for a write
    ticks[0] = 1.0
    assert buffered.add({"k": 1}, expires_at=FAR) == {"k": 11}
    assert stored(engine) == {"k": 11}


def test_the_buffer_sees_other_processes_when_it_writes(engine: Engine) -> None:
    ticks = [0.0]
    mine = Buffered(DatabaseCounters(engine), every=1.0, monotonic=lambda: ticks[0])
    mine.add({"k": 1}, expires_at=FAR)
    DatabaseCounters(engine).add({"k": 5}, expires_at=FAR)  # another instance
    assert mine.add({"k": 1}, expires_at=FAR) == {"k": 2}  # not written yet: still local
    ticks[0] = 1.0
    assert mine.add({"k": 1}, expires_at=FAR) == {"k": 8}


def test_a_locked_database_keeps_the_increments_for_the_next_write(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    upgrade(url)
    engine = make_engine(url, pool_size=2, busy_timeout_ms=50)
    ticks = [0.0]
    buffered = Buffered(DatabaseCounters(engine), every=1.0, monotonic=lambda: ticks[0])
    holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    assert buffered.add({"k": 1}, expires_at=FAR) == {"k": 1}  # served, though not written
    holder.execute("ROLLBACK")
    holder.close()
    ticks[0] = 1.0
    assert buffered.add({"k": 1}, expires_at=FAR) == {"k": 2}
    with Session(engine) as session:
        assert session.scalar(select(func.sum(RateLimitCounter.count))) == 2
    engine.dispose()
