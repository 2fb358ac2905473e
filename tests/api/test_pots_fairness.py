"""The fairness report with a joint account: money put into a pot counts as the member's
payment, once, and what the pot then pays is not counted again."""

from typing import Any

from fastapi import FastAPI

from tests.api.conftest import Caller
from tests.api.fairness_builders import (
    END_OF_MARCH,
    Couple,
    agree,
    by_member,
    couple,
    propose,
    report,
    respond,
)


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


def _contribute(home: Couple, pot_id: str, member_id: str, amount: int, day: str) -> None:
    _post(
        home,
        f"/pots/{pot_id}/contributions",
        {"member_id": member_id, "amount": amount, "currency": "EUR", "date": day},
    )


def _march_of_equal_contributions(app: FastAPI, sam: Caller, alex: Caller) -> tuple[Couple, str]:
    """Incomes 3,750 and 2,250 (62.5% / 37.5%); in March each pays 1,000 into the pot."""
    home = couple(app, sam, alex, incomes=(375_000, 225_000))
    agree(home, {"money": {"target": "income"}})
    home.clock.set(END_OF_MARCH)
    pot_id = _joint(home)
    _contribute(home, pot_id, home.sam, 100_000, "2026-03-01")
    _contribute(home, pot_id, home.alex, 100_000, "2026-03-01")
    return home, pot_id


def test_contribution_adjustment_suggests_monthly_amounts_that_match_the_agreement(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home, pot_id = _march_of_equal_contributions(app, sam, alex)
    proposal = propose(home)["contribution_adjustment"]
    assert proposal["details"]["monthly"] == [
        {"member_id": home.sam, "amount": 125_000, "current": 100_000},
        {"member_id": home.alex, "amount": 75_000, "current": 100_000},
    ]
    assert proposal["rationale"] == (
        "Contributions to Joint were Sam 50%, Alex 50% against the agreed Sam 62.5%, Alex "
        "37.5%. To match the agreement: Sam 1250.00 EUR and Alex 750.00 EUR a month instead "
        "of 1000.00 EUR each."
    )
    assert set(proposal["affected_member_ids"]) == {home.sam, home.alex}
    respond(home, proposal["id"], home.sam, "accept")
    done = respond(home, proposal["id"], home.alex, "accept")
    assert done["status"] == "applied", done
    plan = home.caller(home.sam).get(home.url(f"/pots/{pot_id}")).json()["monthly_plan"]
    assert plan == [
        {"member_id": home.sam, "amount": 125_000},
        {"member_id": home.alex, "amount": 75_000},
    ]


def test_no_adjustment_while_contributions_match_the_agreement(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)
    home.clock.set(END_OF_MARCH)
    pot_id = _joint(home)
    _contribute(home, pot_id, home.sam, 100_000, "2026-03-01")
    _contribute(home, pot_id, home.alex, 98_000, "2026-03-01")
    assert "contribution_adjustment" not in propose(home)


def test_an_adjustment_is_stale_once_the_contributions_change(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home, pot_id = _march_of_equal_contributions(app, sam, alex)
    proposal = propose(home)["contribution_adjustment"]
    _contribute(home, pot_id, home.sam, 50_000, "2026-03-15")
    respond(home, proposal["id"], home.sam, "accept")
    done = respond(home, proposal["id"], home.alex, "accept")
    assert done["status"] == "superseded", done
    assert home.caller(home.sam).get(home.url(f"/pots/{pot_id}")).json()["monthly_plan"] is None
