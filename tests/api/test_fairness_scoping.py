"""Another household's fairness is 404 everywhere, and a read-only token changes nothing."""

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from domain.agreement.models import AgreementVersion
from domain.fairness.models import CheckIn, Proposal
from tests.api.conftest import PASSWORD, Caller, assert_problem, count
from tests.api.fairness_builders import MARCH, couple

NOWHERE = "0190a9c2-0000-7000-8000-000000000000"


def test_another_households_fairness_paths_are_404_and_change_nothing(
    app: FastAPI, sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    home = couple(app, sam, alex)
    kim = new_user("Kim")
    kim.household()
    proposal = sam.put(home.url("/agreement"), json={"period": "week"}).json()["id"]
    paths: list[tuple[str, str, Any]] = [
        ("GET", "/agreement", None),
        ("PUT", "/agreement", {}),
        ("GET", "/fairness/report", None),
        ("GET", "/fairness/summary", None),
        ("POST", "/fairness/proposals", MARCH),
        ("GET", "/fairness/proposals", None),
        ("GET", f"/fairness/proposals/{proposal}", None),
        ("PUT", f"/fairness/proposals/{proposal}/responses/{home.alex}", {"response": "accept"}),
        ("GET", "/check-ins", None),
        ("POST", "/check-ins", {"member_id": home.alex, "fairness": 3, "heard": 3}),
    ]
    before = (count(engine, AgreementVersion), count(engine, Proposal), count(engine, CheckIn))
    for method, path, body in paths:
        theirs = kim.request(method, f"/v1/households/{home.id}{path}", json=body)
        never = kim.request(method, f"/v1/households/{NOWHERE}{path}", json=body)
        assert assert_problem(theirs, 404) == assert_problem(never, 404), path
    assert (count(engine, AgreementVersion), count(engine, Proposal), count(engine, CheckIn)) == (
        before
    )


def test_a_read_only_token_reads_the_report_but_changes_nothing(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = couple(app, sam, alex)
    token = alex.client.post(
        "/v1/tokens",
        json={"email": alex.email, "password": PASSWORD, "name": "dashboard", "scopes": ["read"]},
    )
    assert token.status_code == 201, token.text
    reader = Caller(alex.client, token.json()["token"], alex.user_id, alex.email)
    assert reader.get(home.url("/fairness/report"), params=MARCH).status_code == 200
    assert_problem(reader.put(home.url("/agreement"), json={}), 403)
    assert_problem(reader.post(home.url("/fairness/proposals"), json=MARCH), 403)
    assert count(engine, Proposal) == 0
