"""Recurring expenses: each occurrence becomes exactly one expense, on read, in the worker's
job, and under two concurrent materialisations; a template change affects only what is
still to come."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from api.deps import now
from domain.activity.models import Event
from domain.db import unit_of_work
from domain.households.models import Household
from domain.jobs import JOBS
from domain.ledger import recurring
from domain.ledger.models import Expense, RecurringExpense
from tests.api.conftest import Caller, assert_problem, count, fetch
from tests.api.ledger_builders import Home, equal, home_of_three

MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=1"
Clock = Callable[[str], datetime]


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    """Sets the time every request sees; returns it for direct service calls."""

    def set_to(day: str) -> datetime:
        moment = datetime.fromisoformat(f"{day}T12:00:00+00:00").astimezone(UTC)
        app.dependency_overrides[now] = lambda: moment
        return moment

    return set_to


def _rent(home: Home, **fields: Any) -> dict[str, Any]:
    return {
        "description": "Rent",
        "amount": 90000,
        "currency": "EUR",
        "paid_by": home.sam,
        "split": equal(*home.members),
        "category": "rent",
        "rrule": MONTHLY,
        "starts_on": "2026-01-01",
        **fields,
    }


def _create(caller: Caller, home: Home, **fields: Any) -> dict[str, Any]:
    response = caller.post(home.url("/recurring-expenses"), json=_rent(home, **fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _made(caller: Caller, home: Home) -> list[tuple[str, int]]:
    rows = caller.get(home.url("/expenses"), params={"limit": 200}).json()["data"]
    return sorted((e["date"], e["amount"]) for e in rows if e["recurring_id"])


def test_each_occurrence_up_to_today_becomes_one_expense(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    clock("2026-03-15")
    home = home_of_three(sam, alex)
    template = _create(sam, home)
    assert (template["rrule"], template["active"], template["amount"]) == (MONTHLY, True, 90000)
    assert [d for d, _ in _made(sam, home)] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert _made(alex, home) == _made(sam, home)
    sam.get(home.url("/balances"))
    sam.get(home.url("/settle-up"))
    assert count(engine, Expense, Expense.recurring_id == template["id"]) == 3
    expense = sam.get(home.url("/expenses"), params={"limit": 1}).json()["data"][0]
    assert expense["shares"] == [{"member_id": m, "amount": 30000} for m in home.members]
    assert expense["category"] == "rent" and expense["recurring_id"] == template["id"]

    clock("2026-05-01")
    assert len(_made(sam, home)) == 5
    assert sam.get(home.url("/balances")).json()["data"][0]["paid"] == 5 * 90000


def test_count_and_ends_on_stop_the_occurrences(sam: Caller, alex: Caller, clock: Clock) -> None:
    clock("2026-06-15")
    home = home_of_three(sam, alex)
    _create(sam, home, rrule="FREQ=MONTHLY;BYMONTHDAY=1;COUNT=2", description="Gym")
    _create(sam, home, ends_on="2026-03-31", amount=500)
    made = _made(sam, home)
    assert [d for d, a in made if a == 90000] == ["2026-01-01", "2026-02-01"]
    assert [d for d, a in made if a == 500] == ["2026-01-01", "2026-02-01", "2026-03-01"]


def test_a_template_change_applies_only_to_occurrences_still_to_come(
    sam: Caller, alex: Caller, clock: Clock
) -> None:
    clock("2026-01-15")
    home = home_of_three(sam, alex)
    template = _create(sam, home)
    url = home.url(f"/recurring-expenses/{template['id']}")
    # February and March fall due while nobody reads the ledger; they were due at the old rent.
    clock("2026-03-15")
    changed = sam.patch(url, json={"amount": 93000}, headers={"If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert changed.json()["amount"] == 93000 and changed.headers["etag"] == '"2"'
    clock("2026-05-15")
    assert _made(sam, home) == [
        ("2026-01-01", 90000),
        ("2026-02-01", 90000),
        ("2026-03-01", 90000),
        ("2026-04-01", 93000),
        ("2026-05-01", 93000),
    ]
    assert_problem(sam.patch(url, json={"amount": 1}, headers={"If-Match": '"1"'}), 412)


def test_pausing_and_deleting_a_template_keep_the_expenses_it_made(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    clock("2026-02-15")
    home = home_of_three(sam, alex)
    template = _create(sam, home)
    url = home.url(f"/recurring-expenses/{template['id']}")
    assert sam.get(url).json() == template
    assert [r["id"] for r in sam.get(home.url("/recurring-expenses")).json()["data"]] == [
        template["id"]
    ]
    assert sam.patch(url, json={"active": False}).json()["active"] is False
    clock("2026-04-15")
    assert len(_made(sam, home)) == 2
    assert sam.delete(url).status_code == 204
    assert_problem(sam.get(url), 404)
    assert count(engine, Expense) == 2
    assert count(engine, Expense, Expense.recurring_id.is_(None)) == 2


def test_deleting_a_template_first_makes_the_occurrences_already_due(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    clock("2026-01-15")
    home = home_of_three(sam, alex)
    template = _create(sam, home)
    clock("2026-03-15")
    url = home.url(f"/recurring-expenses/{template['id']}")
    assert_problem(sam.delete(url, headers={"If-Match": '"2"'}), 412)
    assert sam.delete(url, headers={"If-Match": '"1"'}).status_code == 204
    assert count(engine, RecurringExpense) == 0
    assert [d for d, _ in _made(sam, home)] == []
    rows = sam.get(home.url("/expenses")).json()["data"]
    assert sorted(e["date"] for e in rows) == ["2026-01-01", "2026-02-01", "2026-03-01"]


def test_a_template_whose_participant_left_is_paused_and_says_why(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    clock("2026-01-15")
    home = home_of_three(sam, alex)
    template = _create(sam, home)
    sam.patch(home.url(f"/members/{home.robin}"), json={"active": False})
    clock("2026-03-15")
    assert len(_made(sam, home)) == 1
    assert fetch(engine, RecurringExpense, template["id"]).active is False
    events = sam.get(home.url("/activity")).json()["data"]
    paused = [e for e in events if e["type"] == "recurring_expense.paused"]
    assert len(paused) == 1 and paused[0]["subject_id"] == template["id"]
    assert paused[0]["data"]["occurrence_date"] == "2026-02-01"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rrule": "FREQ=SOMETIMES"}, "rrule"),
        ({"rrule": "BYDAY=MO"}, "rrule"),
        ({"rrule": "FREQ=HOURLY"}, "rrule"),
        ({"rrule": "FREQ=MONTHLY;BYMONTHDAY=40"}, "rrule"),
        ({"rrule": "DTSTART:20260101\nRRULE:FREQ=DAILY"}, "rrule"),
        ({"rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rrule"),
        ({"rrule": "FREQ=DAILY;UNTIL=20251231"}, "rrule"),
        ({"rrule": ""}, "rrule"),
        ({"ends_on": "2025-12-31"}, "ends_on"),
        ({"amount": 12.5}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "USD"}, "exchange_rate"),
        ({"payers": "and paid_by"}, "paid_by"),
        ({"split": {"method": "percent", "participants": []}}, "split.participants"),
        ({"date": "2026-01-01"}, "date"),
    ],
)
def test_a_bad_template_is_422_naming_the_field_and_stores_nothing(
    change: dict[str, Any], field: str, sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    clock("2026-03-15")
    home = home_of_three(sam, alex)
    if "payers" in change:
        change = {"payers": [{"member_id": home.sam, "amount": 90000}]}
    response = sam.post(home.url("/recurring-expenses"), json=_rent(home, **change))
    assert_problem(response, 422, field=field)
    assert count(engine, RecurringExpense) == count(engine, Expense) == 0
    assert count(engine, Event, Event.type.like("recurring%")) == 0


def test_a_bad_template_change_is_422_and_changes_nothing(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    clock("2026-01-15")
    home = home_of_three(sam, alex)
    template = _create(sam, home)
    url = home.url(f"/recurring-expenses/{template['id']}")
    for body, field in (
        ({"rrule": "FREQ=WEEKLY;BYDAY=XX"}, "rrule"),
        ({"rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31"}, "rrule"),
        ({"ends_on": "2025-01-01"}, "ends_on"),
        ({"split": equal("nobody")}, "split.participants.0.member_id"),
    ):
        assert_problem(sam.patch(url, json=body), 422, field=field)
    assert sam.get(url).json() == template


def test_the_worker_job_materialises_every_household_once(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    clock("2026-01-15")
    home = home_of_three(sam, alex)
    template = _create(sam, home)
    at = datetime(2026, 4, 2, 12, tzinfo=UTC)
    with unit_of_work(engine) as session:
        assert JOBS["recurring_expenses"](session, at) == 3
    with unit_of_work(engine) as session:
        assert JOBS["recurring_expenses"](session, at) == 0
    assert count(engine, Expense, Expense.recurring_id == template["id"]) == 4
    clock("2026-04-02")
    assert len(_made(sam, home)) == 4


def test_two_concurrent_materialisations_create_each_occurrence_once(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock("2026-01-15")
    home = home_of_three(sam, alex)
    template = _create(sam, home)
    at = datetime(2026, 6, 2, 12, tzinfo=UTC)
    if engine.dialect.name == "postgresql":
        # Make both transactions read "nothing made yet" before either inserts, so the
        # unique constraint (not a check-then-insert) is what stops the duplicates. SQLite
        # takes the write lock at BEGIN, so there the second one waits for the first.
        both_read = threading.Barrier(2, timeout=10)
        expand = recurring.occurrences

        def occurrences_after_both_read(*args: Any, **kwargs: Any) -> list[Any]:
            both_read.wait()
            return expand(*args, **kwargs)

        monkeypatch.setattr(recurring, "occurrences", occurrences_after_both_read)

    def materialise() -> int:
        with unit_of_work(engine) as session:
            household = session.get(Household, home.id)
            return recurring.materialise_due(session, household=household, now=at)

    with ThreadPoolExecutor(2) as pool:
        created = [f.result() for f in [pool.submit(materialise) for _ in range(2)]]
    assert sorted(created) == [0, 5]
    assert count(engine, Expense, Expense.recurring_id == template["id"]) == 6
    made = count(engine, Event, Event.type == "expense.created", Event.actor_member_id.is_(None))
    assert made == 6
