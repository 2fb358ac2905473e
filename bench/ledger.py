"""Ledger benchmark: balances and settle-up latency on a household with 100,000 expenses.

Run by hand (not a test): `.venv/bin/python bench/ledger.py [--expenses N]`.

The household lives in a fresh SQLite file built by the migrations. Its first
`--through-service` expenses (mixed splits, several payers, refunds) are written by the
ledger service itself, `create_expense` in batches of one unit of work each; the rest are
bulk-inserted copies of those rows (expense, shares and payers exactly as the service wrote
them, with a new id and date), because the service path costs a few milliseconds an
expense. The copies skip the activity events the service writes; balances and settle-up
never read them.

Latency is measured through the ASGI app with Starlette's TestClient (median and p95 of
`--requests` requests after two warm-ups), beside a bare FastAPI endpoint measured the same
way in the same run: the ratio is what the ledger costs over the framework's floor. Last,
the pure `settle_up` for 12 members with random round-number balances over many seeds.
"""

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from api.app import create_app
from domain.activity.service import Actor
from domain.db import make_engine, unit_of_work
from domain.households.models import Household
from domain.ids import new_id
from domain.ledger import expenses as service
from domain.ledger.expense_input import ExpenseInput
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from domain.ledger.reference_balances import ExpenseEntry, balances
from domain.ledger.settle_up import settle_up
from domain.ledger.splitting import Participant, SplitMethod
from domain.ledger.values import MemberAmount
from domain.settings import Settings
from domain.tables import utcnow
from migrations.runner import upgrade

BATCH = 250
COPY_CHUNK = 5_000
FIRST_DAY = date(2023, 1, 1)
# Settle-up balances: multiples of 5000 minor units (50.00), from -50,000 to 50,000.
ROUND_STEPS = [step for step in range(-10, 11) if step]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expenses", type=int, default=100_000)
    parser.add_argument("--through-service", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=4)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seeds", type=int, default=200, help="settle-up runs, 12 members")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the app logs every request at INFO

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        engine = make_engine(url, pool_size=10)
        # No webhook delivery thread: it would compete for SQLite's write lock.
        settings = Settings(database_url=url, db_pool_size=10, deliver_in_process=False)
        app = create_app(settings, engine=engine)
        with TestClient(app) as client:
            headers, household_id, members = _household(client, args.members)
            started = time.perf_counter()
            seeded = min(args.through_service, args.expenses)
            _through_service(engine, household_id, members, seeded)
            service_s = time.perf_counter() - started
            started = time.perf_counter()
            rows = _bulk_copies(engine, household_id, args.expenses - seeded)
            copy_s = time.perf_counter() - started
            _check_balances(engine, client, headers, household_id, members)
            bare = _bare_latency(args.requests)
            base = f"/v1/households/{household_id}"
            ledger = {
                f"GET /members ({args.members} members)": f"{base}/members",
                "GET /balances": f"{base}/balances",
                "GET /settle-up": f"{base}/settle-up",
            }
            timings = {
                name: _latency(lambda u=u: client.get(u, headers=headers), args.requests)
                for name, u in ledger.items()
            }
            # Only to split SQL from the rest of a request, so fewer repeats.
            sql_only = _latency(lambda: _balances_sql(engine, household_id), 10)
        engine.dispose()
    plans = _settle_up_runs(args.seeds)

    print(
        f"Fairstead ledger benchmark: SQLite, {args.expenses:,} expenses, "
        f"{args.members} members, {args.requests} requests each (python "
        f"{sys.version.split()[0]})"
    )
    print(
        f"build: {seeded:,} expenses through the service in {service_s:.1f} s, "
        f"{args.expenses - seeded:,} bulk copies ({rows:,} rows) in {copy_s:.1f} s"
    )
    print()
    print(f"{'':34}{'median ms':>10}{'p95 ms':>10}{'x bare':>9}")
    floor = statistics.median(bare)
    table = {"GET /bare (bare FastAPI app)": bare, **timings}
    table["balances SQL alone (10 runs)"] = sql_only
    for name, samples in table.items():
        median, p95 = statistics.median(samples), _p95(samples)
        print(f"{name:34}{median:10.2f}{p95:10.2f}{median / floor:9.1f}")
    print()
    times, counts = plans
    print(
        f"pure settle_up, 12 members, round balances (multiples of 5000), {args.seeds} seeds: "
        f"median {statistics.median(times):.2f} ms, max {max(times):.2f} ms; "
        f"transfers median {statistics.median(counts):.0f} (min {min(counts)}, max {max(counts)})"
    )
    return 0


