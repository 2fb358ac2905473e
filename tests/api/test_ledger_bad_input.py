"""Every bad expense or settlement gets a 422 problem naming the field, and stores nothing:
no expense, share, payer, settlement or activity event."""

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from domain.activity.models import Event
from tests.api.conftest import Caller, assert_problem, count
from tests.api.ledger_builders import Home, equal, expense, home_of_three, ledger_rows, post_expense

Body = dict[str, Any]
Case = Callable[[Home, str], Body]


def _split(method: str, *values: tuple[str, Any]) -> Body:
    key = {"shares": "shares", "percent": "percent", "exact": "amount"}.get(method)
    return {
        "method": method,
        "participants": [{"member_id": m, **({key: v} if key else {})} for m, v in values],
    }


def _with(**fields: Any) -> Case:
    return lambda home, _: {**expense(home.sam, 3000), **fields}


def _payers(*parts: tuple[str, int], paid_by: bool = False, amount: int = 3000) -> Case:
    def build(home: Home, stranger: str) -> Body:
        ids = {"sam": home.sam, "alex": home.alex, "stranger": stranger}
        body = expense(
            home.sam, amount, payers=[{"member_id": ids[m], "amount": a} for m, a in parts]
        )
        if not paid_by:
            del body["paid_by"]
        return body

    return build


EXPENSE_CASES: dict[str, tuple[Case, str]] = {
    "percent not summing to 100": (
        lambda h, _: expense(h.sam, split=_split("percent", (h.sam, 50), (h.alex, 49.99))),
        "split.participants",
    ),
    "percent with 3 decimals": (
        lambda h, _: expense(h.sam, split=_split("percent", (h.sam, 50.005), (h.alex, 49.995))),
        "split.participants.0.percent",
    ),
    "exact amounts not summing": (
        lambda h, _: expense(h.sam, 3000, split=_split("exact", (h.sam, 1000), (h.alex, 1999))),
        "split.participants",
    ),
    "exact amount against the sign": (
        lambda h, _: expense(h.sam, 3000, split=_split("exact", (h.sam, 3500), (h.alex, -500))),
        "split.participants.1.amount",
    ),
    "zero shares": (
        lambda h, _: expense(h.sam, split=_split("shares", (h.sam, 1), (h.alex, 0))),
        "split.participants.1.shares",
    ),
    "shares beyond 10^6 (10^4000 was stored)": (
        lambda h, _: expense(h.sam, split=_split("shares", (h.sam, 1), (h.alex, 10**4000))),
        "split.participants.1.shares",
    ),
    "negative shares": (
        lambda h, _: expense(h.sam, split=_split("shares", (h.sam, -2), (h.alex, 1))),
        "split.participants.0.shares",
    ),
    "shares given to the equal method": (
        lambda h, _: expense(h.sam, split=_split("shares", (h.sam, 1)) | {"method": "equal"}),
        "split.participants.0.shares",
    ),
    "unknown split method": (
        lambda h, _: expense(h.sam, split={"method": "vibes", "participants": []}),
        "split.method",
    ),
    "a participant twice": (
        lambda h, _: expense(h.sam, split=equal(h.sam, h.alex, h.sam)),
        "split.participants.2.member_id",
    ),
    "no participants": (lambda h, _: expense(h.sam, split=equal()), "split.participants"),
    "a participant from another household": (
        lambda h, stranger: expense(h.sam, split=equal(h.sam, stranger)),
        "split.participants.1.member_id",
    ),
    "an unknown participant": (
        lambda h, _: expense(h.sam, split=equal("no-such-member")),
        "split.participants.0.member_id",
    ),
    "paid_by from another household": (
        lambda h, stranger: expense(stranger, split=equal(h.sam)),
        "paid_by",
    ),
    "a payer from another household": (
        _payers(("sam", 1000), ("stranger", 2000)),
        "payers.1.member_id",
    ),
    "payers not summing to the amount": (_payers(("sam", 1000), ("alex", 1000)), "payers"),
    "a payer twice": (_payers(("sam", 1000), ("sam", 2000)), "payers.1.member_id"),
    "a zero payer": (_payers(("sam", 3000), ("alex", 0)), "payers.1.amount"),
    "payers and paid_by together": (_payers(("sam", 3000), paid_by=True), "paid_by"),
    "neither payers nor paid_by": (
        lambda h, _: {k: v for k, v in expense(h.sam).items() if k != "paid_by"},
        "paid_by",
    ),
    "unknown currency": (_with(currency="XYZ"), "currency"),
    "lower-case currency": (_with(currency="eur"), "currency"),
    "currency without minor units": (_with(currency="XAU"), "currency"),
    "fractional amount": (_with(amount=12.5), "amount"),
    "amount as a string": (_with(amount="1250"), "amount"),
    "amount as a boolean": (_with(amount=True), "amount"),
    "amount over 10^15": (_with(amount=10**15 + 1), "amount"),
    "refund over 10^15": (_with(amount=-(10**15) - 1), "amount"),
    "amount of zero": (_with(amount=0), "amount"),
    "exchange rate of 0": (_with(currency="USD", exchange_rate="0"), "exchange_rate"),
    "exchange rate 0.000": (_with(currency="USD", exchange_rate="0.000"), "exchange_rate"),
    "exchange rate NaN": (_with(currency="USD", exchange_rate="NaN"), "exchange_rate"),
    "exchange rate negative": (_with(currency="USD", exchange_rate="-1"), "exchange_rate"),
    "exchange rate inf": (_with(currency="USD", exchange_rate="inf"), "exchange_rate"),
    "exchange rate with an exponent": (_with(currency="USD", exchange_rate="1e3"), "exchange_rate"),
    "exchange rate as a number": (_with(currency="USD", exchange_rate=1.1), "exchange_rate"),
    "exchange rate on the household currency": (_with(exchange_rate="1.5"), "exchange_rate"),
    "other currency without any rate": (_with(currency="USD"), "exchange_rate"),
    "converted amount over 10^15": (
        _with(currency="USD", amount=10**15, exchange_rate="2"),
        "amount",
    ),
    "an unknown field": (_with(id="mine"), "id"),
    "no date": (lambda h, _: {k: v for k, v in expense(h.sam).items() if k != "date"}, "date"),
    "empty description": (_with(description=""), "description"),
}


