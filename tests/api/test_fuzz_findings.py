"""What schemathesis found, pinned down one by one so it cannot come back."""

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from domain.households.models import Household, Member
from domain.settings import Settings
from tests.api.conftest import Caller, assert_problem, count
from tests.api.tenant_world import world_settings


@pytest.fixture
def settings(database_url: str) -> Settings:
    return world_settings(database_url)


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/v1/users", "POST"),
        ("/v1/households", "GET, POST"),
        ("/v1/households/x/members/y", "GET, PATCH, DELETE"),
        ("/v1/households/x/chores/stats", "GET"),
    ],
)
def test_a_405_allows_every_method_of_the_path_not_just_the_first_routes(
    client: TestClient, path: str, allow: str
) -> None:
    response = client.request("OPTIONS", path)
    assert_problem(response, 405)
    assert response.headers["allow"] == allow


def test_dates_are_text_never_unix_times(sam: Caller) -> None:
    home = sam.household()
    members = sam.get(f"/v1/households/{home['id']}/members").json()["data"]
    url = f"/v1/households/{home['id']}/members/{members[0]['id']}/absences"
    assert_problem(sam.post(url, json={"from": 0, "to": "2026-01-01"}), 422, field="from")
    assert_problem(sam.post(url, json={"from": "0", "to": "2026-01-01"}), 422, field="from")
    assert_problem(sam.get(f"/v1/households/{home['id']}/expenses?to=0"), 422, field="to")
    assert sam.get(f"/v1/households/{home['id']}/expenses?to=2026-01-01").status_code == 200


def test_times_are_rfc_3339_text(sam: Caller) -> None:
    home = sam.household()
    body = {"title": "Paint", "method": "majority", "options": ["Red", "Blue"], "ballot": "open"}
    url = f"/v1/households/{home['id']}/decisions"
    assert_problem(sam.post(url, json={**body, "closes_at": 1900000000}), 422, field="closes_at")
    later = {**body, "closes_at": "2036-03-01T18:30:00+01:00"}
    assert sam.post(url, json=later).status_code == 201


def test_patch_bodies_offer_null_only_where_it_clears(app: FastAPI) -> None:
    fields: dict[str, Any] = app.openapi()["components"]["schemas"]["ExpenseUpdate"]["properties"]
    assert fields["description"]["type"] == "string"
    assert {"type": "null"} in fields["notes"]["anyOf"]


def test_a_non_ascii_digit_in_a_field_path_is_a_422_not_a_500(sam: Caller) -> None:
    home = sam.household()
    body = {"provider": "splitwise", "credentials": {"³": "x"}, "config": {}}
    response = sam.post(f"/v1/households/{home['id']}/connections", json=body)
    assert_problem(response, 422, field="credentials.³")


