"""Settlements, balances and settle-up through the API, and the rule that a member who still
owes or is owed cannot be deleted."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine

from domain.db import unit_of_work
from domain.households.models import Member
from domain.ledger import settlements
from domain.ledger.models import Settlement, SettleUpPlan
from domain.tables import utcnow
from tests.api.conftest import Caller, assert_problem, count, fetch
from tests.api.ledger_builders import (
    Home,
    equal,
    expense,
    home_of_three,
    ledger_rows,
    nets,
    post_expense,
    settle,
)


def _exact(*parts: tuple[str, int]) -> dict[str, Any]:
    return {"method": "exact", "participants": [{"member_id": m, "amount": a} for m, a in parts]}


def _plan(caller: Caller, home: Home) -> list[tuple[str, str, int]]:
    response = caller.get(home.url("/settle-up"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["exact"] is True
    assert all(t["currency"] == "EUR" and t["amount"] > 0 for t in body["transfers"])
    return [(t["from_member_id"], t["to_member_id"], t["amount"]) for t in body["transfers"]]


def test_a_settlement_is_stored_returned_and_moves_balances(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    post_expense(sam, home, expense(home.sam, 3000, split=equal(*home.members)))
    response = alex.post(
        home.url("/settlements"),
        json={
            "from_member_id": home.alex,
            "to_member_id": home.sam,
            "amount": 1000,
            "currency": "EUR",
            "date": "2026-03-02",
            "note": "cash",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    url = home.url(f"/settlements/{body['id']}")
    assert response.headers["location"] == url and response.headers["etag"] == '"1"'
    assert (body["amount"], body["original_amount"], body["exchange_rate"], body["note"]) == (
        1000,
        1000,
        None,
        "cash",
    )
    assert sam.get(url).json() == body
    stored = fetch(engine, Settlement, body["id"])
    assert (stored.from_member_id, stored.to_member_id, stored.amount) == (
        home.alex,
        home.sam,
        1000,
    )

    balances = sam.get(home.url("/balances")).json()
    assert balances["currency"] == "EUR"
    assert balances["data"] == [
        {"member_id": home.sam, "paid": 3000, "owed": 1000, "net": 1000},
        {"member_id": home.alex, "paid": 0, "owed": 1000, "net": 0},
        {"member_id": home.robin, "paid": 0, "owed": 1000, "net": -1000},
    ]


def test_balances_of_an_empty_ledger_are_zero_for_every_member(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    assert nets(sam, home) == {m: 0 for m in home.members}
    assert sam.get(home.url("/settle-up")).json() == {
        "transfers": [],
        "exact": True,
        "currency": "EUR",
    }


def test_balances_sum_to_zero_with_several_payers_refunds_and_settlements(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    post_expense(sam, home, expense(home.sam, 1001, split=equal(*home.members)))
    post_expense(sam, home, expense(home.alex, -500, split=equal(home.alex, home.robin)))
    several = expense(home.sam, 777)
    del several["paid_by"]
    several["payers"] = [
        {"member_id": home.robin, "amount": 700},
        {"member_id": home.sam, "amount": 77},
    ]
    post_expense(sam, home, several)
    settle(sam, home, home.robin, home.sam, 123)
    balances = sam.get(home.url("/balances")).json()["data"]
    assert sum(b["net"] for b in balances) == 0
    assert all(
        b["net"] == b["paid"] - b["owed"] + _sent(sam, home, b["member_id"]) for b in balances
    )


def _sent(caller: Caller, home: Home, member_id: str) -> int:
    rows = caller.get(home.url("/settlements")).json()["data"]
    return sum(r["amount"] for r in rows if r["from_member_id"] == member_id) - sum(
        r["amount"] for r in rows if r["to_member_id"] == member_id
    )


def test_paying_one_suggested_transfer_leaves_the_rest_of_the_plan_unchanged(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    kim = sam.member(home.id, display_name="Kim")["id"]
    lee = sam.member(home.id, display_name="Lee")["id"]
    # Nets: Sam -3000, Alex +1000, Robin +1000, Kim -1000, Lee +2000.
    post_expense(sam, home, expense(home.alex, 1000, split=_exact((home.sam, 1000))))
    post_expense(sam, home, expense(home.robin, 1000, split=_exact((home.sam, 1000))))
    post_expense(sam, home, expense(lee, 2000, split=_exact((home.sam, 1000), (kim, 1000))))
    plan = _plan(sam, home)
    assert plan == [(home.sam, home.robin, 1000), (home.sam, lee, 2000), (kim, home.alex, 1000)]

    # Computed afresh, Sam 2000 to Lee paid would give Sam -> Alex and Kim -> Robin: a plan
    # that reshuffles under the user. The stored plan keeps the other two as they were.
    settle(sam, home, home.sam, lee, 2000)
    assert _plan(alex, home) == [plan[0], plan[2]]
    settle(sam, home, kim, home.alex, 1000)
    assert _plan(sam, home) == [plan[0]]
    settle(sam, home, home.sam, home.robin, 1000)
    assert _plan(sam, home) == []
    assert set(nets(sam, home).values()) == {0}


def test_a_new_expense_gives_a_fresh_minimal_plan(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    post_expense(sam, home, expense(home.sam, 3000, split=equal(*home.members)))
    assert _plan(sam, home) == [(home.alex, home.sam, 1000), (home.robin, home.sam, 1000)]
    post_expense(sam, home, expense(home.robin, 2000, split=_exact((home.alex, 2000))))
    # Alex owes 3000, Sam is owed 2000 and Robin 1000.
    assert _plan(sam, home) == [(home.alex, home.sam, 2000), (home.alex, home.robin, 1000)]


def test_another_households_settlement_is_404(
    sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    paid = settle(sam, home, home.alex, home.sam, 100)
    kim = new_user("Kim")
    theirs = kim.household()
    for url in (
        home.url(f"/settlements/{paid['id']}"),
        f"/v1/households/{theirs['id']}/settlements/{paid['id']}",
        home.url("/settlements"),
        home.url("/balances"),
        home.url("/settle-up"),
        home.url("/export"),
        home.url("/exchange-rates"),
    ):
        assert_problem(kim.get(url), 404)
    assert_problem(kim.post(home.url("/settlements"), json={}), 404)
    assert_problem(sam.get(home.url("/settlements/00000000-0000-0000-0000-000000000000")), 404)
    assert count(engine, Settlement) == 1


def test_a_member_who_still_owes_or_is_owed_cannot_be_deleted(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    post_expense(sam, home, expense(home.sam, 2000, split=equal(home.sam, home.robin)))
    rows = ledger_rows(engine)
    for member_id in (home.robin, home.sam):
        problem = assert_problem(sam.delete(home.url(f"/members/{member_id}")), 409)
        assert "balance" in problem["detail"]
    assert fetch(engine, Member, home.robin) is not None
    assert ledger_rows(engine) == rows

    # Settled to zero, the history still names Robin: still 409 (deactivate instead).
    settle(sam, home, home.robin, home.sam, 1000)
    assert_problem(sam.delete(home.url(f"/members/{home.robin}")), 409)
    assert fetch(engine, Member, home.robin) is not None
    assert sam.patch(home.url(f"/members/{home.robin}"), json={"active": False}).status_code == 200

    # A member the ledger never mentions goes.
    kim = sam.member(home.id, display_name="Kim")
    assert sam.delete(home.url(f"/members/{kim['id']}")).status_code == 204
    assert fetch(engine, Member, kim["id"]) is None


def test_two_first_settle_up_requests_at_once_both_get_the_plan(
    sam: Caller, alex: Caller, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = home_of_three(sam, alex)
    post_expense(sam, home, expense(home.sam, 3000, split=equal(*home.members)))
    if engine.dialect.name == "postgresql":
        # Both read "no plan stored yet" before either stores one. SQLite takes the write
        # lock at BEGIN, so there the second request simply waits for the first.
        both_read = threading.Barrier(2, timeout=10)
        plan_for = settlements.settle_up

        def settle_up_after_both_read(*args: Any, **kwargs: Any) -> Any:
            both_read.wait()
            return plan_for(*args, **kwargs)

        monkeypatch.setattr(settlements, "settle_up", settle_up_after_both_read)

    def plan() -> Any:
        with unit_of_work(engine) as session:
            return settlements.settle_up_plan(session, household_id=home.id, now=utcnow())

    with ThreadPoolExecutor(2) as pool:
        plans = [f.result() for f in [pool.submit(plan) for _ in range(2)]]
    monkeypatch.undo()
    assert plans[0] == plans[1] and len(plans[0].transfers) == 2
    assert count(engine, SettleUpPlan) == 1
    assert len(_plan(sam, home)) == 2
