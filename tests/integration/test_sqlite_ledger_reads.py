"""Reads of the ledger and of the fairness summary stay readers on SQLite: while another
connection holds the one write lock they answer at once, unless they have something to write
(a recurring occurrence come due, a new period's score), which is then a 503 that writes
nothing, and made by the next read."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import now
from domain.settings import Settings
from tests.api.conftest import Caller, sign_up
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(
    POSTGRES_URL is not None, reason="SQLite-specific: the write lock and the busy timeout"
)
READS = ("/expenses", "/balances", "/fairness/summary")


@contextmanager
def _write_lock(database_url: str) -> Iterator[None]:
    lock = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        lock.rollback()
        lock.close()


def _household(sam: Caller) -> str:
    base = f"/v1/households/{sam.household()['id']}"
    member = sam.get(f"{base}/members").json()["data"][0]["id"]
    rent = {"description": "Rent", "amount": 90000, "currency": "EUR", "paid_by": member,
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=1", "starts_on": "2026-01-01"}  # fmt: skip
    assert sam.post(f"{base}/recurring-expenses", json=rent).status_code == 201
    return base


def test_ledger_reads_with_nothing_to_write_pass_a_held_write_lock(database_url: str) -> None:
    settings = Settings(
        database_url=database_url, sqlite_busy_timeout_ms=100, deliver_in_process=False
    )
    app = create_app(settings)
    app.dependency_overrides[now] = lambda: datetime(2026, 3, 15, 12, tzinfo=UTC)
    with TestClient(app, raise_server_exceptions=False) as client:
        sam = sign_up(client)
        base = _household(sam)
        assert sam.get(f"{base}/fairness/summary").status_code == 200  # keeps the score
        with _write_lock(database_url):
            for path in READS:
                response = sam.get(base + path)
                assert response.status_code == 200, (path, response.text)
            assert len(sam.get(f"{base}/expenses").json()["data"]) == 3

        app.dependency_overrides[now] = lambda: datetime(2026, 4, 15, 12, tzinfo=UTC)
        with _write_lock(database_url):
            for path in READS:
                assert sam.get(base + path).status_code == 503, path
        assert len(sam.get(f"{base}/expenses").json()["data"]) == 4
        assert sam.get(f"{base}/balances").json()["data"][0]["paid"] == 4 * 90000
