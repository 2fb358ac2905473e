"""Pots through the API: open one, pay into it, pay bills from it, read where it stands."""

from sqlalchemy import Engine

from domain.activity.models import Event
from domain.ledger.pots.models import Pot
from tests.api.conftest import Caller, count, fetch
from tests.api.ledger_builders import equal, home_of_three, nets, payers, post_expense
from tests.api.pots_builders import contribute, held, open_pot, pot, pot_expense


def test_a_new_pot_is_in_the_household_currency_and_empty(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    created = open_pot(sam, home)
    assert created["currency"] == "EUR"
    assert (created["balance"], created["contributed"], created["spent"]) == (0, 0, 0)
    assert created["archived"] is False
    listed = sam.get(home.url("/pots")).json()
    assert [p["id"] for p in listed["data"]] == [created["id"]]
    assert listed["data"][0]["balance"] == 0


def test_contributions_leave_balances_alone_and_fill_the_pot(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 125_000)
    contribute(sam, home, pot_id, home.alex, 75_000)
    assert set(nets(sam, home).values()) == {0}
    body = pot(sam, home, pot_id)
    assert body["balance"] == 200_000
    assert held(body) == {home.sam: 125_000, home.alex: 75_000, home.robin: 0}
    shares = {m["member_id"]: m["contribution_share"] for m in body["members"]}
    assert shares == {home.sam: 0.625, home.alex: 0.375, home.robin: 0.0}


def test_a_pot_expense_is_paid_by_members_in_proportion_to_what_they_hold(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 1000)
    contribute(sam, home, pot_id, home.alex, 2000)
    created = post_expense(sam, home, pot_expense(pot_id, 1001, split=equal(home.sam, home.alex)))
    assert created["paid_by_pot"] == pot_id
    assert created["paid_by"] is None
    assert payers(created) == [(home.sam, 334), (home.alex, 667)]
    assert nets(sam, home) == {home.sam: 334 - 501, home.alex: 667 - 500, home.robin: 0}
    body = pot(sam, home, pot_id)
    assert (body["balance"], body["spent"]) == (3000 - 1001, 1001)
    assert held(body) == {home.sam: 666, home.alex: 1333, home.robin: 0}


def test_money_left_in_a_pot_stays_its_contributors(sam: Caller, alex: Caller) -> None:
    """Sam's money paid the first bill; Alex's later money pays the second, all of it."""
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 5000, date="2026-03-01")
    post_expense(sam, home, pot_expense(pot_id, 5000, date="2026-03-02"))
    contribute(sam, home, pot_id, home.alex, 4000, date="2026-03-03")
    second = post_expense(sam, home, pot_expense(pot_id, 4000, date="2026-03-04"))
    assert payers(second) == [(home.alex, 4000)]
    body = pot(sam, home, pot_id)
    paid = {m["member_id"]: m["paid"] for m in body["members"]}
    assert paid == {home.sam: 5000, home.alex: 4000, home.robin: 0}
    assert body["balance"] == 0


def test_a_back_dated_contribution_repays_later_expenses(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 1000, date="2026-03-02")
    bill = post_expense(sam, home, pot_expense(pot_id, 1000, date="2026-03-05"))
    assert payers(bill) == [(home.sam, 1000)]
    contribute(sam, home, pot_id, home.alex, 1000, date="2026-03-01")
    again = sam.get(home.url(f"/expenses/{bill['id']}")).json()
    assert payers(again) == [(home.alex, 500), (home.sam, 500)]


def test_a_withdrawal_takes_money_out_of_the_members_stake(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 3000)
    out = contribute(sam, home, pot_id, home.sam, -1000, note="Moved back for the car")
    assert out["amount"] == -1000
    body = pot(sam, home, pot_id)
    assert body["balance"] == 2000
    assert body["contributed"] == 2000
    listed = sam.get(home.url(f"/pots/{pot_id}/contributions")).json()["data"]
    assert {c["id"] for c in listed} >= {out["id"]}


