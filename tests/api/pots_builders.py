"""Builders the pot tests share: a joint account, contributions into it, bills paid from it."""

from typing import Any

from tests.api.conftest import Caller
from tests.api.ledger_builders import DAY, Home


def open_pot(caller: Caller, home: Home, **fields: Any) -> dict[str, Any]:
    response = caller.post(home.url("/pots"), json={"name": "Joint account", **fields})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def contribution(member_id: str, amount: int, **fields: Any) -> dict[str, Any]:
    return {"member_id": member_id, "amount": amount, "currency": "EUR", "date": DAY, **fields}


def contribute(
    caller: Caller, home: Home, pot_id: str, member_id: str, amount: int, **fields: Any
) -> dict[str, Any]:
    response = caller.post(
        home.url(f"/pots/{pot_id}/contributions"), json=contribution(member_id, amount, **fields)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def pot_expense(pot_id: str, amount: int = 3000, **fields: Any) -> dict[str, Any]:
    """An expense body paid from a pot; split by the household agreement unless given."""
    return {
        "description": "Rent",
        "amount": amount,
        "currency": "EUR",
        "paid_by_pot": pot_id,
        "date": DAY,
        **fields,
    }


def pot(caller: Caller, home: Home, pot_id: str) -> dict[str, Any]:
    response = caller.get(home.url(f"/pots/{pot_id}"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def held(body: dict[str, Any]) -> dict[str, int]:
    return {m["member_id"]: m["held"] for m in body["members"]}
