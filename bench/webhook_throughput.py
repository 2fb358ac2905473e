"""Webhook delivery throughput of one worker against a local receiver.

    .venv/bin/python -m bench.webhook_throughput [--events 5000] [--database-url URL]

Records N events in one household with one webhook subscribed to them, then times one
worker (`HookRunner.run_once`: fan-out, claims, signed POSTs, settling) until every delivery
has succeeded. The receiver runs in its own process (a ThreadingHTTPServer answering 204),
so it does not share the worker's interpreter lock. Without --database-url, a fresh SQLite
file is used; a PostgreSQL URL must point at a database the script may migrate and fill.
"""

import argparse
import multiprocessing
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from domain.accounts.models import User
from domain.activity import events
from domain.activity.service import Actor, record
from domain.db import make_engine, unit_of_work
from domain.hooks.models import WebhookDelivery
from domain.hooks.subscriptions import create_subscription
from domain.households.service import create_household
from domain.settings import Settings
from domain.tables import utcnow
from integrations.hooks_runner import HookRunner
from migrations.runner import upgrade

BENCH_SECRET_KEY = "bench-secret-key-not-for-production"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def _serve(port: Any) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    port.value = server.server_address[1]
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--database-url")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    upgrade(url)
    port = multiprocessing.Value("i", 0)
    receiver = multiprocessing.Process(target=_serve, args=(port,), daemon=True)
    receiver.start()
    while not port.value:
        time.sleep(0.01)

    settings = Settings(
        database_url=url,
        webhook_allow_private=True,
        webhook_concurrency=args.concurrency,
        secret_key=BENCH_SECRET_KEY,
    )
    engine = make_engine(url, pool_size=4)
    with unit_of_work(engine) as session:
        email = f"bench-{time.time_ns()}@example.org"
        user = User(email=email, display_name="B", password_hash="-")
        session.add(user)
        session.flush()
        household, _ = create_household(
            session, user=user, name="Bench", currency="EUR", timezone="UTC"
        )
        create_subscription(
            session,
            household_id=household.id,
            actor=Actor(user_id=None, member_id=None),
            url=f"http://127.0.0.1:{port.value}/hook",
            events=["expense.created"],
            description=None,
            enabled=True,
            vet_url=lambda _: None,
            secret_key=BENCH_SECRET_KEY,
            now=utcnow(),
        )
    with unit_of_work(engine) as session:
        for n in range(args.events):
            record(
                session,
                household_id=household.id,
                type=events.EXPENSE_CREATED,
                subject_id=None,
                actor=Actor(user_id=None, member_id=None),
                data={"description": f"#{n}", "amount": n, "currency": "EUR"},
            )

    runner = HookRunner(engine, settings)
    started = time.monotonic()
    runner.run_once()
    elapsed = time.monotonic() - started
    runner.close()
    with unit_of_work(engine, write=False) as session:
        done = session.scalar(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.status == "succeeded")
        )
    receiver.terminate()
    backend = url.split(":", 1)[0]
    print(
        f"{backend}: {done}/{args.events} delivered in {elapsed:.2f} s "
        f"= {(done or 0) / elapsed:.0f} events/s (concurrency {args.concurrency})"
    )


if __name__ == "__main__":
    main()
