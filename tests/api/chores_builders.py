"""Builders for the chore API tests: a frozen clock, a two-member household, chores."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI

from api.deps import now
from tests.api.conftest import Caller, join

# Monday 2 March 2026, 10:00 in Berlin: four weeks before the clocks go forward.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


@dataclass
class Clock:
    """What the API takes as now: `Now` is a dependency, so tests move time by hand."""

    moment: datetime

    def set(self, moment: datetime) -> None:
        self.moment = moment


def freeze(app: FastAPI, moment: datetime = NOW) -> Clock:
    clock = Clock(moment)
    app.dependency_overrides[now] = lambda: clock.moment
    return clock


@dataclass
class Home:
    id: str
    sam: str
    alex: str

    def url(self, path: str) -> str:
        return f"/v1/households/{self.id}/{path}"


def own_member(caller: Caller, household_id: str) -> str:
    rows = caller.get(f"/v1/households/{household_id}/members").json()["data"]
    member_id: str = next(m["id"] for m in rows if m["user_id"] == caller.user_id)
    return member_id


def home_of_two(sam: Caller, alex: Caller) -> Home:
    """Sam (admin, the older member) and Alex (member) in one household in Berlin."""
    household = sam.household()
    sam_id = own_member(sam, household["id"])
    alex_id = join(sam, alex, household["id"])["id"]
    return Home(household["id"], sam_id, alex_id)


def chore_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Dishes",
        "estimated_minutes": 30,
        "effort": 2,
        "load": "execution",
        "recurrence": "FREQ=DAILY",
        "starts_on": TODAY.isoformat(),
    }
    return {**body, **fields}


def create_chore(caller: Caller, home: Home, **fields: Any) -> dict[str, Any]:
    response = caller.post(home.url("chores"), json=chore_body(**fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def occurrences(caller: Caller, home: Home, **params: Any) -> list[dict[str, Any]]:
    """Every page of GET chore-occurrences."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": 200, **({"cursor": cursor} if cursor else {})}
        response = caller.get(home.url("chore-occurrences"), params=query)
        assert response.status_code == 200, response.text
        rows += response.json()["data"]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return rows


def of_chore(rows: list[dict[str, Any]], chore: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for row in rows if row["chore_id"] == chore["id"]]


def stats(caller: Caller, home: Home, first: date, last: date) -> dict[str, dict[str, Any]]:
    response = caller.get(
        home.url("chores/stats"), params={"from": first.isoformat(), "to": last.isoformat()}
    )
    assert response.status_code == 200, response.text
    return {row["member_id"]: row for row in response.json()["members"]}
