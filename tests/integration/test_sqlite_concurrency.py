"""Several OS processes writing to one SQLite file at once lose nothing; a lock held past the
busy timeout is a 503 that writes nothing.

Without `BEGIN IMMEDIATE` on write sessions, the increments below lose updates or fail with
"database is locked"; either makes a worker exit non-zero or the final count fall short.
"""

import multiprocessing
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from domain.activity.models import Event
from domain.db import make_engine, unit_of_work
from domain.households.models import Household
from domain.idempotency.models import IdempotencyRecord
from domain.settings import Settings
from tests.api.conftest import sign_up
from tests.conftest import POSTGRES_URL
from tests.integration.sqlite_workers import (
    EVENTS_EACH,
    INCREMENTS_EACH,
    increment_version,
    record_events,
)

pytestmark = pytest.mark.skipif(
    POSTGRES_URL is not None,
    reason="SQLite-specific: file locking, BEGIN IMMEDIATE and the busy timeout",
)

PROCESSES = 4


def _household(url: str) -> str:
    with unit_of_work(make_engine(url)) as session:
        household = Household(name="Busy", currency="EUR", timezone="UTC")
        session.add(household)
        return household.id


def _run_in_processes(target: Callable[..., None], url: str, household_id: str) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES)
    workers = [
        context.Process(target=target, args=(url, household_id, start, n)) for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0] * PROCESSES


def test_processes_recording_activity_at_once_lose_no_event(database_url: str) -> None:
    household_id = _household(database_url)
    _run_in_processes(record_events, database_url, household_id)
    with unit_of_work(make_engine(database_url), write=False) as session:
        rows = session.execute(select(Event.data).where(Event.household_id == household_id))
        written = sorted((data["worker"], data["i"]) for (data,) in rows)
    assert len(written) == PROCESSES * EVENTS_EACH
    assert written == [(w, i) for w in range(PROCESSES) for i in range(EVENTS_EACH)]


def test_concurrent_read_modify_write_increments_lose_no_update(database_url: str) -> None:
    household_id = _household(database_url)
    _run_in_processes(increment_version, database_url, household_id)
    with unit_of_work(make_engine(database_url), write=False) as session:
        household = session.get(Household, household_id)
        assert household is not None
        assert household.version == 1 + PROCESSES * INCREMENTS_EACH


def _count(url: str, model: Any) -> int:
    with unit_of_work(make_engine(url), write=False) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_database_locked_past_the_busy_timeout_is_503_and_nothing_is_written(
    database_url: str,
) -> None:
    settings = Settings(database_url=database_url, sqlite_busy_timeout_ms=100)
    new = {"name": "Home", "currency": "EUR", "timezone": "UTC"}
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        sam = sign_up(client)
        lock = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        try:
            plain = sam.post("/v1/households", json=new)
            keyed = sam.post("/v1/households", json=new, headers={"Idempotency-Key": "k"})
            for response in (plain, keyed):
                assert response.status_code == 503, response.text
                assert response.headers["content-type"] == "application/problem+json"
                assert response.json()["type"] == "urn:fairstead:problem:unavailable"
                assert response.headers["retry-after"] == "1"
            # Reads still work: WAL lets readers past a writer.
            assert sam.get("/v1/households").json()["data"] == []
        finally:
            lock.rollback()
            lock.close()
        assert _count(database_url, Household) == 0
        assert _count(database_url, Event) == 0
        assert _count(database_url, IdempotencyRecord) == 0
        # The key was not burnt: retrying it once the lock is gone creates the household.
        retried = sam.post("/v1/households", json=new, headers={"Idempotency-Key": "k"})
        assert retried.status_code == 201
        assert "idempotency-replayed" not in retried.headers
    assert _count(database_url, Household) == 1