def _household(client: TestClient, size: int) -> tuple[dict[str, str], str, list[str]]:
    email = f"bench-{new_id()}@example.org"
    user = {"email": email, "password": "correct horse battery", "display_name": "Sam"}
    assert client.post("/v1/users", json=user).status_code == 201
    token = client.post(
        "/v1/tokens", json={"email": email, "password": user["password"], "name": "bench"}
    )
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    household = client.post(
        "/v1/households",
        json={"name": "Bench", "currency": "EUR", "timezone": "Europe/Berlin"},
        headers=headers,
    ).json()
    url = f"/v1/households/{household['id']}/members"
    members = [client.get(url, headers=headers).json()["data"][0]["id"]]
    for index in range(1, size):
        created = client.post(url, json={"display_name": f"M{index}"}, headers=headers)
        members.append(created.json()["id"])
    return headers, household["id"], members


def _random_input(rng: random.Random, members: list[str]) -> ExpenseInput:
    size = rng.choice([rng.randint(100, 50_000), 90_000, 6_000, 1_200])
    sign = -1 if rng.random() < 0.1 else 1
    method = rng.choice(list(SplitMethod))
    chosen = rng.sample(members, rng.randint(1, len(members)))
    participants = [Participant(m) for m in chosen]
    if method is SplitMethod.AGREEMENT:
        participants = []
    elif method is SplitMethod.SHARES:
        participants = [Participant(m, shares=rng.randint(1, 4)) for m in chosen]
    elif method is SplitMethod.PERCENT:
        cuts = _cuts(rng, 10_000, len(chosen), 1)
        participants = [
            Participant(m, percent=Decimal(c) / 100) for m, c in zip(chosen, cuts, strict=True)
        ]
    elif method is SplitMethod.EXACT:
        cuts = _cuts(rng, size, len(chosen), 0)
        participants = [Participant(m, amount=sign * c) for m, c in zip(chosen, cuts, strict=True)]
    payers = rng.sample(members, rng.randint(1, 2))
    several = None
    if len(payers) == 2:
        several = [
            MemberAmount(m, sign * c) for m, c in zip(payers, _cuts(rng, size, 2, 1), strict=True)
        ]
    return ExpenseInput(
        description=f"Expense {rng.randint(1, 10**6)}",
        amount=sign * size,
        currency="EUR",
        date=FIRST_DAY + timedelta(days=rng.randint(0, 3 * 365)),
        paid_by=payers[0] if several is None else None,
        payers=several,
        split_method=method,
        participants=participants,
        category=rng.choice([None, "food", "rent", "travel"]),
    )


def _cuts(rng: random.Random, total: int, parts: int, minimum: int) -> list[int]:
    spare = total - parts * minimum
    points = sorted(rng.randint(0, spare) for _ in range(parts - 1))
    edges = [0, *points, spare]
    return [minimum + b - a for a, b in pairwise(edges)]


def _through_service(engine: Engine, household_id: str, members: list[str], n: int) -> None:
    rng = random.Random(7)
    actor = Actor(user_id=None, member_id=members[0])
    for start in range(0, n, BATCH):
        with unit_of_work(engine) as session:
            household = session.get(Household, household_id)
            for _ in range(min(BATCH, n - start)):
                service.create_expense(
                    session, household=household, actor=actor, data=_random_input(rng, members)
                )


