"""Builders for the fairness API tests: a couple on a frozen clock, their agreement,
March's money and time, and shortcuts for proposals."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI

from tests.api.chores_builders import Clock, freeze, own_member
from tests.api.conftest import Caller, join

# Tuesday 31 March 2026, 20:00 in Berlin: the last evening of the measured month.
END_OF_MARCH = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)
FEB_END = datetime(2026, 2, 28, 9, 0, tzinfo=UTC)
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@dataclass
class Couple:
    id: str
    sam: str
    alex: str
    clock: Clock
    callers: dict[str, Caller]

    def url(self, path: str = "") -> str:
        """`/expenses` or `expenses` (as the chore builders write it)."""
        return f"/v1/households/{self.id}/{path.lstrip('/')}".rstrip("/")

    def caller(self, member_id: str) -> Caller:
        return self.callers[member_id]


def income(amount: int) -> dict[str, Any]:
    return {"monthly_income": {"amount": amount, "currency": "EUR"}}


def couple(
    app: FastAPI,
    sam: Caller,
    alex: Caller,
    *,
    incomes: tuple[int | None, int | None] | None = None,
) -> Couple:
    """Sam (admin) and Alex in Berlin, on 28 February; incomes in minor units."""
    clock = freeze(app, FEB_END)
    household = sam.household()
    sam_id = own_member(sam, household["id"])
    alex_id = join(sam, alex, household["id"])["id"]
    home = Couple(household["id"], sam_id, alex_id, clock, {sam_id: sam, alex_id: alex})
    if incomes is not None:
        for member_id, amount in zip((sam_id, alex_id), incomes, strict=True):
            if amount is None:
                continue
            changed = home.caller(member_id).patch(
                home.url(f"/members/{member_id}"), json=income(amount)
            )
            assert changed.status_code == 200, changed.text
    return home


def agree(home: Couple, body: dict[str, Any]) -> dict[str, Any]:
    """Sam proposes the agreement and Alex accepts: in force from the clock's day."""
    asked = home.caller(home.sam).put(home.url("/agreement"), json=body)
    assert asked.status_code == 202, asked.text
    proposal = asked.json()
    answered = respond(home, proposal["id"], home.alex, "accept")
    assert answered["status"] == "applied", answered
    agreement = home.caller(home.sam).get(home.url("/agreement"))
    assert agreement.status_code == 200, agreement.text
    body_out: dict[str, Any] = agreement.json()
    return body_out


def respond(
    home: Couple, proposal_id: str, member_id: str, answer: str, **fields: Any
) -> dict[str, Any]:
    response = home.caller(member_id).put(
        home.url(f"/fairness/proposals/{proposal_id}/responses/{member_id}"),
        json={"response": answer, **fields},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def spend(home: Couple, paid_by: str, amount: int, day: str, **fields: Any) -> dict[str, Any]:
    body = {
        "description": fields.pop("description", "Groceries"),
        "amount": amount,
        "currency": "EUR",
        "paid_by": paid_by,
        "date": day,
        **fields,
    }
    response = home.caller(home.sam).post(home.url("/expenses"), json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def log_time(
    home: Couple, member_id: str, minutes: int, day: str, load: str = "execution", effort: int = 3
) -> None:
    response = home.caller(member_id).post(
        home.url("/time-entries"),
        json={"member_id": member_id, "minutes": minutes, "date": day, "load": load,
              "effort": effort},
    )  # fmt: skip
    assert response.status_code == 201, response.text


def propose(home: Couple, period: dict[str, str] = MARCH) -> dict[str, dict[str, Any]]:
    """Generate proposals for the period: kind → proposal."""
    response = home.caller(home.sam).post(home.url("/fairness/proposals"), json=period)
    assert response.status_code == 201, response.text
    return {p["kind"]: p for p in response.json()["data"]}


def report(home: Couple, period: dict[str, str] = MARCH) -> dict[str, Any]:
    response = home.caller(home.sam).get(home.url("/fairness/report"), params=period)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def by_member(dimension: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["member_id"]: m for m in dimension["members"]}
