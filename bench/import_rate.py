"""Import rate of a CSV whose every row is shared, beside raw `executemany`, in one run.

    .venv/bin/python -m bench.import_rate [--rows N] [--quick]

A 20,000-row CSV (5,000 with --quick) through the whole import service into a fresh SQLite
database built by the migrations, with a rule per payee that shares every row (so every row
makes an expense, its payers and shares, an imported row and an activity event), booked in
short transactions as the API does (`yielding_commit` checkpoints). Then the same file again:
every row a duplicate. Beside it, in the same run, a raw `sqlite3` `executemany` of the same
number of rows into a bare table: the floor no importer goes below. The ratio of the two
rates is the figure to compare between machines. The CPU seconds of the import (this
process's: SQLite runs in it) move least with what else the machine runs; wall time includes
the pauses with the write lock free between short transactions.
"""

import argparse
import tempfile
import time
from pathlib import Path

from bench.imports import MAPPING, PAYEES, csv_bytes, raw_executemany, store
from domain.db import make_engine, unit_of_work
from domain.households.models import Household, Member
from domain.imports.models import ImportRule
from domain.imports.records import Batch
from integrations.files import parse_file
from migrations.runner import upgrade


def fresh_database(folder: Path) -> tuple[str, str, str]:
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url, pool_size=2)
    with unit_of_work(engine) as session:
        household = Household(name="Bench", currency="EUR", timezone="Europe/Berlin")
        session.add(household)
        session.flush()
        members = [
            Member(household_id=household.id, display_name=name, role="admin")
            for name in ("Sam", "Alex")
        ]
        session.add_all(members)
        for position, payee in enumerate(PAYEES):
            session.add(
                ImportRule(
                    household_id=household.id, position=position, payee=payee, action="shared"
                )
            )
        session.flush()
        ids = household.id, members[0].id
    engine.dispose()
    return url, *ids


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
        started, cpu = time.perf_counter(), time.process_time()
        batch = parse_file(data, csv_mapping=MAPPING)
        assert isinstance(batch, Batch) and len(batch.transactions) == rows, batch.errors[:3]
        tally = store(url, household_id, member_id, batch, chunked=True)
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert tally.counts.created == rows, tally.counts
        started, cpu = time.perf_counter(), time.process_time()
        again = store(
            url, household_id, member_id, parse_file(data, csv_mapping=MAPPING), chunked=True
        )
        again_s, again_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert again.counts.duplicates == rows, again.counts
        raw_s = raw_executemany(folder, batch)
    rate, again_rate, raw_rate = rows / import_s, rows / again_s, rows / raw_s
    print(f"rows: {rows:,} (every row shared: {tally.counts.created:,} expenses)")
    print(
        f"import (parse + store):  {import_s:8.2f} s  {rate:10,.0f} rows/s"
        f"  (CPU {import_cpu:.2f} s: {rows / import_cpu:,.0f} rows per CPU second)"
    )
    print(
        f"re-import (duplicates):  {again_s:8.2f} s  {again_rate:10,.0f} rows/s"
        f"  (CPU {again_cpu:.2f} s: {rows / again_cpu:,.0f} rows per CPU second)"
    )
    print(f"raw sqlite3 executemany: {raw_s:8.3f} s  {raw_rate:10,.0f} rows/s")
    print(f"import ÷ raw executemany: {rate / raw_rate:.4f}")


if __name__ == "__main__":
    main()