def test_deleting_a_pot_expense_gives_the_money_back_to_the_pot(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 3000)
    bill = post_expense(sam, home, pot_expense(pot_id, 3000))
    assert sam.delete(home.url(f"/expenses/{bill['id']}")).status_code == 204
    assert pot(sam, home, pot_id)["balance"] == 3000
    assert set(nets(sam, home).values()) == {0}


def test_an_expense_can_move_from_a_pot_to_a_member_and_back(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.alex, 3000)
    bill = post_expense(sam, home, pot_expense(pot_id, 3000))
    url = home.url(f"/expenses/{bill['id']}")
    moved = sam.patch(url, json={"paid_by_pot": None, "paid_by": home.sam}).json()
    assert (moved["paid_by"], moved["paid_by_pot"]) == (home.sam, None)
    assert pot(sam, home, pot_id)["balance"] == 3000
    back = sam.patch(url, json={"paid_by_pot": pot_id, "paid_by": None}).json()
    assert payers(back) == [(home.alex, 3000)]
    assert sam.patch(url, json={"description": "Rent, March"}).status_code == 200
    assert pot(sam, home, pot_id)["balance"] == 0


def test_a_used_pot_is_archived_not_deleted(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of_three(sam, alex)
    used = open_pot(sam, home)["id"]
    contribute(sam, home, used, home.sam, 100)
    unused = open_pot(sam, home, name="Holiday")["id"]
    assert sam.delete(home.url(f"/pots/{used}")).status_code == 204
    assert pot(sam, home, used)["archived"] is True
    assert sam.delete(home.url(f"/pots/{unused}")).status_code == 204
    assert fetch(engine, Pot, unused) is None
    assert sam.get(home.url(f"/pots/{unused}")).status_code == 404
    revived = sam.patch(home.url(f"/pots/{used}"), json={"archived": False})
    assert revived.status_code == 200
    assert revived.json()["archived"] is False


def test_pots_and_contributions_are_recorded_as_events(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 100)
    for kind in ("pot.created", "pot.contribution_added"):
        assert count(engine, Event, Event.type == kind, Event.household_id == home.id) == 1


def test_pot_detail_compares_contributions_with_the_agreement(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 1000)
    contribute(sam, home, pot_id, home.alex, 2000)
    members = {m["member_id"]: m for m in pot(sam, home, pot_id)["members"]}
    # The default agreement is equal among the three members.
    assert members[home.alex]["agreed_share"] == 1 / 3
    assert abs(members[home.alex]["deviation"] - (2 / 3 - 1 / 3)) < 1e-12
    assert members[home.robin]["contributed"] == 0


def test_a_member_with_contributions_is_deactivated_not_deleted(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.robin, 500)
    refused = sam.delete(home.url(f"/members/{home.robin}"))
    assert refused.status_code == 409
    assert "pot" in refused.json()["detail"]
    assert pot(sam, home, pot_id)["balance"] == 500


def test_a_recurring_bill_from_an_empty_pot_pauses_instead_of_failing(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    body = pot_expense(pot_id, 1000) | {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"}
    body["starts_on"] = body.pop("date")
    created = sam.post(home.url("/recurring-expenses"), json=body)
    assert created.status_code == 201, created.text
    assert created.json()["paid_by_pot"] == pot_id
    assert sam.get(home.url("/balances")).status_code == 200
    template = sam.get(home.url(f"/recurring-expenses/{created.json()['id']}")).json()
    assert template["active"] is False


def test_changing_a_pot_expense_beyond_what_the_pot_holds_is_409(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 1000)
    bill = post_expense(sam, home, pot_expense(pot_id, 600))
    url = home.url(f"/expenses/{bill['id']}")
    assert sam.patch(url, json={"amount": 1200}).status_code == 409
    assert sam.get(url).json()["amount"] == 600
    assert pot(sam, home, pot_id)["balance"] == 400
