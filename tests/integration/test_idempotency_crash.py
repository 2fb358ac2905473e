"""kill -9 in the middle of a request that carries an Idempotency-Key, against a real
`fairstead serve` on PostgreSQL: its claim is a lease, so after the lease a retry runs the
request, exactly once, and replays it afterwards (before, the key stayed taken for 24 h).

The request is held mid-way by a lock the test takes on `households` (the work waits for
it after the key is claimed), so the kill lands at a known point, not by timing luck.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, pool, text

from tests.api.conftest import TEST_SECRET_KEY
from tests.conftest import POSTGRES_URL
from tests.integration.test_graceful_shutdown import free_port, wait_for_server

ROOT = Path(__file__).resolve().parents[2]
LEASE = 15
NEW = {"name": "Flat", "currency": "EUR", "timezone": "Europe/Berlin"}

pytestmark = pytest.mark.skipif(
    POSTGRES_URL is None, reason="needs FAIRSTEAD_TEST_DATABASE_URL (a lock on PostgreSQL)"
)


@contextmanager
def server(url: str, port: int) -> Iterator[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "FAIRSTEAD_DATABASE_URL": url,
        "FAIRSTEAD_DELIVER_IN_PROCESS": "false",
        "FAIRSTEAD_IDEMPOTENCY_LEASE_SECONDS": str(LEASE),
        "FAIRSTEAD_SECRET_KEY": TEST_SECRET_KEY,
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_server(port, child)
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=20)


def test_a_key_claimed_by_a_killed_server_is_taken_over_after_the_lease_and_runs_once(
    database_url: str, engine: Any
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    watcher = create_engine(database_url, poolclass=pool.NullPool)
    headers: dict[str, str] = {}
    with server(database_url, port) as first:
        email = f"crash{time.time_ns()}@example.org"
        password = "correct horse battery"
        signup = {"email": email, "password": password, "display_name": "Sam"}
        assert httpx.post(f"{base}/v1/users", json=signup).status_code == 201
        login = {"email": email, "password": password, "name": "t"}
        token = httpx.post(f"{base}/v1/tokens", json=login).json()["token"]
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "crash-1"}

        with watcher.connect() as blocker:
            blocker.execute(text("LOCK TABLE households IN ACCESS EXCLUSIVE MODE"))
            answers: list[Any] = []
            request = threading.Thread(
                target=lambda: answers.append(_post(base, headers)), daemon=True
            )
            request.start()
            _wait_for_claim(watcher)
            claimed_at = time.monotonic()
            time.sleep(0.5)  # the work now waits for the lock, its key claimed
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=20)
            blocker.rollback()
        request.join(timeout=20)
        assert answers and isinstance(answers[0], Exception)  # no answer: it died

    with server(database_url, port):
        assert _households(watcher) == 0  # the killed request changed nothing
        early = _post(base, headers)
        assert time.monotonic() < claimed_at + LEASE, "the restart took longer than the lease"
        assert early.status_code == 409 and early.headers["retry-after"] == "1"
        time.sleep(max(0.0, claimed_at + LEASE + 0.5 - time.monotonic()))
        retried = _post(base, headers)
        assert retried.status_code == 201, retried.text
        again = _post(base, headers)
        assert again.headers["idempotency-replayed"] == "true"
        assert again.json() == retried.json()
        assert _households(watcher) == 1
    watcher.dispose()


def _post(base: str, headers: dict[str, str]) -> Any:
    try:
        return httpx.post(f"{base}/v1/households", json=NEW, headers=headers, timeout=30)
    except httpx.HTTPError as exc:
        return exc


def _wait_for_claim(watcher: Any) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with watcher.connect() as connection:
            claimed = connection.execute(
                text("SELECT count(*) FROM idempotency_records WHERE key = 'crash-1'")
            ).scalar_one()
        if claimed:
            return
        time.sleep(0.05)
    raise AssertionError("the request never claimed its key")


def _households(watcher: Any) -> int:
    with watcher.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM households")).scalar_one())
