"""Fairness benchmark: report latency on five years of a four-member household, and the
chore rebalancing solve time for 10 members and 300 occurrences.

Run by hand (not a test): `.venv/bin/python bench/fairness.py [--scale 0.1]`.

The household lives in a fresh SQLite file built by the migrations. Its first
`--through-service` expenses are written by the ledger service (`create_expense`, most
with the `agreement` split); the rest of the 50,000 are bulk copies of those rows with new
ids and dates over five years. The 20,000 chore completions are occurrence rows of twelve
daily chores, shaped as the completion service writes them (status, who, day, minutes,
effort and load), bulk-inserted; the 500 decisions go through the decision service (four
open ballots each, then closed). `--scale` shrinks every count.

Latency is measured through the ASGI app with Starlette's TestClient (median and p95 of
`--requests` requests after two warm-ups), beside a bare FastAPI endpoint measured the same
way in the same run. Last, the pure `rebalance` for 10 members × 300 occurrences.
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
from fractions import Fraction
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.app import create_app
from domain.activity.service import Actor
from domain.chores.models import Chore, ChoreOccurrence, TimeEntry
from domain.db import make_engine, unit_of_work
from domain.decisions import closing
from domain.decisions import service as decisions
from domain.decisions.methods import Method
from domain.fairness.chore_rebalance import TIME_LIMIT_SECONDS
from domain.households.models import Household
from domain.households.service import find_membership
from domain.ids import new_id
from domain.ledger import expenses as ledger
from domain.ledger.expense_input import ExpenseInput
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from domain.ledger.splitting import Participant, SplitMethod
from domain.proposals.moves import Upcoming, rebalance
from domain.settings import Settings
from domain.tables import utcnow
from migrations.runner import upgrade

CHUNK = 5_000
LOADS = ["execution", "execution", "planning", "conception"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="shrink every count")
    parser.add_argument("--through-service", type=int, default=300)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--solves", type=int, default=5, help="rebalance runs, 10 × 300")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    n_expenses = max(1, int(50_000 * args.scale))
    n_done = max(1, int(20_000 * args.scale))
    n_decisions = max(1, int(500 * args.scale))
    today = date.today()
    first = today.replace(year=today.year - 5) + timedelta(days=1)

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        engine = make_engine(url, pool_size=10)
        settings = Settings(database_url=url, db_pool_size=10, deliver_in_process=False)
        app = create_app(settings, engine=engine)
        with TestClient(app) as client:
            headers, household_id, user_id = _household(client)
            members = [
                m["id"]
                for m in client.get(
                    f"/v1/households/{household_id}/members", headers=headers
                ).json()["data"]
            ]
            started = time.perf_counter()
            seeded = min(args.through_service, n_expenses)
            _expenses_through_service(engine, household_id, members, seeded, first)
            _bulk_expense_copies(engine, household_id, n_expenses - seeded, first)
            _completions(engine, household_id, members, n_done, first)
            _decisions(engine, household_id, user_id, members, n_decisions)
            build_s = time.perf_counter() - started

            base = f"/v1/households/{household_id}/fairness"
            month = {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}
            five_years = {"from": first.isoformat(), "to": today.isoformat()}
            bare = _bare_latency(args.requests)
            timings = {
                "GET /fairness/report (5 years)": _latency(
                    lambda: client.get(f"{base}/report", params=five_years, headers=headers),
                    args.requests,
                ),
                "GET /fairness/report (this month)": _latency(
                    lambda: client.get(f"{base}/report", params=month, headers=headers),
                    args.requests,
                ),
                "GET /fairness/summary": _latency(
                    lambda: client.get(f"{base}/summary", headers=headers), args.requests
                ),
                "POST /fairness/proposals (month)": _latency(
                    lambda: client.post(f"{base}/proposals", json=month, headers=headers),
                    max(3, args.requests // 4),
                    status=201,
                ),
            }
        engine.dispose()
    solves = {limit: _solves(args.solves, limit) for limit in (TIME_LIMIT_SECONDS, 10.0)}

    print(
        f"Fairstead fairness benchmark: SQLite, 4 members, {n_expenses:,} expenses, "
        f"{n_done:,} chore completions, {n_decisions:,} decisions over {first} to {today} "
        f"(python {sys.version.split()[0]}); built in {build_s:.1f} s"
    )
    print()
    print(f"{'':36}{'median ms':>10}{'p95 ms':>10}{'x bare':>9}")
    floor = statistics.median(bare)
    for name, samples in {"GET /bare (bare FastAPI app)": bare, **timings}.items():
        median, p95 = statistics.median(samples), _p95(samples)
        print(f"{name:36}{median:10.2f}{p95:10.2f}{median / floor:9.1f}")
    print()
    for limit, (times, optimal, gaps, left) in solves.items():
        print(
            f"rebalance, 10 members × 300 occurrences, limit {limit:g} s, {len(times)} seeds: "
            f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms, optimal "
            f"{optimal}/{len(times)}, largest gap {max(gaps):.3f}, imbalance left "
            f"{100 * max(left):.2f}% of before at most"
        )
    return 0


def _household(client: TestClient) -> tuple[dict[str, str], str, str]:
    """Sam agrees alone (so it applies at once), then three managed members join."""
    email = f"bench-{new_id()}@example.org"
    user = {"email": email, "password": "correct horse battery", "display_name": "Sam"}
    created = client.post("/v1/users", json=user)
    token = client.post(
        "/v1/tokens", json={"email": email, "password": user["password"], "name": "bench"}
    )
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    household = client.post(
        "/v1/households",
        json={"name": "Bench", "currency": "EUR", "timezone": "Europe/Berlin"},
        headers=headers,
    ).json()
    agreed = client.put(
        f"/v1/households/{household['id']}/agreement",
        json={
            "weights": {"load": {"planning": 1.25, "conception": 1.5}},
            "hour_value": {"amount": 1500, "currency": "EUR"},
        },
        headers=headers,
    )
    assert agreed.status_code == 200, agreed.text
    for name in ("Alex", "Robin", "Kim"):
        client.post(
            f"/v1/households/{household['id']}/members",
            json={"display_name": name},
            headers=headers,
        )
    return headers, household["id"], created.json()["id"]


def _expenses_through_service(
    engine: Engine, household_id: str, members: list[str], n: int, first: date
) -> None:
    rng = random.Random(7)
    actor = Actor(user_id=None, member_id=members[0])
    with unit_of_work(engine) as session:
        household = session.get_one(Household, household_id)
        for _ in range(n):
            split = rng.choice([SplitMethod.AGREEMENT] * 3 + [SplitMethod.EQUAL])
            chosen = rng.sample(members, rng.randint(2, len(members)))
            ledger.create_expense(
                session,
                household=household,
                actor=actor,
                data=ExpenseInput(
                    description="Shopping",
                    amount=rng.randint(200, 20_000),
                    currency="EUR",
                    date=first + timedelta(days=rng.randint(0, 5 * 365)),
                    paid_by=rng.choice(members),
                    split_method=split,
                    participants=[]
                    if split is SplitMethod.AGREEMENT
                    else [Participant(m) for m in chosen],
                ),
            )


def _bulk_expense_copies(engine: Engine, household_id: str, n: int, first: date) -> None:
    with Session(engine) as session:
        templates = session.scalars(
            select(Expense).where(Expense.household_id == household_id)
        ).all()
        shares, payers = ledger.parts_of(session, [t.id for t in templates])
        columns = [c.name for c in Expense.__table__.columns]
        originals = [{c: getattr(t, c) for c in columns} for t in templates]
    rng = random.Random(11)
    for start in range(0, n, CHUNK):
        expense_rows: list[dict[str, Any]] = []
        part_rows: dict[Any, list[dict[str, Any]]] = {ExpenseShare: [], ExpensePayer: []}
        for index in range(start, min(n, start + CHUNK)):
            original = originals[index % len(originals)]
            copy_id = new_id()
            day = first + timedelta(days=rng.randint(0, 5 * 365))
            expense_rows.append(original | {"id": copy_id, "date": day, "created_at": utcnow()})
            for table, parts in ((ExpenseShare, shares), (ExpensePayer, payers)):
                part_rows[table].extend(
                    {"expense_id": copy_id, "member_id": p.member_id, "position": i,
                     "amount": p.amount}
                    for i, p in enumerate(parts[original["id"]])
                )  # fmt: skip
        with unit_of_work(engine) as session:
            session.execute(Expense.__table__.insert(), expense_rows)
            for table, rows in part_rows.items():
                session.execute(table.__table__.insert(), rows)


def _completions(
    engine: Engine, household_id: str, members: list[str], n: int, first: date
) -> None:
    """Twelve daily chores; `n` of their days done, as the completion service records them,
    and a tenth as many time entries."""
    rng = random.Random(5)
    chores = [
        Chore(
            household_id=household_id,
            name=f"Chore {i}",
            estimated_minutes=rng.choice([10, 15, 20, 30, 45, 60]),
            effort=rng.randint(1, 5),
            load=LOADS[i % len(LOADS)],
            recurrence="FREQ=DAILY",
            starts_on=first,
            strategy="round_robin",
        )
        for i in range(12)
    ]
    with unit_of_work(engine) as session:
        session.add_all(chores)
    days = [(c, first + timedelta(days=d)) for c in chores for d in range(5 * 365)]
    picked = rng.sample(days, min(n, len(days)))
    for start in range(0, len(picked), CHUNK):
        rows = []
        for chore, day in picked[start : start + CHUNK]:
            member = rng.choices(members, weights=[4, 3, 2, 1])[0]
            at = datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
            rows.append(
                {
                    "id": new_id(), "household_id": household_id, "chore_id": chore.id,
                    "due_on": day, "status": "done", "assigned_member_id": member,
                    "completed_by_member_id": member, "completed_at": at, "completed_on": day,
                    "minutes": chore.estimated_minutes + rng.randint(-5, 5),
                    "effort": chore.effort, "load": chore.load, "created_at": at, "version": 2,
                }
            )  # fmt: skip
        with unit_of_work(engine) as session:
            session.execute(ChoreOccurrence.__table__.insert(), rows)
    entries = [
        {
            "id": new_id(), "household_id": household_id, "member_id": rng.choice(members),
            "minutes": rng.randint(10, 90), "date": first + timedelta(days=rng.randint(0, 1800)),
            "load": rng.choice(LOADS), "effort": rng.randint(1, 5), "created_at": utcnow(),
        }
        for _ in range(max(1, n // 10))
    ]  # fmt: skip
    with unit_of_work(engine) as session:
        session.execute(TimeEntry.__table__.insert(), entries)


def _decisions(engine: Engine, household_id: str, user_id: str, members: list[str], n: int) -> None:
    """Through the decision service: Sam proposes most, four open ballots, then closed."""
    rng = random.Random(3)
    now = datetime.now(UTC)
    with unit_of_work(engine) as session:
        membership = find_membership(session, user_id=user_id, household_id=household_id)
        for i in range(n):
            decision = decisions.create_decision(
                session,
                membership=membership,
                data=decisions.DecisionInput(
                    title=f"Decision {i}",
                    method=Method.MAJORITY,
                    ballot=decisions.BallotKind.OPEN,
                    options=["Yes", "No"],
                    category=rng.choice(["money", "holidays", "home"]),
                ),
                now=now,
            )
            options = decisions.option_ids(decision)
            for member in members:
                decisions.cast_vote(
                    session,
                    membership=membership,
                    decision=decision,
                    member_id=member,
                    raw_ballot={"option_id": rng.choice(options)},
                    now=now,
                )
            closing.close_decision(session, membership=membership, decision=decision, now=now)


def _solves(runs: int, limit: float) -> tuple[list[float], int, list[float], list[float]]:
    """Times, how many proven optimal, gaps, and the imbalance left as a share of the
    imbalance before (both in weighted minutes)."""
    members = [f"m{i}" for i in range(10)]
    times, gaps, left, optimal = [], [], [], 0
    for seed in range(runs):
        rng = random.Random(seed)
        upcoming = []
        for i in range(300):
            minutes = rng.choice([10, 15, 20, 30, 45, 60, 90])
            weight = Fraction(minutes) * rng.choice([1, Fraction(5, 4), Fraction(3, 2)])
            eligible = tuple(sorted(rng.sample(members, rng.randint(3, 10))))
            upcoming.append(Upcoming(f"o{i}", f"c{i % 40}", minutes, weight, eligible[0], eligible))
        past = {m: Fraction(rng.randint(0, 3_000)) for m in members}
        # As the service does: four weeks of availability, never below what is planned.
        planned = {m: sum(u.minutes for u in upcoming if u.assigned_to == m) for m in members}
        capacity = {m: max(rng.randint(300, 1_200) * 4, planned[m]) for m in members}
        started = time.perf_counter()
        result = rebalance(
            members=members,
            past=past,
            targets={m: Fraction(1, 10) for m in members},
            upcoming=upcoming,
            capacity_minutes=capacity,
            time_limit_seconds=limit,
        )
        times.append((time.perf_counter() - started) * 1000)
        optimal += result.optimal
        gaps.append(result.gap)
        assert result.imbalance_before is not None
        left.append(float(result.imbalance_after / result.imbalance_before))
    return times, optimal, gaps, left


def _latency(call: Callable[[], Any], repeats: int, status: int = 200) -> list[float]:
    for _ in range(2):
        call()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == status, response.text
    return samples


def _bare_latency(repeats: int) -> list[float]:
    bare = FastAPI()

    @bare.get("/bare")
    def get_bare() -> dict[str, bool]:
        return {"ok": True}

    with TestClient(bare) as client:
        return _latency(lambda: client.get("/bare"), repeats)


def _p95(samples: list[float]) -> float:
    """Nearest rank: the smallest sample at or above 95% of them."""
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


if __name__ == "__main__":
    raise SystemExit(main())
