"""Scores are 0-100 by contract, in every report, summary and proposal, and a settle-up
proposal is scored on the basis its transfers are computed on: the whole ledger."""

from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.chores_builders import freeze
from tests.api.conftest import Caller, sign_up

MID_OCTOBER = datetime(2026, 10, 15, 10, 0, tzinfo=UTC)
END_OF_MARCH = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)
DAYS = [f"2026-03-{day:02d}" for day in range(1, 32)]


def _home(caller: Caller, size: int) -> tuple[str, list[str]]:
    household_id = caller.household()["id"]
    url = f"/v1/households/{household_id}"
    members = [caller.get(f"{url}/members").json()["data"][0]["id"]]
    members += [caller.member(household_id, display_name=f"M{i}")["id"] for i in range(1, size)]
    return url, members


def _expense(members: list[str], paid_by: str, amount: int, day: str) -> dict[str, Any]:
    return {
        "description": "Shared",
        "amount": amount,
        "currency": "EUR",
        "paid_by": paid_by,
        "date": day,
        "split": {"method": "equal", "participants": [{"member_id": m} for m in members]},
    }


def _scores(caller: Caller, url: str, period: dict[str, str]) -> list[Any]:
    report = caller.get(f"{url}/fairness/report", params=period)
    assert report.status_code == 200, report.text
    body = report.json()
    found = [body["overall_score"]]
    found += [body["dimensions"][name]["score"] for name in ("money", "time")]
    summary = caller.get(f"{url}/fairness/summary")
    assert summary.status_code == 200, summary.text
    found += [summary.json()[name] for name in ("overall_score", "money_score", "time_score")]
    proposals = caller.post(f"{url}/fairness/proposals", json=period)
    assert proposals.status_code in (200, 201), proposals.text
    for proposal in proposals.json()["data"]:
        found += list(proposal["expected"].values())
    return found


def test_a_settle_up_for_a_period_is_scored_over_the_whole_ledger(
    app: FastAPI, sam: Caller
) -> None:
    freeze(app, MID_OCTOBER)
    url, (a, b, c) = _home(sam, 3)
    for month in range(1, 10):
        rent = _expense([a, b, c], a, 150_000, f"2026-{month:02d}-01")
        assert sam.post(f"{url}/expenses", json=rent).status_code == 201
    food = _expense([a, b, c], b, 30_000, "2026-10-01")
    assert sam.post(f"{url}/expenses", json=food).status_code == 201
    answer = sam.post(f"{url}/fairness/proposals", json={"from": "2026-10-01", "to": "2026-10-15"})
    assert answer.status_code in (200, 201), answer.text
    [settle] = [p for p in answer.json()["data"] if p["kind"] == "settle_up"]
    assert settle["expected"]["money_score"] == 100
    assert 0 <= settle["expected"]["overall_score"] <= 100
    assert "whole ledger, not this period alone" in settle["rationale"]
    assert "M1 pays" in settle["rationale"] and "4300.00" in settle["rationale"]


@st.composite
def _step(draw: st.DrawFn, members: list[str]) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(["expense", "refund", "settlement", "time"]))
    day = draw(st.sampled_from(DAYS))
    if kind == "settlement":
        payer, payee = draw(st.permutations(members))[:2]
        amount = draw(st.integers(1, 500_000))
        body = {"from_member_id": payer, "to_member_id": payee, "amount": amount,
                "currency": "EUR", "date": day}  # fmt: skip
        return "/settlements", body
    if kind == "time":
        body = {"member_id": draw(st.sampled_from(members)), "minutes": draw(st.integers(1, 600)),
                "date": day, "load": "execution"}  # fmt: skip
        return "/time-entries", body
    chosen = draw(st.lists(st.sampled_from(members), min_size=1, unique=True))
    amount = draw(st.integers(1, 500_000)) * (-1 if kind == "refund" else 1)
    return "/expenses", _expense(chosen, draw(st.sampled_from(members)), amount, day)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), size=st.integers(2, 4))
def test_every_score_stays_within_0_and_100(
    app: FastAPI, client: TestClient, data: st.DataObject, size: int
) -> None:
    freeze(app, END_OF_MARCH)
    caller = sign_up(client, "Sam")
    url, members = _home(caller, size)
    for _ in range(data.draw(st.integers(1, 8), label="steps")):
        path, body = data.draw(_step(members))
        response = caller.post(url + path, json=body)
        assert response.status_code in (201, 422), (body, response.text)
    first, last = sorted(data.draw(st.lists(st.sampled_from(DAYS), min_size=2, max_size=2)))
    for value in _scores(caller, url, {"from": first, "to": last}):
        assert value is None or 0 <= value <= 100, value