@pytest.fixture
def setting(sam: Caller, alex: Caller, new_user: Any) -> tuple[Home, str]:
    """Sam's household of three and a member of someone else's household."""
    home = home_of_three(sam, alex)
    kim = new_user("Kim")
    theirs = kim.household()
    stranger = kim.get(f"/v1/households/{theirs['id']}/members").json()["data"][0]["id"]
    return home, stranger


@pytest.mark.parametrize("case", EXPENSE_CASES, ids=list(EXPENSE_CASES))
def test_a_bad_expense_is_422_naming_the_field_and_stores_nothing(
    case: str, setting: tuple[Home, str], sam: Caller, engine: Engine
) -> None:
    home, stranger = setting
    build, field = EXPENSE_CASES[case]
    events = count(engine, Event)
    assert_problem(sam.post(home.url("/expenses"), json=build(home, stranger)), 422, field=field)
    assert ledger_rows(engine) == (0, 0, 0, 0)
    assert count(engine, Event) == events


def test_an_inactive_participant_or_payer_is_422(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of_three(sam, alex)
    sam.patch(home.url(f"/members/{home.robin}"), json={"active": False})
    for body, field in (
        (expense(home.sam, split=equal(home.sam, home.robin)), "split.participants.1.member_id"),
        (expense(home.robin, split=equal(home.sam)), "paid_by"),
    ):
        assert_problem(sam.post(home.url("/expenses"), json=body), 422, field=field)
    assert ledger_rows(engine) == (0, 0, 0, 0)


def test_a_bad_patch_is_422_and_leaves_the_expense_as_it_was(
    setting: tuple[Home, str], sam: Caller, engine: Engine
) -> None:
    home, stranger = setting
    created = post_expense(sam, home, expense(home.sam, 3000, split=equal(home.sam, home.alex)))
    url = home.url(f"/expenses/{created['id']}")
    stored = ledger_rows(engine)
    for body, field in (
        ({"amount": 12.5}, "amount"),
        ({"amount": 0}, "amount"),
        ({"split": _split("percent", (home.sam, 60), (home.alex, 60))}, "split.participants"),
        ({"split": equal(home.sam, stranger)}, "split.participants.1.member_id"),
        ({"paid_by": stranger}, "paid_by"),
        ({"currency": "USD"}, "exchange_rate"),
        ({"payers": [{"member_id": home.alex, "amount": 3000}], "paid_by": home.sam}, "paid_by"),
        ({"household_id": "elsewhere"}, "household_id"),
    ):
        assert_problem(sam.patch(url, json=body), 422, field=field)
    refused = assert_problem(sam.patch(url, json={"amount": None}), 422, field="amount")
    assert "'amount' cannot be null" in refused["detail"]
    assert sam.get(url).json() == created
    assert ledger_rows(engine) == stored


SETTLEMENT_CASES: dict[str, tuple[Callable[[Home, str], Body], str]] = {
    "zero amount": (lambda h, _: {"amount": 0}, "amount"),
    "negative amount": (lambda h, _: {"amount": -100}, "amount"),
    "fractional amount": (lambda h, _: {"amount": 10.5}, "amount"),
    "amount as a string": (lambda h, _: {"amount": "100"}, "amount"),
    "amount over 10^15": (lambda h, _: {"amount": 10**15 + 1}, "amount"),
    "paying oneself": (lambda h, _: {"to_member_id": h.alex}, "to_member_id"),
    "from another household": (lambda h, s: {"from_member_id": s}, "from_member_id"),
    "to another household": (lambda h, s: {"to_member_id": s}, "to_member_id"),
    "unknown currency": (lambda h, _: {"currency": "ABC"}, "currency"),
    "other currency without a rate": (lambda h, _: {"currency": "USD"}, "exchange_rate"),
    "exchange rate NaN": (
        lambda h, _: {"currency": "USD", "exchange_rate": "NaN"},
        "exchange_rate",
    ),
    "unknown field": (lambda h, _: {"suggested": True}, "suggested"),
}


@pytest.mark.parametrize("case", SETTLEMENT_CASES, ids=list(SETTLEMENT_CASES))
def test_a_bad_settlement_is_422_naming_the_field_and_stores_nothing(
    case: str, setting: tuple[Home, str], sam: Caller, engine: Engine
) -> None:
    home, stranger = setting
    change, field = SETTLEMENT_CASES[case]
    body = {
        "from_member_id": home.alex,
        "to_member_id": home.sam,
        "amount": 500,
        "currency": "EUR",
        "date": "2026-03-01",
        **change(home, stranger),
    }
    events = count(engine, Event)
    assert_problem(sam.post(home.url("/settlements"), json=body), 422, field=field)
    assert ledger_rows(engine) == (0, 0, 0, 0)
    assert count(engine, Event) == events
