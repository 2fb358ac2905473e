"""`make bench`: Fairstead under load against a bare FastAPI endpoint, on SQLite and
PostgreSQL, written into bench/RESULTS.md.

    python -m bench.load [--quick] [--pg-url URL] [--output bench/RESULTS.md]

For each target (SQLite with one uvicorn worker, then two; PostgreSQL with one, then two)
a seeded household (bench/load/seed.py) is served by uvicorn on 127.0.0.1 in its own
process, and a load generator in another (bench/load/client.py) measures
`GET …/expenses` (the first page), `GET …/balances`, `GET …/fairness/summary` and
`POST …/expenses`, each in slices alternating with the bare endpoint
(bench/load/measure.py). The PostgreSQL database is emptied and migrated first, as the
test suite does; an unreachable one is skipped with a line. Every loop is bounded by count
and by time; the POSTs run last, so the reads see the seeded household.
"""

import argparse
import logging
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench.load import report
from bench.load.measure import Endpoint, paired
from bench.load.seed import Seeded, seed
from bench.load.server import serving
from migrations.runner import downgrade, upgrade

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "RESULTS.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small household, short slices")
    parser.add_argument("--pg-url", help="a PostgreSQL database the run may empty and fill")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # migrations and the seeding client log every step
    # Stopped from outside, still stop the server on the way out (`finally` blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    expenses, years = (2_000, 1) if args.quick else (20_000, 3)
    rounds, seconds = (1, 1.0) if args.quick else (6, 1.25)
    started = time.monotonic()
    started_at, load_at_start = datetime.now(UTC), report.load_average()

    def run(title: str, url: str, seeded: Seeded, workers: int) -> list[str]:
        with serving(url, workers=workers) as server:
            rows = [
                paired(server.port, e, cpu=server.cpu_seconds, rounds=rounds, seconds=seconds,
                       connections=args.connections)
                for e in endpoints(seeded)
            ]  # fmt: skip
        lines = report.table(f"{title}, {workers} uvicorn worker{'s' * (workers > 1)}", rows)
        print("\n".join(lines), flush=True)
        return lines

    tables: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "seeded.db"
        seeded = _seed(f"sqlite:///{template}", expenses, years)
        for workers in (1, 2):
            copy = Path(tmp) / f"workers-{workers}.db"
            shutil.copyfile(template, copy)  # the POSTs of one run stay out of the next
            tables += run("SQLite", f"sqlite:///{copy}", seeded, workers)
    postgres = _postgres_version(args.pg_url)
    if postgres is not None and args.pg_url:
        for workers in (1, 2):
            downgrade(args.pg_url, "base")
            upgrade(args.pg_url)
            pg_seeded = _seed(args.pg_url, expenses, years)
            tables += run("PostgreSQL", args.pg_url, pg_seeded, workers)
    household = (
        f"One household: 4 members, {seeded.expenses:,} expenses over {years} year(s) up to "
        f"today (recurring rent, internet and groceries among them), monthly settlements, "
        f"{seeded.completions:,} chore completions. {args.connections} keep-alive "
        f"connections per slice; {rounds} slice(s) of {seconds:g} s for each endpoint and as "
        "many for the bare one, alternating."
    )
    machine = report.machine(postgres, started_at, load_at_start)
    block = ["", *machine, "", household, "", report.NOTE, "", *tables]
    report.write(args.output, block)
    print(f"wrote {args.output} ({time.monotonic() - started:.0f} s)")
    return 0


def _seed(url: str, expenses: int, years: int) -> Seeded:
    if url.startswith("sqlite"):
        upgrade(url)
    began = time.monotonic()
    seeded = seed(url, expenses=expenses, years=years)
    print(f"seeded {url.split(':', 1)[0]} in {time.monotonic() - began:.0f} s", flush=True)
    return seeded


def _postgres_version(url: str | None) -> str | None:
    if not url:
        print("PostgreSQL: no --pg-url given, skipped.")
        return None
    import psycopg

    try:
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, connect_timeout=3) as connection:
            row = connection.execute("SHOW server_version").fetchone()
    except psycopg.Error as exc:
        print(f"PostgreSQL at {url} not reachable ({exc.__class__.__name__}): skipped.")
        return None
    return str(row[0]) if row else "?"


def endpoints(seeded: Seeded) -> list[Endpoint]:
    base = f"/v1/households/{seeded.household_id}"
    auth = {"Authorization": f"Bearer {seeded.token}"}
    new_expense = {
        "description": "Bakery",
        "amount": 1_234,
        "currency": "EUR",
        "date": date.today().isoformat(),
        "paid_by": seeded.members[1],
        "split": {"method": "equal", "participants": [{"member_id": m} for m in seeded.members]},
    }
    return [
        Endpoint("GET /expenses", "GET", f"{base}/expenses", auth),
        Endpoint("GET /balances", "GET", f"{base}/balances", auth),
        Endpoint("GET /fairness/summary", "GET", f"{base}/fairness/summary", auth),
        Endpoint("POST /expenses", "POST", f"{base}/expenses", auth, new_expense, 201),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
