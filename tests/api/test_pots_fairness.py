"""The fairness report with a joint account: money put into a pot counts as the member's
payment, once, and what the pot then pays is not counted again."""

from typing import Any

from fastapi import FastAPI

from tests.api.conftest import Caller
from tests.api.fairness_builders import END_OF_MARCH, Couple, by_member, couple, report


def _joint(home: Couple) -> str:
    response = home.caller(home.sam).post(home.url("/pots"), json={"name": "Joint"})
    assert response.status_code == 201, response.text
    pot_id: str = response.json()["id"]
    return pot_id


def _post(home: Couple, path: str, body: dict[str, Any]) -> None:
    response = home.caller(home.sam).post(home.url(path), json=body)
    assert response.status_code == 201, response.text


def test_contributions_count_as_payments_and_pot_bills_are_not_counted_twice(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)
    home.clock.set(END_OF_MARCH)
    pot_id = _joint(home)
    for member_id, amount in ((home.sam, 150_000), (home.alex, 50_000)):
        _post(
            home,
            f"/pots/{pot_id}/contributions",
            {"member_id": member_id, "amount": amount, "currency": "EUR", "date": "2026-03-01"},
        )
    _post(
        home,
        "/expenses",
        {
            "description": "Rent",
            "amount": 200_000,
            "currency": "EUR",
            "paid_by_pot": pot_id,
            "date": "2026-03-02",
        },
    )
    money = by_member(report(home)["dimensions"]["money"])
    assert (money[home.sam]["actual"], money[home.alex]["actual"]) == (150_000, 50_000)
    assert (money[home.sam]["actual_share"], money[home.sam]["target_share"]) == (0.75, 0.5)
    assert money[home.sam]["deviation"] == 0.25
