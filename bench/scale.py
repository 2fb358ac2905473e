"""Scale curve: the hot reads at 1k, 10k and 100k expenses beside a bare FastAPI endpoint.

Run by hand (not a test): `.venv/bin/python bench/scale.py [--quick] [--pg-url URL]`
(`--quick` stops at 10,000 expenses). One household of 4 members in a fresh SQLite file, or
with `--pg-url` in a PostgreSQL database of the bench's own, dropped and created again. The
curve goes through the ASGI app with Starlette's TestClient: one connection, medians of
`--requests` requests after two warm-ups, each alternating with one to the bare endpoint.

The first 1,000 expenses (mixed splits, several payers, refunds) and a monthly settlement
are written by the services; the rest are bulk-inserted copies of those rows with new ids
and dates, written straight into the tables. On SQLite every total the database maintains
(by trigger) is kept by those inserts exactly as by the services; on PostgreSQL the copies
go in with the triggers off and `fairstead verify --repair` rebuilds the totals, checked by
a second `fairstead verify` (see `_copies`). The household grows from one size to the next,
so each size is measured on the same rows plus more.

Beside the reads: POST /expenses (what one more write costs, triggers included), a 304
revalidation when the read answers ETags, and the RSS of `fairstead serve` right after it
starts next to a bare uvicorn app's. At the smallest and the largest size, the hot reads
again under `--connections` (8) concurrent connections against uvicorn with one worker,
through `make bench`'s load generator (bench/load): requests per second, p50/p99 and the
worker's CPU per request, beside the bare endpoint in alternating slices; then that worker's
RSS once it has served them (memory after the curve).
"""

import argparse
import http.client
import logging
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi import FastAPI
from fastapi.testclient import TestClient

import bench.ledger as seeding
from bench.ledger import _bulk_copies, _household, _through_service
from bench.load.measure import Endpoint, Paired, paired
from bench.load.server import serving
from domain.db import make_engine, unit_of_work
from domain.ledger import expenses as ledger
from domain.ledger.models import Expense, Settlement
from domain.ledger.reference_balances import ExpenseEntry, balances
from domain.ledger.values import Transfer
from domain.settings import Settings
from migrations.runner import upgrade

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1_000, 10_000, 100_000)
REPORT_DAYS = 365


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stop at 10,000 expenses")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--no-rss", action="store_true", help="skip the server RSS figures")
    parser.add_argument(
        "--pg-url",
        help="measure PostgreSQL instead of a fresh SQLite file: a database of the bench's own "
        "(its name must contain 'bench'), dropped and created again by the run",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=8,
        help="the load figures' concurrent connections (0: no load figures)",
    )
    parser.add_argument("--load-seconds", type=float, default=1.0, help="seconds a load slice")
    parser.add_argument("--load-rounds", type=int, default=3, help="load slices per endpoint")
    args = parser.parse_args()
    sizes = [s for s in SIZES if not (args.quick and s > 10_000)]
    loaded = {sizes[0], sizes[-1]} if args.connections else set()
    logging.disable(logging.INFO)
    # Three years of history up to today, so that a one-year report reads a third of it.
    seeding.FIRST_DAY = datetime.now(UTC).date() - timedelta(days=3 * 365)

    rss = {} if args.no_rss else _rss_figures()
    curve: dict[int, dict[str, float]] = {}
    load: dict[int, tuple[list[Paired], float]] = {}
    seeded: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = _fresh_postgres(args.pg_url) if args.pg_url else f"sqlite:///{Path(tmp) / 's.db'}"
        upgrade(url)
        engine = make_engine(url, pool_size=10)
        settings = Settings(
            database_url=url, db_pool_size=10, deliver_in_process=False, rate_limit_enabled=False
        )
        from api.app import create_app

        app = create_app(settings, engine=engine)
        bare = _bare_client()
        with TestClient(app) as client:
            headers, household_id, members = _household(client, 4)
            base = f"/v1/households/{household_id}"
            began = time.monotonic()
            _through_service(engine, household_id, members, SIZES[0])
            _settlements(client, headers, base, members)
            have = SIZES[0]
            for size in sizes:
                if size > have:
                    _copies(engine, url, household_id, size - have)
                    have = size
                seeded[size] = time.monotonic() - began
                _check_balances(engine, client, headers, base, members)
                curve[size] = _measure(client, bare, headers, base, members, args.requests)
                if size in loaded:
                    load[size] = _under_load(url, headers, base, args)
                began = time.monotonic()
        engine.dispose()
    _print(curve, rss, args.requests, url.split(":", 1)[0].split("+", 1)[0], seeded)
    if load:
        _print_load(load, args.connections)
    return 0


