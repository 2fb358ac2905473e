"""Listing expenses and settlements: filters, newest-first order and the (date, id) cursor."""

from typing import Any

from tests.api.conftest import Caller, assert_problem
from tests.api.ledger_builders import Home, expense, home_of_three, post_expense, settle


def _list(caller: Caller, home: Home, path: str = "/expenses", **params: Any) -> dict[str, Any]:
    response = caller.get(home.url(path), params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _ids(caller: Caller, home: Home, **params: Any) -> list[str]:
    return [e["id"] for e in _list(caller, home, **params)["data"]]


def test_filters_by_payer_category_and_date_range(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    rent = post_expense(sam, home, expense(home.sam, 90000, date="2026-01-01", category="rent"))
    food = post_expense(sam, home, expense(home.alex, 3000, date="2026-01-15", category="food"))
    shared = expense(home.sam, 5000, date="2026-02-01", category="food")
    del shared["paid_by"]
    shared["payers"] = [
        {"member_id": home.robin, "amount": 1000},
        {"member_id": home.alex, "amount": 4000},
    ]
    both = post_expense(sam, home, shared)
    march = post_expense(sam, home, expense(home.robin, 700, date="2026-03-01"))

    assert _ids(sam, home) == [march["id"], both["id"], food["id"], rent["id"]]
    assert _ids(sam, home, paid_by=home.alex) == [both["id"], food["id"]]
    assert _ids(sam, home, paid_by=home.robin) == [march["id"], both["id"]]
    assert _ids(sam, home, category="food") == [both["id"], food["id"]]
    assert _ids(sam, home, category="nothing") == []
    assert _ids(sam, home, **{"from": "2026-01-15", "to": "2026-02-01"}) == [both["id"], food["id"]]
    assert _ids(sam, home, **{"from": "2026-02-02"}) == [march["id"]]
    assert _ids(sam, home, to="2026-01-01") == [rent["id"]]
    assert _ids(sam, home, paid_by=home.alex, category="food", to="2026-01-31") == [food["id"]]


def test_bad_list_parameters_are_422(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    for params, field in (
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ):
        assert_problem(sam.get(home.url("/expenses"), params=params), 422, field=field)


def test_pagination_walks_every_expense_once_in_date_then_id_order(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    # Created out of date order, with several on one day, so the cursor needs both parts.
    days = ["2026-01-03", "2026-01-01", "2026-01-02", "2026-01-02", "2026-01-03", "2026-01-02"]
    created = [
        post_expense(sam, home, expense(home.sam, 100 + i, date=d)) for i, d in enumerate(days)
    ]
    expected = [e["id"] for e in sorted(created, key=lambda e: (e["date"], e["id"]), reverse=True)]

    seen: list[str] = []
    pages = 0
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = _list(sam, home, **params)
        assert len(page["data"]) <= 2
        seen += [e["id"] for e in page["data"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected and pages == 3
    assert _ids(sam, home, limit=200) == expected
    # A filter applies across pages too.
    first = _list(sam, home, limit=1, **{"from": "2026-01-02", "to": "2026-01-02"})
    rest = _list(
        sam,
        home,
        limit=5,
        cursor=first["next_cursor"],
        **{"from": "2026-01-02", "to": "2026-01-02"},
    )
    day_two = [e["id"] for e in created if e["date"] == "2026-01-02"]
    assert [e["id"] for e in first["data"] + rest["data"]] == sorted(day_two, reverse=True)
    assert rest["next_cursor"] is None


def test_settlements_list_newest_first_filter_by_member_and_page(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    one = settle(sam, home, home.alex, home.sam, 100)
    two = settle(sam, home, home.robin, home.sam, 200)
    three = settle(alex, home, home.alex, home.robin, 300)
    listed = _list(sam, home, "/settlements")
    assert [s["id"] for s in listed["data"]] == [three["id"], two["id"], one["id"]]
    assert listed["data"][0] == three
    by_robin = _list(sam, home, "/settlements", member_id=home.robin)["data"]
    assert [s["id"] for s in by_robin] == [three["id"], two["id"]]
    first = _list(sam, home, "/settlements", limit=2)
    second = _list(sam, home, "/settlements", limit=2, cursor=first["next_cursor"])
    assert [s["id"] for s in first["data"] + second["data"]] == [three["id"], two["id"], one["id"]]
    assert second["next_cursor"] is None
