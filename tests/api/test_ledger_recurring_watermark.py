"""What a template remembers of the day it was made up to: reads after that make nothing
again, a member's deletion of one occurrence sticks, and a changed template is made anew."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from api.deps import now
from domain.ledger.models import Expense, RecurringExpense
from tests.api.conftest import Caller, count, fetch
from tests.api.ledger_builders import Home, equal, home_of_three

Clock = Callable[[str], datetime]


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    def set_to(day: str) -> datetime:
        moment = datetime.fromisoformat(f"{day}T12:00:00+00:00").astimezone(UTC)
        app.dependency_overrides[now] = lambda: moment
        return moment

    return set_to


def _template(caller: Caller, home: Home, **fields: Any) -> dict[str, Any]:
    body = {
        "description": "Rent",
        "amount": 90000,
        "currency": "EUR",
        "paid_by": home.sam,
        "split": equal(*home.members),
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
        "starts_on": "2026-01-01",
        **fields,
    }
    response = caller.post(home.url("/recurring-expenses"), json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _made(caller: Caller, home: Home) -> list[str]:
    rows = caller.get(home.url("/expenses"), params={"limit": 200}).json()["data"]
    return sorted(e["date"] for e in rows if e["recurring_id"])


def test_reads_on_the_same_day_find_the_template_made_up_to_today(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    clock("2026-03-15")
    home = home_of_three(sam, alex)
    template = _template(sam, home)
    assert fetch(engine, RecurringExpense, template["id"]).materialised_through.isoformat() == (
        "2026-03-15"
    )
    for _ in range(3):
        assert sam.get(home.url("/balances")).status_code == 200
        assert _made(sam, home) == ["2026-01-01", "2026-02-01", "2026-03-01"]
    clock("2026-04-02")
    assert _made(sam, home) == ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]
    assert count(engine, Expense, Expense.recurring_id == template["id"]) == 4


def test_an_occurrence_a_member_deleted_is_not_made_again(
    sam: Caller, alex: Caller, clock: Clock
) -> None:
    clock("2026-03-15")
    home = home_of_three(sam, alex)
    _template(sam, home)
    rows = sam.get(home.url("/expenses")).json()["data"]
    february = next(e for e in rows if e["date"] == "2026-02-01")
    deleted = sam.delete(home.url(f"/expenses/{february['id']}"))
    assert deleted.status_code == 204
    assert _made(sam, home) == ["2026-01-01", "2026-03-01"]
    clock("2026-04-15")
    assert _made(sam, home) == ["2026-01-01", "2026-03-01", "2026-04-01"]


def test_an_earlier_start_makes_the_occurrences_the_old_one_never_had(
    sam: Caller, alex: Caller, clock: Clock
) -> None:
    clock("2026-03-15")
    home = home_of_three(sam, alex)
    template = _template(sam, home, starts_on="2026-03-01")
    assert _made(sam, home) == ["2026-03-01"]
    url = home.url(f"/recurring-expenses/{template['id']}")
    changed = sam.patch(url, json={"starts_on": "2026-01-01"}, headers={"If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert _made(sam, home) == ["2026-01-01", "2026-02-01", "2026-03-01"]


def test_a_template_that_ended_before_its_last_reading_makes_nothing_more(
    sam: Caller, alex: Caller, clock: Clock
) -> None:
    clock("2026-03-15")
    home = home_of_three(sam, alex)
    _template(sam, home, ends_on="2026-03-20")
    clock("2026-05-15")
    assert _made(sam, home) == ["2026-01-01", "2026-02-01", "2026-03-01"]
    clock("2026-06-15")
    assert _made(sam, home) == ["2026-01-01", "2026-02-01", "2026-03-01"]
