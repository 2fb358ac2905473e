"""A couple with three months of money and time, for the fairness chart's tests."""

from typing import Any

from fastapi import FastAPI

from tests.api.chores_builders import freeze
from tests.api.conftest import Caller
from tests.api.fairness_builders import END_OF_MARCH, Couple, couple

FIRST_QUARTER = {"from": "2026-01-01", "to": "2026-03-31"}
# Per month: (what Sam pays, what Alex pays) in cents, (Sam's minutes, Alex's minutes).
MONTHS = {
    "2026-01-10": ((30_000, 10_000), (60, 240)),
    "2026-02-10": ((20_000, 20_000), (120, 180)),
    "2026-03-10": ((12_000, 10_000), (150, 150)),
}


def _post(caller: Caller, url: str, body: dict[str, Any]) -> None:
    response = caller.post(url, json=body)
    assert response.status_code == 201, response.text


def quarter(app: FastAPI, sam: Caller, alex: Caller) -> Couple:
    """Money evens out over the quarter while Alex does most of the chores at first."""
    home = couple(app, sam, alex)
    freeze(app, END_OF_MARCH)
    for day, (paid, minutes) in MONTHS.items():
        for member_id, amount, spent in zip((home.sam, home.alex), paid, minutes, strict=True):
            expense = {
                "description": "Groceries",
                "amount": amount,
                "currency": "EUR",
                "paid_by": member_id,
                "date": day,
            }
            _post(sam, home.url("expenses"), expense)
            entry = {"member_id": member_id, "minutes": spent, "date": day, "load": "execution"}
            _post(home.caller(member_id), home.url("time-entries"), entry)
    return home
