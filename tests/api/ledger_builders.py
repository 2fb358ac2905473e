"""Builders the ledger's API tests share: a household of three and expense bodies."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from domain.ledger.models import Expense, ExpensePayer, ExpenseShare, Settlement
from tests.api.conftest import Caller, count, join

DAY = "2026-03-01"


@dataclass(frozen=True)
class Home:
    """Sam (admin), Alex (a member with an account) and Robin (managed, no account)."""

    id: str
    sam: str
    alex: str
    robin: str

    def url(self, path: str = "") -> str:
        return f"/v1/households/{self.id}{path}"

    @property
    def members(self) -> list[str]:
        return [self.sam, self.alex, self.robin]


def home_of_three(sam: Caller, alex: Caller, currency: str = "EUR") -> Home:
    household = sam.household(currency=currency)
    alex_member = join(sam, alex, household["id"])
    rows = sam.get(f"/v1/households/{household['id']}/members").json()["data"]
    sam_id = next(m["id"] for m in rows if m["user_id"] == sam.user_id)
    robin = sam.member(household["id"], display_name="Robin")
    return Home(household["id"], sam_id, alex_member["id"], robin["id"])


def expense(paid_by: str, amount: int = 3000, **fields: Any) -> dict[str, Any]:
    """A valid expense body; `split` defaults to the household agreement."""
    return {
        "description": "Groceries",
        "amount": amount,
        "currency": "EUR",
        "paid_by": paid_by,
        "date": DAY,
        **fields,
    }


def equal(*member_ids: str) -> dict[str, Any]:
    return {"method": "equal", "participants": [{"member_id": m} for m in member_ids]}


def post_expense(caller: Caller, home: Home, body: dict[str, Any]) -> dict[str, Any]:
    response = caller.post(home.url("/expenses"), json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def settle(
    caller: Caller, home: Home, from_id: str, to_id: str, amount: int, **fields: Any
) -> dict[str, Any]:
    body = {
        "from_member_id": from_id,
        "to_member_id": to_id,
        "amount": amount,
        "currency": "EUR",
        "date": DAY,
        **fields,
    }
    response = caller.post(home.url("/settlements"), json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def nets(caller: Caller, home: Home) -> dict[str, int]:
    response = caller.get(home.url("/balances"))
    assert response.status_code == 200, response.text
    return {b["member_id"]: b["net"] for b in response.json()["data"]}


def ledger_rows(engine: Engine) -> tuple[int, int, int, int]:
    """(expenses, shares, payers, settlements) stored: a rejected request changes none."""
    return (
        count(engine, Expense),
        count(engine, ExpenseShare),
        count(engine, ExpensePayer),
        count(engine, Settlement),
    )


def shares(body: dict[str, Any]) -> list[tuple[str, int]]:
    return [(s["member_id"], s["amount"]) for s in body["shares"]]


def payers(body: dict[str, Any]) -> list[tuple[str, int]]:
    return [(p["member_id"], p["amount"]) for p in body["payers"]]
