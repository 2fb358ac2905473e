"""The README's joint-account worked example, request for request, with its answers."""

from typing import Any

from fastapi import FastAPI

from tests.api.conftest import Caller
from tests.api.fairness_builders import (
    END_OF_MARCH,
    agree,
    by_member,
    couple,
    propose,
    report,
    respond,
)


def test_the_readme_joint_account_example(app: FastAPI, sam: Caller, alex: Caller) -> None:
    home = couple(app, sam, alex)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = sam.post(home.url(path), json=body)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    for member_id, amount in ((home.sam, 375_000), (home.alex, 225_000)):
        income = {"amount": amount, "currency": "EUR", "effective_from": "2026-01-01"}
        response = home.caller(member_id).post(
            home.url(f"/members/{member_id}/incomes"), json=income
        )
        assert response.status_code == 201, response.text
    agree(home, {"money": {"target": "income"}})
    home.clock.set(END_OF_MARCH)
    pot_id = post("/pots", {"name": "Joint account"})["id"]
    for member_id in (home.sam, home.alex):
        post(
            f"/pots/{pot_id}/contributions",
            {"member_id": member_id, "amount": 100_000, "currency": "EUR", "date": "2026-03-01"},
        )
    rent = post(
        "/expenses",
        {"description": "Rent", "amount": 140_000, "currency": "EUR", "date": "2026-03-03",
         "paid_by_pot": pot_id},
    )  # fmt: skip
    assert [s["amount"] for s in rent["shares"]] == [87_500, 52_500]
    assert [p["amount"] for p in rent["payers"]] == [70_000, 70_000]
    post(
        "/expenses",
        {"description": "Groceries", "amount": 8640, "currency": "EUR", "date": "2026-03-05",
         "paid_by_pot": pot_id},
    )  # fmt: skip

    pot = sam.get(home.url(f"/pots/{pot_id}")).json()
    assert pot["balance"] == 51_360
    members = {m["member_id"]: m for m in pot["members"]}
    assert [members[m]["held"] for m in (home.sam, home.alex)] == [25_680, 25_680]
    assert [members[m]["contribution_share"] for m in (home.sam, home.alex)] == [0.5, 0.5]
    assert [members[m]["agreed_share"] for m in (home.sam, home.alex)] == [0.625, 0.375]

    plan = sam.get(home.url("/settle-up")).json()["transfers"]
    assert [(t["from_member_id"], t["to_member_id"], t["amount"]) for t in plan] == [
        (home.sam, home.alex, 18_580)
    ]

    money = report(home)["dimensions"]["money"]
    assert money["score"] == 87.5
    shares = by_member(money)
    assert (shares[home.sam]["actual_share"], shares[home.sam]["target_share"]) == (0.5, 0.625)

    proposal = propose(home)["contribution_adjustment"]
    assert proposal["rationale"].endswith(
        "To match the agreement: Sam 1250.00 EUR and Alex 750.00 EUR a month instead of "
        "1000.00 EUR each."
    )
    for member_id in (home.sam, home.alex):
        answered = respond(home, proposal["id"], member_id, "accept")
    assert answered["status"] == "applied"
    assert sam.get(home.url(f"/pots/{pot_id}")).json()["monthly_plan"] == [
        {"member_id": home.sam, "amount": 125_000},
        {"member_id": home.alex, "amount": 75_000},
    ]
