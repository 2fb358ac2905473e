"""An accepted time compensation becomes a debt in the ledger, so settle-up carries the
payment and, once paid, nothing is asked back."""

from fastapi import FastAPI

from tests.api.conftest import Caller
from tests.api.fairness_builders import Couple, propose, respond
from tests.api.test_fairness_flow import march


def balances(home: Couple, caller: Caller) -> dict[str, int]:
    body = caller.get(home.url("/balances")).json()
    return {row["member_id"]: row["net"] for row in body["data"]}


def test_accepting_a_time_compensation_records_the_debt_and_settle_up_clears_it(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = march(app, sam, alex)
    before = balances(home, sam)
    compensation = propose(home)["time_compensation"]
    transfer = compensation["details"]["transfers"][0]
    assert (transfer["from_member_id"], transfer["amount"]) == (home.sam, 10_000)

    respond(home, compensation["id"], home.sam, "accept")
    applied = respond(home, compensation["id"], home.alex, "accept")
    assert applied["status"] == "applied"

    after = balances(home, sam)
    assert after[home.sam] == before[home.sam] - 10_000
    assert after[home.alex] == before[home.alex] + 10_000
    assert sum(after.values()) == 0
    debt = sam.get(home.url("/expenses"), params={"category": "fairness"}).json()["data"]
    assert [(e["amount"], e["paid_by"], e["shares"]) for e in debt] == [
        (10_000, home.alex, [{"member_id": home.sam, "amount": 10_000}])
    ]

    for step in sam.get(home.url("/settle-up")).json()["transfers"]:
        paid = sam.post(home.url("/settlements"), json={**step, "date": "2026-03-31"})
        assert paid.status_code == 201, paid.text
    assert set(balances(home, sam).values()) == {0}
    assert sam.get(home.url("/settle-up")).json()["transfers"] == []
