"""Expenses in another currency: converted once, half-even, then split; the original amount,
currency and rate kept. Rates come with the request or from the household's own table."""

from typing import Any

from sqlalchemy import Engine

from domain.activity.models import Event
from domain.ledger.models import ExchangeRate, Expense
from tests.api.conftest import Caller, assert_problem, count, fetch
from tests.api.ledger_builders import (
    DAY,
    Home,
    equal,
    expense,
    home_of_three,
    ledger_rows,
    payers,
    post_expense,
    settle,
    shares,
)


def _yen(home: Home, amount: int, **fields: Any) -> dict[str, Any]:
    return expense(home.sam, amount, currency="JPY", **fields)


def test_a_yen_expense_is_converted_once_and_then_split(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    body = post_expense(
        sam, home, _yen(home, 1000, exchange_rate="0.0061", split=equal(*home.members))
    )
    # 1000 yen at 0.0061 EUR is 6.10 EUR: split after converting, so the shares sum to 610
    # (converting each third of the yen would give 3 x 2.03).
    assert (body["amount"], body["currency"]) == (610, "EUR")
    assert (body["original_amount"], body["original_currency"]) == (1000, "JPY")
    assert body["exchange_rate"] == "0.0061"
    assert shares(body) == [(home.sam, 204), (home.alex, 203), (home.robin, 203)]
    assert payers(body) == [(home.sam, 610)]
    stored = fetch(engine, Expense, body["id"])
    assert (stored.amount, stored.currency) == (610, "EUR")
    assert (stored.original_amount, stored.original_currency, stored.exchange_rate) == (
        1000,
        "JPY",
        "0.0061",
    )
    assert sam.get(home.url(f"/expenses/{body['id']}")).json() == body


def test_conversion_rounds_half_to_even(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    # 125 yen x 0.0066 = 82.5 cents and 375 yen x 0.0066 = 247.5 cents: ties go to the even
    # cent, one down and one up, so many conversions do not drift one way.
    for yen, cents in ((125, 82), (375, 248), (-125, -82), (135, 89)):
        body = post_expense(sam, home, _yen(home, yen, exchange_rate="0.0066"))
        assert body["amount"] == cents, yen


def test_a_euro_expense_in_a_yen_household_uses_both_exponents(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex, currency="JPY")
    body = post_expense(sam, home, expense(home.sam, 1999, exchange_rate="160.5"))
    # 19.99 EUR x 160.5 = 3208.395 yen, rounded once to whole yen.
    assert (body["amount"], body["currency"], body["original_currency"]) == (3208, "JPY", "EUR")
    assert sum(a for _, a in shares(body)) == 3208


def test_exact_amounts_and_payers_in_the_other_currency_are_converted_in_proportion(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    body = _yen(
        home,
        1000,
        exchange_rate="0.0061",
        split={
            "method": "exact",
            "participants": [
                {"member_id": home.alex, "amount": 600},
                {"member_id": home.robin, "amount": 400},
            ],
        },
    )
    del body["paid_by"]
    body["payers"] = [
        {"member_id": home.sam, "amount": 333},
        {"member_id": home.alex, "amount": 667},
    ]
    created = post_expense(sam, home, body)
    assert shares(created) == [(home.alex, 366), (home.robin, 244)]
    assert payers(created) == [(home.sam, 203), (home.alex, 407)]
    # The request's own amounts stay as given, in yen.
    assert [p["amount"] for p in created["split"]["participants"]] == [600, 400]


def test_the_household_rate_table_supplies_the_rate_of_the_day(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    rates = {
        "rates": [
            {"currency": "JPY", "date": DAY, "rate": "0.0061"},
            {"currency": "USD", "date": DAY, "rate": "0.92"},
        ]
    }
    put = sam.put(home.url("/exchange-rates"), json=rates)
    assert put.status_code == 200, put.text
    assert put.json() == {"base_currency": "EUR", "data": rates["rates"]}
    body = post_expense(sam, home, _yen(home, 1000))
    assert (body["amount"], body["exchange_rate"], body["original_amount"]) == (610, "0.0061", 1000)

    # Another day has no rate: the request must give one.
    missing = sam.post(home.url("/expenses"), json=_yen(home, 1000, date="2026-03-02"))
    problem = assert_problem(missing, 422, field="exchange_rate")
    assert "2026-03-02" in problem["detail"]
    assert ledger_rows(engine) == (1, 3, 1, 0)

    # Replacing the day's rate changes later expenses, not the one already stored.
    sam.put(
        home.url("/exchange-rates"),
        json={"rates": [{"currency": "JPY", "date": DAY, "rate": "0.007"}]},
    )
    assert post_expense(sam, home, _yen(home, 1000))["amount"] == 700
    assert sam.get(home.url(f"/expenses/{body['id']}")).json()["amount"] == 610
    # A rate in the request wins over the table.
    assert post_expense(sam, home, _yen(home, 1000, exchange_rate="0.01"))["amount"] == 1000
    assert count(engine, ExchangeRate) == 2


def test_listing_rates_filters_by_currency_and_day(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    sam.put(
        home.url("/exchange-rates"),
        json={
            "rates": [
                {"currency": "JPY", "date": "2026-03-01", "rate": "0.0061"},
                {"currency": "JPY", "date": "2026-03-02", "rate": "0.0062"},
                {"currency": "USD", "date": "2026-03-02", "rate": "0.92"},
            ]
        },
    )
    listed = alex.get(home.url("/exchange-rates")).json()
    assert [(r["currency"], r["date"]) for r in listed["data"]] == [
        ("JPY", "2026-03-02"),
        ("USD", "2026-03-02"),
        ("JPY", "2026-03-01"),
    ]
    jpy = alex.get(home.url("/exchange-rates"), params={"currency": "JPY", "from": "2026-03-02"})
    assert jpy.json()["data"] == [{"currency": "JPY", "date": "2026-03-02", "rate": "0.0062"}]
    assert_problem(alex.get(home.url("/exchange-rates"), params={"currency": "xx"}), 422)


def test_bad_rates_are_422_naming_the_rate_and_store_nothing(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    good = {"currency": "JPY", "date": DAY, "rate": "0.0061"}
    events = count(engine, Event)
    for bad, field in (
        ({"rate": "0"}, "rates.1.rate"),
        ({"rate": "0.00"}, "rates.1.rate"),
        ({"rate": "NaN"}, "rates.1.rate"),
        ({"rate": "-1"}, "rates.1.rate"),
        ({"rate": "inf"}, "rates.1.rate"),
        ({"rate": 1.5}, "rates.1.rate"),
        ({"currency": "EUR"}, "rates.1.currency"),
        ({"currency": "XYZ"}, "rates.1.currency"),
        ({"currency": "USD"}, "rates.1"),
        ({"source": "ecb"}, "rates.1.source"),
    ):
        body = {"rates": [{**good, "currency": "USD"}, {**good, **bad}]}
        assert_problem(sam.put(home.url("/exchange-rates"), json=body), 422, field=field)
    assert_problem(sam.put(home.url("/exchange-rates"), json={"rates": []}), 422, field="rates")
    assert count(engine, ExchangeRate) == 0
    assert count(engine, Event) == events


def test_a_settlement_in_another_currency_is_converted(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    paid = settle(sam, home, home.alex, home.sam, 5000, currency="JPY", exchange_rate="0.0061")
    assert (paid["amount"], paid["currency"]) == (3050, "EUR")
    assert (paid["original_amount"], paid["original_currency"], paid["exchange_rate"]) == (
        5000,
        "JPY",
        "0.0061",
    )
    nets = {b["member_id"]: b["net"] for b in sam.get(home.url("/balances")).json()["data"]}
    assert nets == {home.sam: -3050, home.alex: 3050, home.robin: 0}


def test_patching_the_currency_back_drops_the_rate(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    created = post_expense(sam, home, _yen(home, 1000, exchange_rate="0.0061"))
    url = home.url(f"/expenses/{created['id']}")
    assert_problem(sam.patch(url, json={"currency": "USD"}), 422, field="exchange_rate")
    body = sam.patch(url, json={"currency": "EUR"}).json()
    assert (body["amount"], body["original_currency"], body["exchange_rate"]) == (1000, "EUR", None)
    again = sam.patch(url, json={"currency": "USD", "exchange_rate": "0.5"}).json()
    assert (again["amount"], again["exchange_rate"]) == (500, "0.5")
