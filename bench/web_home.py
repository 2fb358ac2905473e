"""The household page's home at 20,000 expenses beside the bare FastAPI endpoint.

Run by hand (not a test): `.venv/bin/python bench/web_home.py [--expenses N]`. SQLite (or
`--database-url` for an empty PostgreSQL database), one household of 4 members, through
the ASGI app with Starlette's TestClient: medians of `--requests` requests after two
warm-ups, each alternating with a request to a bare FastAPI endpoint so both see the same
machine load (bench/scale.py's `_median`). The household is seeded as bench/scale.py seeds
it (its helpers, reused): 1,000 expenses by the services, 36 settlements, then bulk copies
up to the size, every kept total maintained by the database's triggers. A daily chore, an
open decision and this month's proposals give each section of the home something to show.

Beside the home: the API reads the home stands for (fairness summary, balances, settle-up,
open proposals, chore occurrences, open decisions), to show what one screen costs against
the calls a client would make for it. Target: the home within 10× the bare endpoint.
"""

import argparse
import logging
import statistics
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

import bench.ledger as seeding
from bench.ledger import _bulk_copies, _household, _through_service
from bench.scale import _bare_client, _median, _settlements
from domain.accounts import web_sessions
from domain.db import make_engine, unit_of_work
from domain.settings import Settings
from migrations.runner import upgrade

TARGET = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expenses", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    seeding.FIRST_DAY = datetime.now(UTC).date() - timedelta(days=3 * 365)
    today = datetime.now(UTC).date()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'web_home.db'}"
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
            _through_service(engine, household_id, members, min(1_000, args.expenses))
            _settlements(client, headers, base, members)
            if args.expenses > 1_000:
                _bulk_copies(engine, household_id, args.expenses - 1_000)
            for path, body in (
                ("chores", {"name": "Dishes", "estimated_minutes": 20, "effort": 2,
                            "load": "execution", "recurrence": "FREQ=DAILY",
                            "starts_on": today.isoformat()}),
                ("decisions", {"title": "Holiday", "method": "ranked_choice", "ballot": "open",
                               "options": ["Sea", "Mountains", "City"]}),
                ("fairness/proposals", {"from": today.replace(day=1).isoformat(),
                                        "to": today.isoformat()}),
            ):  # fmt: skip
                created = client.post(f"{base}/{path}", json=body, headers=headers)
                assert created.status_code == 201, created.text
            user_id = client.get("/v1/me", headers=headers).json()["id"]
            with unit_of_work(engine) as session:
                _, secret = web_sessions.start(session, user_id=user_id, now=datetime.now(UTC))
            browser = TestClient(app, cookies={"fairstead_session": secret})
            home = f"/app/households/{household_id}"
            assert "Settle up" in browser.get(home).text

            floor: list[float] = []
            results = {
                "GET /app/households/{id} (the home)": _median(
                    lambda: browser.get(home), args.requests, bare, floor
                )
            }
            api_reads = {
                "GET /fairness/summary": f"{base}/fairness/summary",
                "GET /balances": f"{base}/balances",
                "GET /settle-up": f"{base}/settle-up",
                "GET /fairness/proposals?status=open": f"{base}/fairness/proposals?status=open",
                "GET /chore-occurrences?to=today": f"{base}/chore-occurrences?to={today}",
                "GET /decisions?status=open": f"{base}/decisions?status=open",
            }
            for name, path in api_reads.items():
                results[name] = _median(
                    lambda p=path: client.get(p, headers=headers), args.requests, bare, floor
                )
        engine.dispose()
    bare_ms = statistics.median(floor)
    kind = url.split(":", 1)[0].split("+", 1)[0]
    print(f"{args.expenses:,} expenses, {kind}, medians of {args.requests} requests (ms)")
    print(f"  {'GET /bare':<40} {bare_ms:8.2f}")
    for name, ms in results.items():
        print(f"  {name:<40} {ms:8.2f}  {ms / bare_ms:6.1f}× bare")
    api_total = sum(ms for name, ms in results.items() if not name.startswith("GET /app"))
    home_ms = results["GET /app/households/{id} (the home)"]
    print(
        f"  {'the six API reads together':<40} {api_total:8.2f}  {api_total / bare_ms:6.1f}× bare"
    )
    verdict = "within" if home_ms <= TARGET * bare_ms else "OVER"
    print(f"home {home_ms / bare_ms:.1f}× the bare endpoint: {verdict} the {TARGET:.0f}× target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
