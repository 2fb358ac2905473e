"""What an import costs SQLite alone: the import's own statements replayed without Python.

    .venv/bin/python -m bench.import_floor [--rows N] [--quick]

The same CSV as bench/import_rate.py (every row shared) is imported once into a fresh
database built by the migrations, recording every statement the import sends to the driver
with its parameters, and where it commits. Then a copy of the database as it was before the
import gets the same statements again through plain `sqlite3`, chunk by chunk with the same
commits: the inserts, their indexes and foreign keys, the kept-totals work and the commits,
with nothing of the import's own Python. Beside both, raw `executemany` of the same number
of rows into a bare table (as import_rate.py). The import's rate can never exceed the
replay's: the replay is the floor this schema sets.
"""

import argparse
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench.import_rate import fresh_database
from bench.imports import MAPPING, csv_bytes, raw_executemany, store
from domain.imports.records import Batch
from integrations.files import parse_file

Recorded = list[tuple[str, Any, bool]]  # statement, parameters, executemany


def record(log: Recorded) -> None:
    @event.listens_for(Engine, "before_cursor_execute")
    def statement(
        _conn: Any, _cursor: Any, text: str, parameters: Any, _context: Any, many: bool
    ) -> None:
        log.append((text, parameters, many))

    @event.listens_for(Engine, "commit")
    def commit(_conn: Any) -> None:
        log.append(("COMMIT", None, False))


def replay(database: Path, log: Recorded) -> tuple[float, float, dict[str, float]]:
    """Wall and CPU seconds of the replay, and its CPU seconds per kind of statement."""
    connection = sqlite3.connect(database, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    kinds: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()
    for text, parameters, many in log:
        before = time.process_time()
        if many:
            connection.executemany(text, parameters)
        elif parameters:
            connection.execute(text, parameters)
        else:
            connection.execute(text)
        kind = " ".join(text.replace("(", " ").split()[:3])
        kinds[kind] = kinds.get(kind, 0.0) + time.process_time() - before
    wall, spent = time.perf_counter() - started, time.process_time() - cpu
    connection.close()
    return wall, spent, kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="5,000 rows instead of 20,000")
    arguments = parser.parse_args()
    rows = arguments.rows or (5_000 if arguments.quick else 20_000)
    data = csv_bytes(rows)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url, household_id, member_id = fresh_database(folder)
        before = folder / "before.db"
        shutil.copyfile(folder / "bench.db", before)
        batch = parse_file(data, csv_mapping=MAPPING)
        assert isinstance(batch, Batch) and len(batch.transactions) == rows
        log: Recorded = []
        record(log)
        started, cpu = time.perf_counter(), time.process_time()
        tally = store(url, household_id, member_id, batch, chunked=True)
        store_s, store_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert tally.counts.created == rows, tally.counts
        # From the import run's first statement: setting up the engine is not the import's.
        first = next(i for i, (text, _, _) in enumerate(log) if "import_runs" in text)
        begin = max(i for i, (text, _, _) in enumerate(log[:first]) if text.startswith("BEGIN"))
        replay_s, replay_cpu, kinds = replay(before, log[begin:])
        raw_s = raw_executemany(folder, batch)
    commits = sum(text == "COMMIT" for text, _, _ in log[begin:])
    print(f"rows: {rows:,}, every row shared; {commits} commits")
    print(f"import (store only):      {store_s:7.2f} s wall  {store_cpu:6.2f} s CPU")
    print(
        f"replay (SQLite alone):    {replay_s:7.2f} s wall  {replay_cpu:6.2f} s CPU"
        f"  ({rows / replay_s:,.0f} rows/s)"
    )
    print(f"the import's Python:      {store_cpu - replay_cpu:14.2f} s CPU")
    print(f"raw sqlite3 executemany:  {raw_s:7.3f} s  ({rows / raw_s:,.0f} rows/s)")
    print(f"replay ÷ raw executemany: {raw_s / replay_s:.4f}")
    print("replay CPU by statement:")
    for kind, spent in sorted(kinds.items(), key=lambda item: -item[1])[:10]:
        print(f"  {spent:6.2f} s  {kind}")


if __name__ == "__main__":
    main()
