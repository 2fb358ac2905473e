"""SQL statements per request for the hot reads and the household page's home.

Run by hand (not a test): `.venv/bin/python bench/statements.py [--database-url URL] [--show]`.
SQLite (or an empty PostgreSQL database), one household of 4 members seeded as
bench/web_home.py seeds it (300 expenses through the services, 36 settlements, a daily chore,
an open decision, this month's proposals). Each read is requested twice first (a read that
brings the household up to date writes the first time), then once more with SQLAlchemy's
`before_cursor_execute` counting every statement the engine sends (SQLite's BEGIN included:
on SQLite it is a statement the driver runs; PostgreSQL's BEGIN is implicit in the driver and
not counted). `--show` prints the statements of each read, grouped; `--cpu N` then
requests each read N times more (five rounds, the reads in turn) and prints the median
round's process CPU per request (the TestClient's own share included, alike for all).
"""

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient
from sqlalchemy import event

import bench.ledger as seeding
from bench.ledger import _household, _through_service
from bench.scale import _settlements
from domain.accounts import web_sessions
from domain.db import make_engine, unit_of_work
from domain.settings import Settings
from migrations.runner import upgrade


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expenses", type=int, default=300)
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    parser.add_argument("--goals", type=int, default=0, help="goals split by the agreement")
    parser.add_argument(
        "--cpu", type=int, default=0, help="then the process CPU per request over this many"
    )
    parser.add_argument("--show", action="store_true", help="print each read's statements")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    seeding.FIRST_DAY = datetime.now(UTC).date() - timedelta(days=365)
    today = datetime.now(UTC).date()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'statements.db'}"
        upgrade(url)
        engine = make_engine(url, pool_size=10)
        settings = Settings(
            database_url=url, db_pool_size=10, deliver_in_process=False, rate_limit_enabled=False
        )
        from api.app import create_app

        app = create_app(settings, engine=engine)
        with TestClient(app) as client:
            headers, household_id, members = _household(client, 4)
            base = f"/v1/households/{household_id}"
            _through_service(engine, household_id, members, args.expenses)
            _settlements(client, headers, base, members)
            for path, body in (
                ("chores", {"name": "Dishes", "estimated_minutes": 20, "effort": 2,
                            "load": "execution", "recurrence": "FREQ=DAILY",
                            "starts_on": (today - timedelta(days=3)).isoformat()}),
                ("decisions", {"title": "Holiday", "method": "ranked_choice", "ballot": "open",
                               "options": ["Sea", "Mountains", "City"]}),
                ("fairness/proposals", {"from": today.replace(day=1).isoformat(),
                                        "to": today.isoformat()}),
            ):  # fmt: skip
                created = client.post(f"{base}/{path}", json=body, headers=headers)
                assert created.status_code == 201, created.text
            for index in range(args.goals):
                body = {
                    "name": f"Goal {index}",
                    "target": {"amount": 100_000, "currency": "EUR"},
                    "due_on": (today + timedelta(days=100 + index)).isoformat(),
                }
                goal = client.post(f"{base}/goals", json=body, headers=headers)
                assert goal.status_code == 201, goal.text
                paid = {
                    "member_id": members[index % 4],
                    "amount": 5_000,
                    "currency": "EUR",
                    "date": today.isoformat(),
                }
                put = client.post(
                    f"{base}/goals/{goal.json()['id']}/contributions", json=paid, headers=headers
                )
                assert put.status_code == 201, put.text
            user_id = client.get("/v1/me", headers=headers).json()["id"]
            with unit_of_work(engine) as session:
                _, secret = web_sessions.start(session, user_id=user_id, now=datetime.now(UTC))
            browser = TestClient(app, cookies={"fairstead_session": secret})
            year_ago = (today - timedelta(days=364)).isoformat()
            reads: dict[str, Any] = {
                "GET /balances": lambda: client.get(f"{base}/balances", headers=headers),
                "GET /settle-up": lambda: client.get(f"{base}/settle-up", headers=headers),
                "GET /fairness/summary": lambda: client.get(
                    f"{base}/fairness/summary", headers=headers
                ),
                "GET /fairness/report": lambda: client.get(
                    f"{base}/fairness/report", headers=headers
                ),
                "GET /fairness/report (1 year)": lambda: client.get(
                    f"{base}/fairness/report?from={year_ago}&to={today}", headers=headers
                ),
                "GET /app/households/{id} (the home)": lambda: browser.get(
                    f"/app/households/{household_id}"
                ),
            }
            seen: list[str] = []

            def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
                seen.append(statement)

            results: dict[str, list[str]] = {}
            for name, call in reads.items():
                for _ in range(2):
                    assert call().status_code == 200, name
                seen.clear()
                event.listen(engine, "before_cursor_execute", count)
                try:
                    assert call().status_code == 200, name
                finally:
                    event.remove(engine, "before_cursor_execute", count)
                results[name] = list(seen)
            cpu: dict[str, float] = {}
            if args.cpu:
                # Five rounds over the reads in turn; per read the median round's CPU.
                rounds: dict[str, list[float]] = {name: [] for name in reads}
                for _ in range(5):
                    for name, call in reads.items():
                        began = time.process_time()
                        for _ in range(args.cpu // 5):
                            call()
                        rounds[name].append((time.process_time() - began) / (args.cpu // 5))
                cpu = {name: 1000 * statistics.median(v) for name, v in rounds.items()}
        engine.dispose()
    kind = url.split(":", 1)[0].split("+", 1)[0]
    goals = f", {args.goals} goals" if args.goals else ""
    print(f"SQL statements per request, {kind}, {args.expenses:,} expenses, 4 members{goals}")
    for name, statements in results.items():
        ms = f"  {cpu[name]:6.2f} CPU ms" if name in cpu else ""
        print(f"  {name:<40} {len(statements):4d}{ms}")
        if args.show:
            for text, n in Counter(" ".join(s.split())[:150] for s in statements).items():
                print(f"      {n:3d} × {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