def _fresh_postgres(url: str) -> str:
    """Drops and creates the bench's database (never one whose name lacks 'bench')."""
    import psycopg

    name = make_url(url).database or ""
    if "bench" not in name:
        raise SystemExit(f"--pg-url: the database name {name!r} must contain 'bench'")
    admin = make_url(url).set(drivername="postgresql", database="postgres")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def _copies(engine: Engine, url: str, household_id: str, n: int) -> None:
    """`n` more expenses as bulk copies. SQLite keeps the totals by trigger as it inserts.
    On PostgreSQL the copies go in with the triggers off (each row's trigger updates the same
    household version row, and in one long transaction each update walks all the row
    versions before it: some 10 ms an expense by 40k), then `fairstead verify --repair`
    rebuilds the kept totals from the raw rows, the household version is bumped as a write
    would, and a second `fairstead verify` must find no drift."""
    if engine.dialect.name != "postgresql":
        _bulk_copies(engine, household_id, n)
        return
    _bulk_copies(engine, household_id, n, triggers=False)
    with unit_of_work(engine) as session:
        session.execute(
            text("UPDATE household_versions SET version = version + 1 WHERE household_id = :h"),
            {"h": household_id},
        )
    _verify(url, repair=True)
    _verify(url, repair=False)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))  # as autovacuum would within a minute


def _verify(url: str, *, repair: bool) -> None:
    fairstead = Path(sys.executable).parent / "fairstead"
    command = [str(fairstead), "verify", *(["--repair"] if repair else [])]
    env = os.environ | {"FAIRSTEAD_DATABASE_URL": url}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"fairstead verify: {done.stdout[-2000:]}{done.stderr[-2000:]}")


def _settlements(
    client: TestClient, headers: dict[str, str], base: str, members: list[str]
) -> None:
    day = seeding.FIRST_DAY + timedelta(days=14)
    for index in range(36):
        body = {
            "from_member_id": members[index % 4],
            "to_member_id": members[(index + 1) % 4],
            "amount": 2_500 + index,
            "currency": "EUR",
            "date": (day + timedelta(days=30 * index)).isoformat(),
        }
        assert client.post(f"{base}/settlements", json=body, headers=headers).status_code == 201


def _check_balances(
    engine: Engine, client: TestClient, headers: dict[str, str], base: str, members: list[str]
) -> None:
    """GET /balances must equal the pure definition over every stored row."""
    household_id = base.rsplit("/", 1)[1]
    with Session(engine) as session:
        ids = session.scalars(select(Expense.id).where(Expense.household_id == household_id)).all()
        shares, payers = {}, {}
        for start in range(0, len(ids), 10_000):  # PostgreSQL takes at most 65,535 parameters
            some_shares, some_payers = ledger.parts_of(session, ids[start : start + 10_000])
            shares |= some_shares
            payers |= some_payers
        transfers = [
            Transfer(s.from_member_id, s.to_member_id, s.amount)
            for s in session.scalars(
                select(Settlement).where(Settlement.household_id == household_id)
            )
        ]
    expected = balances(
        (ExpenseEntry(payers[i], shares[i]) for i in ids), transfers, members=members
    )
    got = client.get(f"{base}/balances", headers=headers).json()["data"]
    assert {b["member_id"]: (b["paid"], b["owed"], b["net"]) for b in got} == {
        m: (b.paid, b.owed, b.net) for m, b in expected.items()
    }


