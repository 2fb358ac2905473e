"""Bad input for pots, contributions and pot expenses: a clear 4xx, and nothing stored."""

from typing import Any

import pytest
from sqlalchemy import Engine

from domain.ledger.pots.models import Pot, PotContribution
from tests.api.conftest import Caller, assert_problem, count
from tests.api.ledger_builders import expense, home_of_three, ledger_rows
from tests.api.pots_builders import contribute, contribution, open_pot, pot, pot_expense


def _stored(engine: Engine) -> tuple[int, ...]:
    return (*ledger_rows(engine), count(engine, Pot), count(engine, PotContribution))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "Joint", "currency": "EURO"}, "currency"),
        ({"name": "Joint", "currency": "XYZ"}, "currency"),
        ({"name": "Joint", "balance": 100}, "balance"),
        ({"name": "Joint", "id": "mine"}, "id"),
        ({"name": "Jo\x00int"}, "name"),
        ({"name": 12}, "name"),
    ],
)
def test_bad_pot_bodies_are_422(
    sam: Caller, alex: Caller, engine: Engine, body: dict[str, Any], field: str
) -> None:
    home = home_of_three(sam, alex)
    before = _stored(engine)
    assert_problem(sam.post(home.url("/pots"), json=body), 422, field=field)
    assert _stored(engine) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": 10.5}, "amount"),
        ({"amount": "1000"}, "amount"),
        ({"amount": 10**16}, "amount"),
        ({"amount": -(2**63)}, "amount"),
        ({"amount": 0}, "amount"),
        ({"currency": "usd"}, "currency"),
        ({"date": "2026-02-30"}, "date"),
        ({"note": "x" * 2001}, "note"),
        ({"note": "a\x00b"}, "note"),
        ({"pot_id": "elsewhere"}, "pot_id"),
        ({"member_id": "not-a-member"}, "member_id"),
        ({"exchange_rate": "1.1"}, "exchange_rate"),
        ({"currency": "USD"}, "exchange_rate"),
        ({"exchange_rate": "-1", "currency": "USD"}, "exchange_rate"),
        ({"amount": -100}, "note"),
        ({"amount": -100, "note": "   "}, "note"),
    ],
)
def test_bad_contributions_are_422_and_store_nothing(
    sam: Caller, alex: Caller, engine: Engine, fields: dict[str, Any], field: str
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    before = _stored(engine)
    body = contribution(home.sam, 1000) | fields
    url = home.url(f"/pots/{pot_id}/contributions")
    assert_problem(sam.post(url, json=body), 422, field=field)
    assert _stored(engine) == before


def test_missing_contribution_fields_are_named(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    response = sam.post(home.url(f"/pots/{pot_id}/contributions"), json={})
    body = assert_problem(response, 422)
    named = {e["loc"][-1] for e in body["errors"]}
    assert named >= {"member_id", "amount", "currency", "date"}


def test_a_withdrawal_beyond_the_members_stake_is_409(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 1000)
    contribute(sam, home, pot_id, home.alex, 1000)
    before = _stored(engine)
    url = home.url(f"/pots/{pot_id}/contributions")
    too_much = contribution(home.sam, -1500, note="Taking it all")
    assert "1000" in assert_problem(sam.post(url, json=too_much), 409)["detail"]
    assert _stored(engine) == before
    assert pot(sam, home, pot_id)["balance"] == 2000


def test_a_back_dated_withdrawal_that_would_strand_a_bill_is_409(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 1000, date="2026-03-01")
    sam.post(home.url("/expenses"), json=pot_expense(pot_id, 800, date="2026-03-05"))
    before = _stored(engine)
    early = contribution(home.sam, -500, note="Oops", date="2026-03-02")
    response = sam.post(home.url(f"/pots/{pot_id}/contributions"), json=early)
    assert "Rent" in assert_problem(response, 409)["detail"]
    assert _stored(engine) == before


def test_a_pot_without_contributions_cannot_pay(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    before = _stored(engine)
    body = assert_problem(sam.post(home.url("/expenses"), json=pot_expense(pot_id)), 409)
    assert "no contributions" in body["detail"]
    assert _stored(engine) == before


def test_an_expense_larger_than_the_pot_is_409(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 1000)
    before = _stored(engine)
    response = sam.post(home.url("/expenses"), json=pot_expense(pot_id, 1001))
    assert "holds only 1000" in assert_problem(response, 409)["detail"]
    assert _stored(engine) == before


@pytest.mark.parametrize("payer", ["paid_by", "payers"])
def test_paid_by_pot_with_another_payer_is_422(
    sam: Caller, alex: Caller, engine: Engine, payer: str
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 5000)
    before = _stored(engine)
    value: Any = home.sam if payer == "paid_by" else [{"member_id": home.sam, "amount": 3000}]
    body = pot_expense(pot_id, **{payer: value})
    assert_problem(sam.post(home.url("/expenses"), json=body), 422, field="paid_by_pot")
    assert _stored(engine) == before


def test_another_households_pot_is_404_and_cannot_pay(
    sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 5000)
    other = new_user("Jo")
    their_home = home_of_three(other, new_user("Max"))
    their_pot = open_pot(other, their_home)["id"]
    before = _stored(engine)
    for method, path in [
        ("get", f"/pots/{their_pot}"),
        ("patch", f"/pots/{their_pot}"),
        ("delete", f"/pots/{their_pot}"),
        ("get", f"/pots/{their_pot}/contributions"),
        ("post", f"/pots/{their_pot}/contributions"),
    ]:
        kwargs: dict[str, Any] = {}
        if method == "patch":
            kwargs["json"] = {"name": "Mine now"}
        if method == "post":
            kwargs["json"] = contribution(home.sam, 100)
        assert_problem(getattr(sam, method)(home.url(path), **kwargs), 404)
    body = pot_expense(their_pot)
    assert_problem(sam.post(home.url("/expenses"), json=body), 422, field="paid_by_pot")
    assert _stored(engine) == before


def test_an_archived_pot_takes_nothing_new(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 5000)
    assert sam.patch(home.url(f"/pots/{pot_id}"), json={"archived": True}).status_code == 200
    before = _stored(engine)
    url = home.url(f"/pots/{pot_id}/contributions")
    refused = assert_problem(sam.post(url, json=contribution(home.sam, 1)), 409)
    assert "archived" in refused["detail"]
    assert_problem(sam.post(home.url("/expenses"), json=pot_expense(pot_id)), 409)
    assert _stored(engine) == before


def test_a_used_pots_currency_cannot_change(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    assert sam.patch(home.url(f"/pots/{pot_id}"), json={"currency": "CHF"}).status_code == 200
    contribute(sam, home, pot_id, home.sam, 5000, exchange_rate="0.95")
    response = sam.patch(home.url(f"/pots/{pot_id}"), json={"currency": "EUR"})
    assert_problem(response, 409)
    assert pot(sam, home, pot_id)["currency"] == "CHF"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"archived": None}, "archived"),
        ({"archived": "yes"}, "archived"),
        ({"balance": 5}, "balance"),
    ],
)
def test_bad_pot_patches_are_422(
    sam: Caller, alex: Caller, body: dict[str, Any], field: str
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    assert_problem(sam.patch(home.url(f"/pots/{pot_id}"), json=body), 422, field=field)


def test_a_stale_if_match_is_412(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    url = home.url(f"/pots/{pot_id}")
    assert sam.patch(url, json={"name": "Shared"}).status_code == 200
    stale = sam.patch(url, json={"name": "Other"}, headers={"If-Match": '"1"'})
    assert_problem(stale, 412)
    assert_problem(sam.delete(url, headers={"If-Match": '"1"'}), 412)


def test_a_foreign_currency_expense_from_a_pot_needs_a_rate(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 5000)
    before = _stored(engine)
    body = pot_expense(pot_id, 1000, currency="USD")
    assert_problem(sam.post(home.url("/expenses"), json=body), 422, field="exchange_rate")
    assert _stored(engine) == before
    paid = sam.post(home.url("/expenses"), json={**body, "exchange_rate": "0.9"})
    assert paid.status_code == 201, paid.text
    assert pot(sam, home, pot_id)["balance"] == 5000 - 900


def test_an_expense_from_a_foreign_currency_pot_must_be_in_its_currency(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home, name="Holiday", currency="USD")["id"]
    no_rate = contribution(home.sam, 5000, currency="USD")
    url = home.url(f"/pots/{pot_id}/contributions")
    assert_problem(sam.post(url, json=no_rate), 422, field="date")
    rate = {"currency": "USD", "date": "2026-03-01", "rate": "0.9"}
    assert sam.put(home.url("/exchange-rates"), json={"rates": [rate]}).status_code == 200
    contributed = contribute(sam, home, pot_id, home.sam, 5000, currency="USD")
    assert (contributed["amount"], contributed["household_amount"]) == (5000, 4500)
    before = _stored(engine)
    body = expense(home.sam) | {"paid_by": None, "paid_by_pot": pot_id}
    del body["paid_by"]
    assert_problem(sam.post(home.url("/expenses"), json=body), 422, field="currency")
    assert _stored(engine) == before


def test_nul_characters_in_ids_are_refused_before_the_database(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    contribute(sam, home, pot_id, home.sam, 5000)
    before = _stored(engine)
    assert sam.get(home.url("/pots/a%00b")).status_code == 422
    listed = sam.get(home.url(f"/pots/{pot_id}/contributions"), params={"member_id": "a\x00"})
    assert_problem(listed, 422)
    assert sam.get(home.url("/members/a%00b/incomes")).status_code == 422
    body = pot_expense("a\x00b")
    assert_problem(sam.post(home.url("/expenses"), json=body), 422, field="paid_by_pot")
    assert _stored(engine) == before
