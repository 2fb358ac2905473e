"""Income history: dated monthly incomes, private by default, and income-proportional
splits that use the income in force on each expense's date."""

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from domain.households.income_models import MemberIncome
from tests.api.conftest import Caller, assert_problem, count
from tests.api.fairness_builders import END_OF_MARCH, Couple, agree, couple, spend


def _income(amount: int, effective_from: str, **fields: Any) -> dict[str, Any]:
    return {"amount": amount, "currency": "EUR", "effective_from": effective_from, **fields}


def _record(home: Couple, member_id: str, amount: int, effective_from: str) -> dict[str, Any]:
    response = home.caller(member_id).post(
        home.url(f"/members/{member_id}/incomes"), json=_income(amount, effective_from)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _monthly(home: Couple, member_id: str) -> Any:
    member = home.caller(member_id).get(home.url(f"/members/{member_id}")).json()
    return member["monthly_income"]


def test_the_member_follows_the_income_in_force_today(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)  # today is 28 February 2026
    _record(home, home.sam, 300_000, "2026-01-01")
    assert _monthly(home, home.sam) == {"amount": 300_000, "currency": "EUR"}
    _record(home, home.sam, 350_000, "2026-04-01")  # a raise from April
    assert _monthly(home, home.sam)["amount"] == 300_000
    home.clock.set(END_OF_MARCH)
    listed = sam.get(home.url(f"/members/{home.sam}/incomes")).json()["data"]
    assert [(i["amount"], i["effective_from"]) for i in listed] == [
        (350_000, "2026-04-01"),
        (300_000, "2026-01-01"),
    ]


def test_income_splits_use_the_income_in_force_on_the_expense_date(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex, incomes=(300_000, 100_000))
    _record(home, home.sam, 300_000, "2026-01-01")
    _record(home, home.alex, 100_000, "2026-01-01")
    _record(home, home.alex, 300_000, "2026-03-01")
    agree(home, {"money": {"target": "income"}})
    february = spend(home, home.sam, 40_000, "2026-02-28")  # the agreement starts today
    march = spend(home, home.sam, 40_000, "2026-03-10")
    assert [s["amount"] for s in february["shares"]] == [30_000, 10_000]
    assert [s["amount"] for s in march["shares"]] == [20_000, 20_000]


def test_a_private_income_history_is_only_its_members(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)
    _record(home, home.alex, 200_000, "2026-01-01")
    assert_problem(sam.get(home.url(f"/members/{home.alex}/incomes")), 403)
    assert _monthly(home, home.alex)["amount"] == 200_000
    assert sam.get(home.url(f"/members/{home.alex}")).json()["monthly_income"] is None
    shared = alex.patch(home.url(f"/members/{home.alex}"), json={"income_visibility": "household"})
    assert shared.status_code == 200, shared.text
    assert sam.get(home.url(f"/members/{home.alex}/incomes")).status_code == 200


def test_setting_monthly_income_on_the_member_records_it_from_today(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = couple(app, sam, alex, incomes=(250_000, None))
    listed = sam.get(home.url(f"/members/{home.sam}/incomes")).json()["data"]
    assert [(i["amount"], i["effective_from"]) for i in listed] == [(250_000, "2026-02-28")]
    again = sam.patch(home.url(f"/members/{home.sam}"), json={"monthly_income": None})
    assert again.status_code == 200
    assert count(engine, MemberIncome, MemberIncome.member_id == home.sam) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_income(-1, "2026-01-01"), "amount"),
        (_income(10.5, "2026-01-01"), "amount"),  # type: ignore[arg-type]
        (_income(10**16, "2026-01-01"), "amount"),
        (_income(100, "2027-03-01"), "effective_from"),
        (_income(100, "2026-13-01"), "effective_from"),
        (_income(100, "2026-01-01", currency="EURO"), "currency"),
        (_income(100, "2026-01-01", member_id="x"), "member_id"),
        ({"amount": 100, "currency": "EUR"}, "effective_from"),
    ],
)
def test_bad_incomes_are_422_and_store_nothing(
    app: FastAPI,
    sam: Caller,
    alex: Caller,
    engine: Engine,
    body: dict[str, Any],
    field: str,
) -> None:
    home = couple(app, sam, alex)
    response = sam.post(home.url(f"/members/{home.sam}/incomes"), json=body)
    assert_problem(response, 422, field=field)
    assert count(engine, MemberIncome) == 0


def test_a_second_income_on_the_same_day_is_409(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = couple(app, sam, alex)
    _record(home, home.sam, 100, "2026-01-01")
    again = sam.post(home.url(f"/members/{home.sam}/incomes"), json=_income(200, "2026-01-01"))
    assert_problem(again, 409)
    assert count(engine, MemberIncome) == 1


def test_only_an_admin_records_someone_elses_income_and_never_across_households(
    app: FastAPI, sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    home = couple(app, sam, alex)
    url = home.url(f"/members/{home.sam}/incomes")
    assert_problem(alex.post(url, json=_income(100, "2026-01-01")), 403)
    stranger = new_user("Kim")
    stranger.household()
    assert_problem(stranger.post(url, json=_income(100, "2026-01-01")), 404)
    assert_problem(stranger.get(url), 404)
    other = f"/v1/households/{home.id}/members/not-a-member/incomes"
    assert_problem(sam.post(other, json=_income(100, "2026-01-01")), 404)
    assert count(engine, MemberIncome) == 0
