"""Every bad input the issue lists gets problem+json naming the field, and nothing is
stored or applied. Cases share one household per test: each request is independent."""

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from domain.agreement.models import AgreementVersion
from domain.fairness.models import CheckIn, Proposal, ProposalResponse
from tests.api.conftest import Caller, assert_problem, count
from tests.api.fairness_builders import (
    END_OF_MARCH,
    Couple,
    couple,
    log_time,
    propose,
    respond,
    spend,
)


def _rows(engine: Engine) -> tuple[int, int, int, int]:
    return (
        count(engine, AgreementVersion),
        count(engine, Proposal),
        count(engine, ProposalResponse),
        count(engine, CheckIn),
    )


def test_bad_agreements_are_refused_and_nothing_changes(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = couple(app, sam, alex, incomes=(300_000, None))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"money": {"target": "custom", "weights": {home.sam: -1, home.alex: 2}}}, "money.weights"),
        ({"money": {"target": "custom", "weights": {home.sam: 0, home.alex: 0}}}, "money.weights"),
        ({"money": {"target": "custom"}}, "money.weights"),
        ({"time": {"target": "custom", "weights": {"someone-else": 1}}}, "time.weights"),
        ({"money": {"target": "income"}}, "money.target"),
        ({"time": {"target": "capacity"}}, "time.target"),
        ({"weights": {"effort": {"3": 0.05}}}, "weights.effort.3"),
        ({"weights": {"load": {"conception": 11}}}, "weights.load.conception"),
        ({"weights": {"effort": {"6": 2}}}, "weights.effort.6"),
        ({"tolerance": 1}, "tolerance"),
        ({"hour_value": {"amount": 1500, "currency": "USD"}}, "hour_value.currency"),
        ({"hour_value": {"amount": 0, "currency": "EUR"}}, "hour_value"),
        ({"period": "fortnight"}, "period"),
        ({"version": 7}, "version"),
    ]
    before = _rows(engine)
    for body, field in cases:
        response = sam.put(home.url("/agreement"), json=body)
        assert_problem(response, 422, field=field)
    assert _rows(engine) == before


def test_bad_periods_are_refused_for_reports_and_proposals(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = couple(app, sam, alex)
    backwards = {"from": "2026-03-31", "to": "2026-03-01"}
    too_long = {"from": "2020-01-01", "to": "2025-01-01"}
    for period in (backwards, too_long):
        assert_problem(sam.get(home.url("/fairness/report"), params=period), 422, field="to")
        assert_problem(sam.post(home.url("/fairness/proposals"), json=period), 422, field="to")
    exactly_five_years = {"from": "2020-01-01", "to": "2024-12-31"}
    assert sam.get(home.url("/fairness/report"), params=exactly_five_years).status_code == 200
    assert_problem(sam.post(home.url("/fairness/proposals"), json={"from": "2026-03-01"}), 422)
    assert _rows(engine) == (0, 0, 0, 0)


def _with_a_settle_up(app: FastAPI, sam: Caller, alex: Caller) -> tuple[Couple, str, str]:
    """Sam, Alex and Robin (managed); only Sam and Alex have balances."""
    home = couple(app, sam, alex)
    robin = sam.member(home.id, display_name="Robin")["id"]
    home.clock.set(END_OF_MARCH)
    spend(home, home.sam, 10_000, "2026-03-02", split={
        "method": "equal", "participants": [{"member_id": home.sam}, {"member_id": home.alex}],
    })  # fmt: skip
    log_time(home, home.sam, 60, "2026-03-02")
    settle = propose(home)["settle_up"]
    assert set(settle["affected_member_ids"]) == {home.sam, home.alex}
    return home, settle["id"], robin


def test_bad_responses_are_refused_and_nothing_is_applied(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, proposal_id, robin = _with_a_settle_up(app, sam, alex)
    url = home.url(f"/fairness/proposals/{proposal_id}/responses")
    before = _rows(engine)
    # Robin is not affected (an admin may answer for a managed member, but not here).
    assert_problem(sam.put(f"{url}/{robin}", json={"response": "accept"}), 422, field="member_id")
    # Alex cannot answer for Sam, nor for Robin.
    assert_problem(alex.put(f"{url}/{home.sam}", json={"response": "accept"}), 403)
    assert_problem(alex.put(f"{url}/{robin}", json={"response": "accept"}), 403)
    assert_problem(sam.put(f"{url}/{home.sam}", json={"response": "maybe"}), 422, field="response")
    assert_problem(
        sam.put(f"{url}/{home.sam}", json={"response": "accept", "member_id": home.alex}), 422
    )
    assert_problem(sam.put(f"{url}/not-a-member", json={"response": "accept"}), 404)
    stale_etag = sam.put(
        f"{url}/{home.sam}", json={"response": "accept"}, headers={"If-Match": '"99"'}
    )
    assert_problem(stale_etag, 412)
    assert _rows(engine) == before

    respond(home, proposal_id, home.alex, "reject")
    closed = _rows(engine)
    assert_problem(sam.put(f"{url}/{home.sam}", json={"response": "accept"}), 409)
    assert _rows(engine) == closed


def test_bad_check_ins_are_refused_and_nothing_is_stored(
    app: FastAPI, sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    home = couple(app, sam, alex)
    stranger = new_user("Kim")
    elsewhere = stranger.household()
    stranger_member = stranger.get(f"/v1/households/{elsewhere['id']}/members").json()["data"][0]
    url = home.url("/check-ins")
    good = {"member_id": home.alex, "fairness": 3, "heard": 3}
    cases: list[tuple[Caller, dict[str, Any], int, str | None]] = [
        (alex, {**good, "fairness": 0}, 422, "fairness"),
        (alex, {**good, "fairness": 6}, 422, "fairness"),
        (alex, {**good, "heard": 6}, 422, "heard"),
        (alex, {**good, "heard": "5"}, 422, "heard"),
        (alex, {**good, "fairness": 4.5}, 422, "fairness"),
        (alex, {**good, "mood": "great"}, 422, "mood"),
        (alex, {**good, "member_id": stranger_member["id"]}, 422, "member_id"),
        (alex, {**good, "member_id": home.sam}, 403, None),
        (sam, good, 403, None),  # an admin answers only for members without an account
    ]
    for caller, body, status, field in cases:
        assert_problem(caller.post(url, json=body), status, field=field)
    assert count(engine, CheckIn) == 0