def _measure(
    client: TestClient,
    bare: TestClient,
    headers: dict[str, str],
    base: str,
    members: list[str],
    repeats: int,
) -> dict[str, float]:
    today = datetime.now(UTC).date()
    floor: list[float] = []
    out: dict[str, float] = {}
    for name, url in _reads(base).items():
        out[name] = _median(lambda u=url: client.get(u, headers=headers), repeats, bare, floor)
    etag = client.get(f"{base}/balances", headers=headers).headers.get("etag")
    if etag:
        revalidate = headers | {"If-None-Match": etag}
        out["GET /balances (304)"] = _median(
            lambda: client.get(f"{base}/balances", headers=revalidate),
            repeats,
            bare,
            floor,
            status=304,
        )
    body = {
        "description": "Bench coffee",
        "amount": 420,
        "currency": "EUR",
        "date": today.isoformat(),
        "paid_by": members[1],
        "split": {"method": "equal", "participants": [{"member_id": m} for m in members]},
    }
    out["POST /expenses"] = _median(
        lambda: client.post(f"{base}/expenses", json=body, headers=headers),
        repeats,
        bare,
        floor,
        status=201,
    )
    return {"GET /bare": statistics.median(floor), **out}


def _reads(base: str) -> dict[str, str]:
    today = datetime.now(UTC).date()
    year_ago = (today - timedelta(days=REPORT_DAYS - 1)).isoformat()
    return {
        "GET /balances": f"{base}/balances",
        "GET /settle-up": f"{base}/settle-up",
        "GET /fairness/summary": f"{base}/fairness/summary",
        "GET /fairness/report (1 year)": f"{base}/fairness/report?from={year_ago}&to={today}",
        "GET /expenses?limit=50": f"{base}/expenses?limit=50",
    }


def _under_load(
    url: str, headers: dict[str, str], base: str, args: argparse.Namespace
) -> tuple[list[Paired], float]:
    """The hot reads under `args.connections` concurrent keep-alive connections, each beside
    the bare endpoint in alternating slices (bench/load, as `make bench`): `fairstead serve`'s
    app in one uvicorn worker, the bare endpoint in the same process. Also the worker's RSS
    (MB) once it has served them all: memory after the curve, beside memory after start."""
    rows = []
    with serving(url, workers=1) as server:
        endpoints = [Endpoint(name, "GET", path, headers) for name, path in _reads(base).items()]
        for endpoint in [*endpoints, None]:
            if endpoint is None:
                # The tag covers the UTC hour: taken just before its slices, from the server.
                tag = _served_etag(server.port, f"{base}/balances", headers)
                revalidate = headers | {"If-None-Match": tag}
                path = f"{base}/balances"
                endpoint = Endpoint("GET /balances (304)", "GET", path, revalidate, expect=304)
            rows.append(
                paired(
                    server.port,
                    endpoint,
                    cpu=server.cpu_seconds,
                    rounds=args.load_rounds,
                    seconds=args.load_seconds,
                    connections=args.connections,
                )
            )
        rss_after = server.rss_mb()
    return rows, rss_after


def _served_etag(port: int, path: str, headers: dict[str, str]) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        answer.read()
        return str(answer.headers["etag"])
    finally:
        connection.close()


def _median(
    call: Callable[[], Any],
    repeats: int,
    bare: TestClient,
    floor: list[float],
    *,
    status: int = 200,
) -> float:
    """The median of `call`, each request alternating with one to the bare endpoint (added
    to `floor`), so both see the same machine load."""
    for _ in range(2):
        call()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        bare.get("/bare")
        between = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - between) * 1000)
        floor.append((between - started) * 1000)
        assert response.status_code == status, response.text
    return statistics.median(samples)


def _bare_client() -> TestClient:
    bare = FastAPI()

    @bare.get("/bare")
    def get_bare() -> dict[str, bool]:
        return {"ok": True}

    return TestClient(bare)


