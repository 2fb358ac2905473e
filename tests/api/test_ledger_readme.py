"""The README's "Money" walk-through, request for request, with the answers it promises."""

import csv
import io
from typing import Any

from tests.api.conftest import Caller
from tests.api.ledger_builders import Home, home_of_three


def _post(caller: Caller, home: Home, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = caller.post(home.url(f"/{path}"), json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _shares(body: dict[str, Any]) -> list[int]:
    return [s["amount"] for s in body["shares"]]


def test_the_readme_money_examples(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    sam_, robin, alex_ = home.sam, home.robin, home.alex

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return _post(sam, home, path, body)

    def who(*ids: str, key: str | None = None, values: tuple[Any, ...] = ()) -> list[Any]:
        return [
            {"member_id": m, **({key: v} if key else {})}
            for m, v in zip(ids, values or ids, strict=True)
        ]

    equal = post(
        "expenses",
        {
            "description": "Groceries",
            "amount": 10000,
            "currency": "EUR",
            "date": "2026-11-20",
            "paid_by": sam_,
            "split": {"method": "equal", "participants": who(sam_, robin, alex_)},
        },
    )
    assert _shares(equal) == [3334, 3333, 3333]

    shares = post(
        "expenses",
        {
            "description": "Electricity",
            "amount": 9000,
            "currency": "EUR",
            "date": "2026-11-20",
            "paid_by": robin,
            "split": {
                "method": "shares",
                "participants": who(sam_, robin, key="shares", values=(2, 1)),
            },
        },
    )
    assert _shares(shares) == [6000, 3000]

    percent = post(
        "expenses",
        {
            "description": "Rent",
            "amount": 150000,
            "currency": "EUR",
            "date": "2026-11-01",
            "paid_by": sam_,
            "split": {
                "method": "percent",
                "participants": who(sam_, robin, key="percent", values=(62.5, 37.5)),
            },
        },
    )
    assert _shares(percent) == [93750, 56250]

    dinner = post(
        "expenses",
        {
            "description": "Dinner",
            "amount": 8400,
            "currency": "EUR",
            "date": "2026-11-21",
            "payers": who(sam_, robin, key="amount", values=(5000, 3400)),
            "split": {
                "method": "exact",
                "participants": who(sam_, robin, key="amount", values=(3000, 5400)),
            },
        },
    )
    assert _shares(dinner) == [3000, 5400] and dinner["paid_by"] is None

    internet = post(
        "expenses",
        {
            "description": "Internet",
            "amount": 3999,
            "currency": "EUR",
            "date": "2026-11-03",
            "paid_by": alex_,
        },
    )
    assert internet["split"]["method"] == "agreement" and _shares(internet) == [1333] * 3

    ramen = post(
        "expenses",
        {
            "description": "Ramen",
            "amount": 3000,
            "currency": "JPY",
            "exchange_rate": "0.0061",
            "date": "2026-11-22",
            "paid_by": robin,
        },
    )
    assert (ramen["amount"], ramen["original_amount"], _shares(ramen)) == (1830, 3000, [610] * 3)
    rates = {"rates": [{"currency": "USD", "date": "2026-11-22", "rate": "0.9312"}]}
    assert sam.put(home.url("/exchange-rates"), json=rates).status_code == 200

    refund = post(
        "expenses",
        {
            "description": "Returned kettle",
            "amount": -2500,
            "currency": "EUR",
            "date": "2026-11-23",
            "paid_by": sam_,
        },
    )
    assert _shares(refund) == [-834, -833, -833]

    rent = post(
        "recurring-expenses",
        {
            "description": "Rent",
            "amount": 150000,
            "currency": "EUR",
            "paid_by": sam_,
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
            "starts_on": "2099-01-01",
        },
    )
    assert rent["active"] is True

    balances = sam.get(home.url("/balances")).json()["data"]
    assert [(b["member_id"], b["paid"], b["owed"], b["net"]) for b in balances] == [
        (sam_, 162500, 107193, 55307),
        (alex_, 3999, 4443, -444),
        (robin, 14230, 69093, -54863),
    ]
    plan = sam.get(home.url("/settle-up")).json()
    assert plan == {
        "transfers": [
            {"from_member_id": alex_, "to_member_id": sam_, "amount": 444, "currency": "EUR"},
            {"from_member_id": robin, "to_member_id": sam_, "amount": 54863, "currency": "EUR"},
        ],
        "exact": True,
        "currency": "EUR",
    }

    post(
        "settlements",
        {
            "from_member_id": robin,
            "to_member_id": sam_,
            "amount": 54863,
            "currency": "EUR",
            "date": "2026-11-24",
        },
    )
    assert sam.get(home.url("/settle-up")).json()["transfers"] == plan["transfers"][:1]

    exported = sam.get(home.url("/export"), params={"format": "csv", "from": "2026-01-01"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 7 and rows[0]["description"] == "Rent"
    assert [rows[0][f"share {n}"] for n in ("Sam", "Alex", "Robin")] == ["937.50", "", "562.50"]
