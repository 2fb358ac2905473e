"""Export as CSV (a share column per member, formulas defused) and JSON; and the activity
feed, which records every change to the ledger."""

import csv
import io
import json
from typing import Any

from tests.api.conftest import Caller, assert_problem
from tests.api.ledger_builders import (
    Home,
    equal,
    expense,
    home_of_three,
    post_expense,
    settle,
)


def _export(caller: Caller, home: Home, **params: Any) -> Any:
    response = caller.get(home.url("/export"), params=params)
    assert response.status_code == 200, response.text
    return response


def _csv(caller: Caller, home: Home, **params: Any) -> list[dict[str, str]]:
    response = _export(caller, home, **params)
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def test_csv_has_one_share_column_per_member_oldest_first(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    later = post_expense(sam, home, expense(home.alex, 1001, date="2026-03-02", category="food"))
    first = post_expense(
        sam,
        home,
        expense(home.sam, 1000, currency="JPY", exchange_rate="0.0061", split=equal(home.robin)),
    )
    response = _export(sam, home)
    header = next(csv.reader(io.StringIO(response.text)))
    assert header[-3:] == ["share Sam", "share Alex", "share Robin"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["id"] for r in rows] == [first["id"], later["id"]]
    assert rows[0] | {"id": ""} == {
        "id": "",
        "date": "2026-03-01",
        "description": "Groceries",
        "category": "",
        "amount": "6.10",
        "currency": "EUR",
        "original_amount": "1000",
        "original_currency": "JPY",
        "exchange_rate": "0.0061",
        "paid_by": "Sam 6.10",
        "share Sam": "",
        "share Alex": "",
        "share Robin": "6.10",
    }
    assert [rows[1][f"share {n}"] for n in ("Sam", "Alex", "Robin")] == ["3.34", "3.34", "3.33"]
    assert (rows[1]["category"], rows[1]["paid_by"]) == ("food", "Alex 10.01")


def test_csv_cells_that_could_be_formulas_are_escaped(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    texts = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "Plain"]
    for text in texts:
        post_expense(sam, home, expense(home.sam, 100, description=text, category=text))
    sam.patch(home.url(f"/members/{home.robin}"), json={"display_name": "=cmd"})
    response = _export(sam, home)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["description"] for r in rows) == sorted(
        ['\'=HYPERLINK("http://evil")', "'+1+1", "'-2+3", "'@SUM(A1)", "Plain"]
    )
    assert all(r["category"] == r["description"] for r in rows)
    assert "share '=cmd" in next(csv.reader(io.StringIO(response.text)))
    # Our own numbers are left alone, a negative one included.
    post_expense(sam, home, expense(home.sam, -100, description="Refund"))
    refund = next(r for r in _csv(sam, home) if r["description"] == "Refund")
    assert refund["amount"] == "-1.00"


def test_export_filters_by_date_and_json_parses_to_the_expenses(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    made = [
        post_expense(sam, home, expense(home.sam, 100 * i, date=f"2026-03-0{i}"))
        for i in range(1, 5)
    ]
    rows = _csv(sam, home, **{"from": "2026-03-02", "to": "2026-03-03"})
    assert [r["id"] for r in rows] == [made[1]["id"], made[2]["id"]]
    response = _export(sam, home, format="json", to="2026-03-02")
    assert response.headers["content-type"].startswith("application/json")
    assert json.loads(response.text) == [made[0], made[1]]
    assert json.loads(_export(sam, home, format="json", **{"from": "2026-04-01"}).text) == []
    assert_problem(sam.get(home.url("/export"), params={"format": "xlsx"}), 422, field="format")


def test_every_ledger_change_is_in_the_activity_feed(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    rates = [{"currency": "JPY", "date": "2026-03-01", "rate": "0.0061"}]
    assert sam.put(home.url("/exchange-rates"), json={"rates": rates}).status_code == 200
    created = post_expense(alex, home, expense(home.alex, 1000, category="food"))
    url = home.url(f"/expenses/{created['id']}")
    alex.patch(url, json={"amount": 1200})
    paid = settle(sam, home, home.robin, home.alex, 400)
    template = sam.post(
        home.url("/recurring-expenses"),
        json={
            "description": "Rent",
            "amount": 90000,
            "currency": "EUR",
            "paid_by": home.sam,
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
            "starts_on": "2099-01-01",
        },
    ).json()
    recurring_url = home.url(f"/recurring-expenses/{template['id']}")
    sam.patch(recurring_url, json={"amount": 95000})
    sam.delete(recurring_url)
    sam.delete(url)

    events = sam.get(home.url("/activity"), params={"limit": 9}).json()["data"]
    assert [(e["type"], e["subject_id"], e["actor_member_id"]) for e in events] == [
        ("expense.deleted", created["id"], home.sam),
        ("recurring_expense.deleted", template["id"], home.sam),
        ("recurring_expense.updated", template["id"], home.sam),
        ("recurring_expense.created", template["id"], home.sam),
        ("settlement.created", paid["id"], home.sam),
        ("expense.updated", created["id"], home.alex),
        ("expense.created", created["id"], home.alex),
        ("exchange_rates.updated", home.id, home.sam),
        ("member.created", home.robin, home.sam),
    ]
    by_type = {e["type"]: e["data"] for e in events}
    assert by_type["expense.updated"] == {
        "description": "Groceries",
        "amount": 1200,
        "currency": "EUR",
    }
    assert by_type["settlement.created"] == {
        "from_member_id": home.robin,
        "to_member_id": home.alex,
        "amount": 400,
        "currency": "EUR",
    }
    assert by_type["exchange_rates.updated"] == {"count": 1}