def test_a_body_that_is_not_utf_8_is_a_declared_400(app: FastAPI, sam: Caller) -> None:
    response = sam.post(
        "/v1/households", content=b"\xff\xfe{", headers={"content-type": "application/json"}
    )
    assert_problem(response, 400)
    assert "400" in app.openapi()["paths"]["/v1/households"]["post"]["responses"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_json_body_in_utf_16_or_32_is_400(sam: Caller, engine: Engine, encoding: str) -> None:
    body = json.dumps({"name": "Home", "currency": "EUR", "timezone": "UTC"}).encode(encoding)
    response = sam.post(
        "/v1/households", content=body, headers={"content-type": "application/json"}
    )
    assert "UTF-8" in assert_problem(response, 400)["detail"]
    assert count(engine, Household) == 0


def test_a_key_twice_in_one_json_object_is_400(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    body = b'{"display_name": "Robin", "role": "member", "role": "admin"}'
    response = sam.post(
        f"/v1/households/{home['id']}/members",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert "'role' appears twice" in assert_problem(response, 400)["detail"]
    nested = b'{"name": "H", "currency": "EUR", "timezone": "UTC", "x": {"a": 1, "a": 2}}'
    response = sam.post(
        "/v1/households", content=nested, headers={"content-type": "application/json"}
    )
    assert_problem(response, 400)
    assert count(engine, Member) == 1


def test_text_with_a_nul_character_is_a_422_on_every_backend(sam: Caller) -> None:
    body = {"name": "a\u0000b", "currency": "EUR", "timezone": "UTC"}
    assert_problem(sam.post("/v1/households", json=body), 422, field="name")
    home = sam.household()
    url = f"/v1/households/{home['id']}"
    assert_problem(sam.get(f"{url}/expenses", params={"category": "a\x00b"}), 422, field="category")
    assert_problem(sam.get(f"{url}/expenses/a%00b"), 422, field="expense_id")
    nested = {"provider": "splitwise", "credentials": {"api_key": "k\u0000"}, "config": {}}
    assert_problem(sam.post(f"{url}/connections", json=nested), 422, field="credentials")
    upload = sam.post(
        f"{url}/imports",
        files={"file": ("s.qif", b"!Type:Bank\n", "application/octet-stream")},
        data={"currency": "EUR", "account": "a\x00b"},
    )
    assert_problem(upload, 422, field="account")


def test_the_headers_the_api_reads_are_in_the_document(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    create = paths["/v1/households/{household_id}/expenses"]["post"]
    change = paths["/v1/households/{household_id}/expenses/{expense_id}"]["patch"]
    login = paths["/v1/tokens"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    assert "409" in create["responses"]
    assert "If-Match" in [p["name"] for p in change["parameters"]]
    # A new token is never stored for replay, so the key means nothing there.
    assert "Idempotency-Key" not in [p["name"] for p in login.get("parameters", [])]


def test_booleans_are_true_or_false_not_numbers(sam: Caller) -> None:
    home = sam.household()
    body = {"url": "https://example.org/hook", "events": ["expense.created"], "enabled": 0}
    response = sam.post(f"/v1/households/{home['id']}/webhooks", json=body)
    assert_problem(response, 422, field="enabled")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/chores/stats?to=0001-01-01", None),
        ("/fairness/report?from=9999-12-01&to=9999-12-31", None),
        ("/decisions/stats?from=0001-01-01&to=9999-12-31", None),
        ("/fairness/proposals", {"from": "0001-01-01", "to": "0001-01-31"}),
        (
            "/decisions",
            {"title": "t", "method": "majority", "options": ["a", "b"], "ballot": "open",
             "closes_at": "9999-12-31T23:59:59-14:00"},
        ),
    ],
)  # fmt: skip
def test_dates_off_the_households_calendar_are_422_not_an_overflow(
    sam: Caller, path: str, body: Any
) -> None:
    home = sam.household()
    method = "GET" if body is None else "POST"
    response = sam.request(method, f"/v1/households/{home['id']}{path}", json=body)
    assert "dates run from 1900-01-01 to 2999-12-31" in assert_problem(response, 422)["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/chores/stats?to=1900-01-01",
        "/fairness/report?from=2999-12-01&to=2999-12-31",
        "/fairness/report?from=1900-01-01&to=1900-01-31",
        "/decisions/stats?from=1900-01-01&to=2999-12-31",
    ],
)
def test_the_first_and_last_days_of_the_calendar_work(sam: Caller, path: str) -> None:
    home = sam.household()
    response = sam.get(f"/v1/households/{home['id']}{path}")
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "period",
    [{"from": "1900-01-01", "to": "1900-01-31"}, {"from": "2999-12-01", "to": "2999-12-31"}],
)
def test_proposals_for_the_first_and_last_months_of_the_calendar_work(
    sam: Caller, period: dict[str, str]
) -> None:
    home = sam.household()
    response = sam.post(f"/v1/households/{home['id']}/fairness/proposals", json=period)
    assert response.status_code == 201, response.text


def test_an_imported_row_dated_off_the_calendar_fails_alone(sam: Caller) -> None:
    home = sam.household()
    rows = b"!Type:Bank\nD9999-12-31\nT-1.00\nPFar\n^\nD2026-01-05\nT-2.00\nPNear\n^\n"
    response = sam.post(
        f"/v1/households/{home['id']}/imports",
        files={"file": ("a.qif", rows, "application/octet-stream")},
        data={"currency": "EUR"},
    )
    assert response.status_code == 201, response.text
    run = response.json()
    assert run["counts"]["read"] == 2
    assert run["counts"]["failed"] == 1
    assert "is not from 1900-01-01 to 2999-12-31" in json.dumps(run["errors"])
