"""SIGTERM to the real processes: `fairstead serve` lets a request under way finish, and
`fairstead worker` finishes the deliveries it is sending and releases the ones it claimed
but had not sent: nothing lost, nothing sent twice, nothing left claimed."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.app import create_app
from domain.db import make_engine
from domain.hooks.models import WebhookAttempt, WebhookDelivery
from domain.households.models import Household
from domain.settings import Settings
from migrations.runner import upgrade
from tests.api.conftest import TEST_SECRET_KEY, sign_up
from tests.integrations.receiver import Receiver, Reply, running_receiver

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def process(*args: str, database: Path, **env: str) -> Iterator[subprocess.Popen[str]]:
    environment = {
        **os.environ,
        "FAIRSTEAD_DATABASE_URL": f"sqlite:///{database}",
        "FAIRSTEAD_DELIVER_IN_PROCESS": "false",
        **env,
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=20)


def wait_for_server(port: int, child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except httpx.TransportError:
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.2)


def test_serve_finishes_a_request_under_way_on_sigterm(tmp_path: Path) -> None:
    database = tmp_path / "served.db"
    upgrade(f"sqlite:///{database}")
    engine = make_engine(f"sqlite:///{database}", pool_size=2)
    with TestClient(create_app(Settings(database_url=f"sqlite:///{database}"), engine=engine)) as c:
        token = sign_up(c, "Sam").token
    port = free_port()
    with process("serve", "--port", str(port), database=database) as server:
        wait_for_server(port, server)
        body = b'{"name": "Flat", "currency": "EUR", "timezone": "Europe/Berlin"}'
        with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
            connection.sendall(
                b"POST /v1/households HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + f"Authorization: Bearer {token}\r\n".encode()
                + b"Content-Type: application/json\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body[:20]
            )
            time.sleep(0.5)  # the request is under way: uvicorn is reading its body
            server.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            assert server.poll() is None, "the server quit with a request under way"
            connection.sendall(body[20:])
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 201"), answer[:200]
        # uvicorn shuts down, then re-raises the signal it caught: the exit is by SIGTERM.
        assert server.wait(timeout=30) in (0, -signal.SIGTERM)
        log = server.stderr.read() if server.stderr else ""
        assert "Application shutdown complete" in log, log
    with Session(engine) as session:
        assert session.scalars(select(Household.name)).all() == ["Flat"]
    engine.dispose()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        receiver.answer(Reply(status=204, delay=1.0))
        yield receiver


def test_worker_on_sigterm_finishes_what_it_sends_and_releases_the_rest(
    tmp_path: Path, receiver: Receiver
) -> None:
    database = tmp_path / "worker.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    engine = make_engine(url, pool_size=2)
    settings = Settings(
        database_url=url,
        deliver_in_process=False,
        webhook_allow_private=True,
        secret_key=TEST_SECRET_KEY,
    )
    with TestClient(create_app(settings, engine=engine)) as client:
        sam = sign_up(client, "Sam")
        home = sam.household()
        members = sam.get(f"/v1/households/{home['id']}/members").json()["data"]
        hook = {"url": receiver.url, "events": ["expense.created"]}
        assert sam.post(f"/v1/households/{home['id']}/webhooks", json=hook).status_code == 201
        for n in range(10):
            spent = {
                "description": f"Item {n}",
                "amount": 100 + n,
                "currency": "EUR",
                "date": "2026-11-20",
                "paid_by": members[0]["id"],
            }
            assert sam.post(f"/v1/households/{home['id']}/expenses", json=spent).status_code == 201

    env = {
        "FAIRSTEAD_WEBHOOK_ALLOW_PRIVATE": "true",
        "FAIRSTEAD_WEBHOOK_CONCURRENCY": "2",
        "FAIRSTEAD_SECRET_KEY": TEST_SECRET_KEY,
    }
    with process("worker", "--interval", "60", database=database, **env) as worker:
        receiver.wait_for(2, timeout=60)  # two deliveries under way, eight claimed and waiting
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, worker.stderr.read() if worker.stderr else ""
    received = receiver.ids()

    with Session(engine) as session:
        deliveries = session.scalars(select(WebhookDelivery)).all()
        attempts = session.scalars(select(WebhookAttempt)).all()
    assert len(deliveries) == 10  # nothing lost
    assert [d for d in deliveries if d.lease_id is not None] == []  # nothing left claimed
    succeeded = {d.id for d in deliveries if d.status == "succeeded"}
    assert succeeded == set(received)  # every request sent was settled, none twice
    assert len(attempts) == len(received) == len(set(received))
    assert 2 <= len(received) < 10
    now = datetime.now(UTC)
    waiting = [d for d in deliveries if d.id not in succeeded]
    assert all(d.status == "pending" and d.attempt_count == 0 for d in waiting)
    assert all(d.next_attempt_at is not None and d.next_attempt_at <= now for d in waiting)
    engine.dispose()
