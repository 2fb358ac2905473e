"""Pot benchmark: the latency of one more bill paid from a joint account whose history grows,
at the end of the history and back-dated into it.

Run by hand (not a test): `.venv/bin/python -m bench.pots [--sizes 100,1000,10000]`.

A fresh SQLite file built by the migrations; two members, one pot. The pot's history is
written as rows (every tenth entry a contribution of 2,000.00 by one member, the others bills
of 19.99 paid from the pot, four entries a day, the payers computed by the pot's own replay,
and the kept days where the code keeps them), so a 10,000-entry pot is seeded in seconds
instead of the hours a replay per entry takes. Then, through the API, `--requests` further
POST /expenses paid from the pot dated on the last day (median and p95), and as many dated
30 days before the last (12 for the 100-entry pot): a back-dated bill replays what follows it;
then as many paid by a member, not the pot: the same request without the pot's work.
The CPU column is the process's CPU time per request (client and server share the process):
it moves least with whatever else the machine runs.
"""

import argparse
import logging
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.orm import Session

from api.app import create_app
from domain.db import make_engine
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from domain.ledger.pots.models import PotContribution
from domain.ledger.pots.replay import Contribution, Spending, replay
from domain.settings import Settings
from migrations.runner import upgrade

START = date(2020, 1, 1)
BILL = 1999


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            upgrade(url)
            engine = make_engine(url, pool_size=5)
            settings = Settings(database_url=url, db_pool_size=5, deliver_in_process=False)
            with TestClient(create_app(settings, engine=engine)) as client:
                headers, base, household_id, members, pot_id = _household(client)
                with Session(engine) as session, session.begin():
                    _seed(session, household_id, members, pot_id, size)
                span = (size - 1) // 4
                last, back = START + timedelta(days=span), min(30, span // 2)
                cases = (
                    ("at the end", last, True),
                    (f"{back} days back", last - timedelta(back), True),
                    ("paid by Sam", last, False),  # the same request without the pot
                )
                for label, day, from_pot in cases:
                    took, cpu = [], []
                    for _ in range(args.requests):
                        started, used = time.perf_counter(), time.process_time()
                        _bill(client, headers, base, members, pot_id if from_pot else None, day)
                        took.append((time.perf_counter() - started) * 1000)
                        cpu.append((time.process_time() - used) * 1000)
                    took.sort()
                    p95 = took[max(0, int(len(took) * 0.95) - 1)]
                    print(
                        f"pot with {size:>6,} entries: one more bill {label:<13} "
                        f"median {statistics.median(took):7.1f} ms, p95 {p95:7.1f} ms, "
                        f"CPU median {statistics.median(cpu):6.1f} ms",
                        flush=True,
                    )
            engine.dispose()
    return 0


def _seed(session: Session, household_id: str, members: list[str], pot_id: str, size: int) -> None:
    contributions: list[dict[str, Any]] = []
    expenses: list[dict[str, Any]] = []
    entries: list[tuple[date, Contribution | Spending]] = []
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(size):
        day = START + timedelta(days=index // 4)
        created = at + timedelta(microseconds=index)
        row_id = f"seed-{index:08d}"
        if index % 10 == 0:
            member_id = members[index % 20 // 10]
            contributions.append(
                {"id": row_id, "household_id": household_id, "pot_id": pot_id,
                 "member_id": member_id, "amount": 200_000, "household_amount": 200_000,
                 "original_amount": 200_000, "original_currency": "EUR", "date": day,
                 "created_at": created, "version": 1}
            )  # fmt: skip
            entries.append((day, Contribution(member_id, 200_000)))
        else:
            expenses.append(
                {"id": row_id, "household_id": household_id, "description": "Bill",
                 "amount": BILL, "currency": "EUR", "original_amount": BILL,
                 "original_currency": "EUR", "date": day, "split_method": "equal",
                 "split_participants": [{"member_id": m} for m in members],
                 "payment": {"paid_by_pot": pot_id}, "created_at": created, "version": 1,
                 "pot_id": pot_id, "pot_amount": BILL}
            )  # fmt: skip
            entries.append((day, Spending(row_id, BILL)))
    # The replay order (a day's contributions first) as the services would store them.
    entries.sort(key=lambda pair: (pair[0], isinstance(pair[1], Spending)))
    state = replay(entry for _, entry in entries)
    session.execute(insert(PotContribution), contributions)
    session.execute(insert(Expense), expenses)
    session.execute(
        insert(ExpensePayer),
        [{"expense_id": key, "member_id": p.member_id, "position": i, "amount": p.amount}
         for key, payers in state.payers.items() for i, p in enumerate(payers)],
    )  # fmt: skip
    session.execute(
        insert(ExpenseShare),
        [{"expense_id": e["id"], "member_id": m, "position": i, "amount": BILL // 2 + (i == 0)}
         for e in expenses for i, m in enumerate(members)],
    )  # fmt: skip
    _keep_days(session, pot_id, entries)


def _keep_days(session: Session, pot_id: str, entries: list[Any]) -> None:
    """The kept days, on code that keeps them (the baseline run, before pot_days, has none)."""
    try:
        from domain.ledger.pots.days import keep
        from domain.ledger.pots.replay import replay_days
    except ImportError:
        return
    _, days = replay_days(entries)
    keep(session, pot_id, None, days)


def _household(client: TestClient) -> tuple[dict[str, str], str, str, list[str], str]:
    body = {"email": "bench@example.org", "password": "correct horse battery"}
    client.post("/v1/users", json={**body, "display_name": "Sam"})
    token = client.post("/v1/tokens", json={**body, "name": "bench"}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    household = client.post(
        "/v1/households",
        json={"name": "Bench", "currency": "EUR", "timezone": "Europe/Berlin"},
        headers=headers,
    ).json()
    base = f"/v1/households/{household['id']}"
    sam = client.get(f"{base}/members", headers=headers).json()["data"][0]["id"]
    alex = client.post(f"{base}/members", json={"display_name": "Alex"}, headers=headers)
    pot = client.post(f"{base}/pots", json={"name": "Joint"}, headers=headers).json()
    return headers, base, household["id"], [sam, alex.json()["id"]], pot["id"]


def _bill(
    client: TestClient,
    headers: dict[str, str],
    base: str,
    members: list[str],
    pot_id: str | None,
    day: date,
) -> None:
    body = {"description": "Bill", "amount": BILL, "currency": "EUR", "date": day.isoformat()}
    body |= {"paid_by_pot": pot_id} if pot_id else {"paid_by": members[0]}
    response = client.post(f"{base}/expenses", json=body, headers=headers)
    assert response.status_code == 201, response.text


if __name__ == "__main__":
    raise SystemExit(main())