def _bulk_copies(engine: Engine, household_id: str, n: int, *, triggers: bool = True) -> int:
    """Copies of the service's rows with new ids and dates; returns the rows inserted.

    `triggers=False` (PostgreSQL only) inserts with the row triggers off (the kept totals and
    the foreign-key checks): the caller must then rebuild the kept totals from the raw rows
    (`fairstead verify --repair`)."""
    with Session(engine) as session:
        templates = session.scalars(
            select(Expense).where(Expense.household_id == household_id).order_by(Expense.id)
        ).all()
        shares, payers = service.parts_of(session, [t.id for t in templates])
        columns = [c.name for c in Expense.__table__.columns]
        originals = [{c: getattr(t, c) for c in columns} for t in templates]
    rng = random.Random(11)
    inserted = 0
    for start in range(0, n, COPY_CHUNK):
        expense_rows, share_rows, payer_rows = [], [], []
        now = utcnow()
        for index in range(start, min(n, start + COPY_CHUNK)):
            original = originals[index % len(originals)]
            copy_id = new_id()
            day = FIRST_DAY + timedelta(days=rng.randint(0, 3 * 365))
            expense_rows.append(original | {"id": copy_id, "date": day, "created_at": now})
            for rows, parts in ((share_rows, shares), (payer_rows, payers)):
                rows.extend(
                    {
                        "expense_id": copy_id,
                        "member_id": p.member_id,
                        "position": i,
                        "amount": p.amount,
                    }
                    for i, p in enumerate(parts[original["id"]])
                )
        with unit_of_work(engine) as session:
            if not triggers:
                session.execute(text("SET LOCAL session_replication_role = replica"))
            session.execute(Expense.__table__.insert(), expense_rows)
            session.execute(ExpenseShare.__table__.insert(), share_rows)
            session.execute(ExpensePayer.__table__.insert(), payer_rows)
        inserted += len(expense_rows) + len(share_rows) + len(payer_rows)
    return inserted


def _check_balances(
    engine: Engine,
    client: TestClient,
    headers: dict[str, str],
    household_id: str,
    members: list[str],
) -> None:
    """GET /balances must equal the pure definition over every stored row."""
    with Session(engine) as session:
        ids = session.scalars(select(Expense.id).where(Expense.household_id == household_id)).all()
        shares, payers = service.parts_of(session, ids)
    expected = balances((ExpenseEntry(payers[i], shares[i]) for i in ids), [], members=members)
    got = client.get(f"/v1/households/{household_id}/balances", headers=headers).json()["data"]
    assert {b["member_id"]: b["net"] for b in got} == {m: b.net for m, b in expected.items()}
    assert sum(b["net"] for b in got) == 0


def _balances_sql(engine: Engine, household_id: str) -> None:
    from domain.ledger.settlements import balances as sql_balances

    with Session(engine) as session:
        sql_balances(session, household_id=household_id)


def _latency(call: Callable[[], Any], repeats: int) -> list[float]:
    for _ in range(2):
        call()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - started) * 1000)
        if response is not None:
            assert response.status_code == 200, response.text
    return samples


def _bare_latency(repeats: int) -> list[float]:
    bare = FastAPI()

    @bare.get("/bare")
    def get_bare() -> dict[str, bool]:
        return {"ok": True}

    with TestClient(bare) as client:
        return _latency(lambda: client.get("/bare"), repeats)


def _settle_up_runs(seeds: int) -> tuple[list[float], list[int]]:
    times, counts = [], []
    for seed in range(seeds):
        rng = random.Random(seed)
        while True:
            amounts = [5000 * rng.choice(ROUND_STEPS) for _ in range(11)]
            last = -sum(amounts)
            if last != 0:
                break
        nets = {f"member-{i:02}": a for i, a in enumerate([*amounts, last])}
        started = time.perf_counter()
        plan = settle_up(nets)
        times.append((time.perf_counter() - started) * 1000)
        assert plan.exact
        counts.append(len(plan.transfers))
    return times, counts


def _p95(samples: list[float]) -> float:
    """Nearest rank: the smallest sample at or above 95% of them."""
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


if __name__ == "__main__":
    started = datetime.now(UTC)
    code = main()
    print(f"(whole run {(datetime.now(UTC) - started).total_seconds():.0f} s)")
    sys.exit(code)
