"""Expenses through the API: every split method, several payers, refunds, and the README's
curl examples, each as a request and the shares it must store."""

from typing import Any

from sqlalchemy import Engine

from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from tests.api.conftest import Caller, assert_problem, count, fetch
from tests.api.ledger_builders import (
    equal,
    expense,
    home_of_three,
    nets,
    payers,
    post_expense,
    shares,
)


def _split(method: str, *participants: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {"method": method, "participants": [{"member_id": m, **v} for m, v in participants]}


def test_equal_split_gives_the_extra_cent_to_the_first_participant_in_request_order(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    body = post_expense(
        sam, home, expense(home.sam, 1000, split=equal(home.robin, home.sam, home.alex))
    )
    assert shares(body) == [(home.robin, 334), (home.sam, 333), (home.alex, 333)]
    assert payers(body) == [(home.sam, 1000)] and body["paid_by"] == home.sam
    assert (body["amount"], body["currency"], body["original_amount"]) == (1000, "EUR", 1000)
    assert body["exchange_rate"] is None
    stored = fetch(engine, Expense, body["id"])
    assert (stored.amount, stored.split_method, stored.household_id) == (1000, "equal", home.id)
    assert count(engine, ExpenseShare, ExpenseShare.expense_id == body["id"]) == 3


def test_shares_split_rounds_by_largest_remainder(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    split = _split(
        "shares", (home.sam, {"shares": 3}), (home.alex, {"shares": 2}), (home.robin, {"shares": 1})
    )
    body = post_expense(sam, home, expense(home.sam, 1000, split=split))
    assert shares(body) == [(home.sam, 500), (home.alex, 333), (home.robin, 167)]
    returned = body["split"]["participants"]
    assert [{k: v for k, v in p.items() if v is not None} for p in returned] == split[
        "participants"
    ]


def test_percent_split_takes_two_decimals_and_sums_exactly(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    split = _split(
        "percent",
        (home.sam, {"percent": 33.33}),
        (home.alex, {"percent": 33.33}),
        (home.robin, {"percent": 33.34}),
    )
    body = post_expense(sam, home, expense(home.sam, 1000, split=split))
    assert shares(body) == [(home.sam, 333), (home.alex, 333), (home.robin, 334)]
    assert [p["percent"] for p in body["split"]["participants"]] == [33.33, 33.33, 33.34]


def test_exact_split_stores_the_amounts_given(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    split = _split(
        "exact",
        (home.sam, {"amount": 1000}),
        (home.alex, {"amount": 0}),
        (home.robin, {"amount": 2000}),
    )
    body = post_expense(sam, home, expense(home.sam, 3000, split=split))
    assert shares(body) == [(home.sam, 1000), (home.alex, 0), (home.robin, 2000)]


def test_omitted_split_means_the_agreement_among_active_members(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    body = post_expense(sam, home, expense(home.alex, 1000))
    assert body["split"] == {"method": "agreement", "participants": []}
    assert shares(body) == [(home.sam, 334), (home.alex, 333), (home.robin, 333)]
    sam.patch(home.url(f"/members/{home.robin}"), json={"active": False})
    later = post_expense(sam, home, expense(home.alex, 1000))
    assert shares(later) == [(home.sam, 500), (home.alex, 500)]
    # Stored shares are history: the earlier expense still has Robin's part.
    assert shares(sam.get(home.url(f"/expenses/{body['id']}")).json()) == shares(body)


def test_several_payers_each_get_credit_for_what_they_paid(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    body = expense(home.sam, 3000, split=equal(*home.members))
    del body["paid_by"]
    body["payers"] = [
        {"member_id": home.sam, "amount": 2000},
        {"member_id": home.alex, "amount": 1000},
    ]
    created = post_expense(sam, home, body)
    assert payers(created) == [(home.sam, 2000), (home.alex, 1000)]
    assert created["paid_by"] is None
    assert nets(sam, home) == {home.sam: 1000, home.alex: 0, home.robin: -1000}


def test_a_refund_mirrors_the_split_of_the_expense(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    split = equal(home.sam, home.alex, home.robin)
    bought = post_expense(sam, home, expense(home.alex, 1000, split=split))
    refund = post_expense(sam, home, expense(home.alex, -1000, split=split))
    assert shares(refund) == [(m, -a) for m, a in shares(bought)]
    assert payers(refund) == [(home.alex, -1000)]
    assert set(nets(sam, home).values()) == {0}


def test_a_refund_with_several_payers_and_exact_amounts(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    body = expense(
        home.sam,
        -900,
        split=_split("exact", (home.sam, {"amount": -300}), (home.robin, {"amount": -600})),
    )
    del body["paid_by"]
    body["payers"] = [
        {"member_id": home.sam, "amount": -400},
        {"member_id": home.alex, "amount": -500},
    ]
    created = post_expense(sam, home, body)
    assert shares(created) == [(home.sam, -300), (home.robin, -600)]
    assert nets(sam, home) == {home.sam: -100, home.alex: -500, home.robin: 600}


def test_get_patch_and_delete_with_etags(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of_three(sam, alex)
    response = sam.post(home.url("/expenses"), json=expense(home.sam, 900, category="food"))
    created = response.json()
    url = home.url(f"/expenses/{created['id']}")
    assert response.headers["location"] == url and response.headers["etag"] == '"1"'
    got = alex.get(url)
    assert got.json() == created and got.headers["etag"] == '"1"'

    changed = alex.patch(
        url, json={"amount": 1200, "notes": "with wine"}, headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    body = changed.json()
    assert (body["amount"], body["notes"], body["category"]) == (1200, "with wine", "food")
    assert shares(body) == [(home.sam, 400), (home.alex, 400), (home.robin, 400)]
    assert body["updated_at"] is not None

    assert sam.delete(url, headers={"If-Match": '"2"'}).status_code == 204
    assert_problem(sam.get(url), 404)
    assert count(engine, ExpenseShare) == count(engine, ExpensePayer) == 0


def test_patch_can_switch_from_one_payer_to_several_and_change_the_split(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    created = post_expense(sam, home, expense(home.sam, 1000))
    url = home.url(f"/expenses/{created['id']}")
    several = [{"member_id": home.alex, "amount": 600}, {"member_id": home.robin, "amount": 400}]
    body = sam.patch(url, json={"payers": several, "split": equal(home.sam, home.alex)}).json()
    assert payers(body) == [(home.alex, 600), (home.robin, 400)]
    assert shares(body) == [(home.sam, 500), (home.alex, 500)]
    back = sam.patch(url, json={"paid_by": home.sam}).json()
    assert payers(back) == [(home.sam, 1000)] and shares(back) == shares(body)


def test_a_stale_if_match_is_412_and_changes_nothing(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    created = post_expense(sam, home, expense(home.sam, 900))
    url = home.url(f"/expenses/{created['id']}")
    assert sam.patch(url, json={"description": "Market"}).status_code == 200
    stale = {"If-Match": '"1"'}
    assert_problem(alex.patch(url, json={"amount": 5}, headers=stale), 412)
    assert_problem(alex.delete(url, headers=stale), 412)
    stored = fetch(engine, Expense, created["id"])
    assert (stored.amount, stored.description, stored.version) == (900, "Market", 2)
    assert shares(sam.get(url).json()) == shares(created)


def test_another_households_expense_is_404_everywhere(
    sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    created = post_expense(sam, home, expense(home.sam, 900))
    kim = new_user("Kim")
    theirs = kim.household()
    own_url = home.url(f"/expenses/{created['id']}")
    foreign = f"/v1/households/{theirs['id']}/expenses/{created['id']}"
    for response in (
        kim.get(own_url),
        kim.patch(own_url, json={"amount": 1}),
        kim.delete(own_url),
        kim.get(foreign),
        kim.patch(foreign, json={"amount": 1}),
        kim.delete(foreign),
        kim.post(home.url("/expenses"), json=expense(home.sam)),
        kim.get(home.url("/expenses")),
    ):
        assert_problem(response, 404)
    assert fetch(engine, Expense, created["id"]).amount == 900
    assert count(engine, Expense) == 1


def test_an_idempotency_key_replay_creates_one_expense(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    key = {"Idempotency-Key": "groceries-2026-03-01"}
    first = sam.post(home.url("/expenses"), json=expense(home.sam), headers=key)
    again = sam.post(home.url("/expenses"), json=expense(home.sam), headers=key)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotency-replayed"] == "true"
    assert count(engine, Expense) == 1 and count(engine, ExpenseShare) == 3
    other = sam.post(home.url("/expenses"), json=expense(home.sam, 1), headers=key)
    assert_problem(other, 422)
    assert count(engine, Expense) == 1
