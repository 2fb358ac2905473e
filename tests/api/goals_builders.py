"""Builders the goals' API tests share: goal and contribution bodies, and posting them."""

from datetime import date, timedelta
from typing import Any

from tests.api.conftest import Caller
from tests.api.ledger_builders import Home

# Relative to the real clock: the API refuses a due date in the past.
NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()


def goal_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Flat deposit",
        "target": {"amount": 1_200_000, "currency": "EUR"},
        "due_on": NEXT_YEAR,
        **fields,
    }


def post_goal(caller: Caller, home: Home, **fields: Any) -> dict[str, Any]:
    response = caller.post(home.url("/goals"), json=goal_body(**fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def contribution(member_id: str, amount: int = 10_000, **fields: Any) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "amount": amount,
        "currency": "EUR",
        "date": date.today().isoformat(),
        **fields,
    }


def contribute(
    caller: Caller, home: Home, goal_id: str, member_id: str, amount: int = 10_000, **fields: Any
) -> dict[str, Any]:
    response = caller.post(
        home.url(f"/goals/{goal_id}/contributions"), json=contribution(member_id, amount, **fields)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