def _rss_figures() -> dict[str, float]:
    """RSS (MB) of `fairstead serve` right after it answers, and of a bare uvicorn app."""
    bare_app = (
        "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/bare')\ndef b(): return 1\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "bare_app.py").write_text(bare_app)
        env = os.environ | {
            "FAIRSTEAD_DATABASE_URL": f"sqlite:///{Path(tmp) / 'rss.db'}",
            "FAIRSTEAD_LOG_LEVEL": "warning",
            "PYTHONPATH": tmp,
        }
        fairstead = Path(sys.executable).parent / "fairstead"
        figures = {}
        for name, command, path in (
            ("fairstead serve", [str(fairstead), "serve", "--port", "{port}"], "/healthz"),
            (
                "bare uvicorn app",
                [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", "{port}",
                 "--log-level", "warning"],
                "/bare",
            ),
        ):  # fmt: skip
            figures[name] = _rss_of(command, path, env, cwd=tmp)
    return figures


def _rss_of(command: list[str], path: str, env: dict[str, str], *, cwd: str) -> float:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([c.replace("{port}", str(port)) for c in command], env=env, cwd=cwd)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start")
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request("GET", path)
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
            finally:
                connection.close()
        status = Path(f"/proc/{process.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        return kb / 1024
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _print(
    curve: dict[int, dict[str, float]],
    rss: dict[str, float],
    repeats: int,
    database: str,
    seeded: dict[int, float],
) -> None:
    sizes = sorted(curve)
    print(
        f"Fairstead scale curve: {database}, 4 members, single connection, medians of {repeats} "
        f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.1f}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)"
    )
    names = list(curve[sizes[0]])
    head = f"{'':32}" + "".join(f"{f'{s:,} ms':>11}{'x bare':>8}" for s in sizes)
    if len(sizes) > 1:
        head += f"{f'{sizes[-1] // 1000}k/{sizes[0] // 1000}k':>10}"
    print(head)
    for name in names:
        line = f"{name:32}"
        for size in sizes:
            ms = curve[size].get(name, float("nan"))
            line += f"{ms:11.2f}{ms / curve[size]['GET /bare']:8.1f}"
        if len(sizes) > 1:
            line += f"{curve[sizes[-1]][name] / curve[sizes[0]][name]:10.2f}"
        print(line)
    for name, mb in rss.items():
        print(f"RSS after start, {name}: {mb:.0f} MB")
    print(
        "seeding: "
        + ", ".join(f"to {size:,} in {seconds:.0f} s" for size, seconds in seeded.items())
    )


def _print_load(load: dict[int, tuple[list[Paired], float]], connections: int) -> None:
    print(
        f"Under {connections} connections, 1 uvicorn worker (the bare endpoint in alternating "
        f"slices; CPU ms: the worker's per request, load {os.getloadavg()[0]:.1f}):"
    )
    print(
        f"{'':32}{'expenses':>9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms':>8}"
        f"{'bare req/s':>11}{'p50':>6}{'p99':>6}{'CPU':>6}{'x req/s':>8}{'x CPU':>7}"
    )
    for size, (rows, _) in load.items():
        for row in rows:
            m, b = row.measured, row.bare
            print(
                f"{row.endpoint:32}{size:>9,}{m.per_second:8.0f}{m.p50_ms:8.1f}{m.p99_ms:8.1f}"
                f"{m.cpu_ms:8.2f}{b.per_second:11.0f}{b.p50_ms:6.1f}{b.p99_ms:6.1f}"
                f"{b.cpu_ms:6.2f}{b.per_second / m.per_second:8.1f}{m.cpu_ms / b.cpu_ms:7.1f}"
            )
    for size, (_, rss) in load.items():
        print(f"RSS of that worker after the reads at {size:,} expenses: {rss:.0f} MB")


if __name__ == "__main__":
    started = datetime.now(UTC)
    code = main()
    print(f"(whole run {(datetime.now(UTC) - started).total_seconds():.0f} s)")
    sys.exit(code)
