"""Conventions every endpoint shares: problem+json errors and bad input that stores nothing.

Pagination, Idempotency-Key, ETags and household scoping have their own files:
test_pagination.py, test_idempotency.py, test_etags.py, test_household_scoping.py.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from domain.accounts.models import User
from domain.households.models import Household, Member
from domain.idempotency.models import IdempotencyRecord
from tests.api.conftest import PASSWORD, Caller, assert_problem, count

NEW_HOUSEHOLD = {"name": "Home", "currency": "EUR", "timezone": "Europe/Berlin"}
MIB = 1024 * 1024


def _sign_up(client: TestClient, **fields: Any) -> Any:
    body = {"email": "new@example.org", "password": PASSWORD, "display_name": "New", **fields}
    return client.post("/v1/users", json=body)


def test_unknown_route_is_a_404_problem(client: TestClient) -> None:
    for path in ("/nope", "/v1/nope", "/v1/households/x/nope"):
        problem = assert_problem(client.get(path), 404)
        assert problem["type"] == "urn:fairstead:problem:not-found"


def test_wrong_method_is_a_405_problem_with_allow(client: TestClient) -> None:
    response = client.delete("/v1/users")
    problem = assert_problem(response, 405)
    assert problem["type"] == "urn:fairstead:problem:method-not-allowed"
    assert "POST" in response.headers["allow"]


@pytest.mark.parametrize("body", [b"{bad", b'{"name": "Home",}', b"", b"[]", b'"Home"', b"null"])
def test_malformed_or_non_object_json_is_a_422_problem(
    sam: Caller, engine: Engine, body: bytes
) -> None:
    response = sam.post(
        "/v1/households", content=body, headers={"Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422)
    assert problem["errors"] and problem["errors"][0]["loc"][0] == "body"
    assert count(engine, Household) == 0


def test_validation_problem_lists_every_bad_field(sam: Caller) -> None:
    response = sam.post("/v1/households", json={"name": "", "currency": 1, "timezone": None})
    problem = assert_problem(response, 422)
    locs = {tuple(e["loc"]) for e in problem["errors"]}
    assert {("body", "name"), ("body", "currency"), ("body", "timezone")} <= locs
    assert all(e["msg"] for e in problem["errors"])


@pytest.mark.parametrize("amount", [12.5, 12.0, "12", True, None, 10**16])
def test_money_amount_must_be_an_integer_of_minor_units(
    sam: Caller, engine: Engine, amount: Any
) -> None:
    home = sam.household()
    response = sam.post(
        f"/v1/households/{home['id']}/members",
        json={"display_name": "Robin", "monthly_income": {"amount": amount, "currency": "EUR"}},
    )
    assert_problem(response, 422, field="monthly_income.amount")
    assert count(engine, Member) == 1


@pytest.mark.parametrize("minutes", [90.5, "90", False])
def test_integer_fields_reject_floats_strings_and_booleans_on_patch(
    sam: Caller, engine: Engine, minutes: Any
) -> None:
    home = sam.household()
    me = sam.get(f"/v1/households/{home['id']}/members").json()["data"][0]
    response = sam.patch(
        f"/v1/households/{home['id']}/members/{me['id']}",
        json={"weekly_available_minutes": minutes, "display_name": "Changed"},
    )
    assert_problem(response, 422, field="weekly_available_minutes")
    assert sam.get(f"/v1/households/{home['id']}/members/{me['id']}").json() == me


@pytest.mark.parametrize("field", ["role", "id", "user_id", "password_hash", "version"])
def test_sign_up_rejects_unknown_fields_and_stores_nothing(
    client: TestClient, engine: Engine, field: str
) -> None:
    assert_problem(_sign_up(client, **{field: "admin"}), 422, field=field)
    assert count(engine, User) == 0


@pytest.mark.parametrize("field", ["id", "version", "created_at", "role"])
def test_household_create_rejects_unknown_fields_and_stores_nothing(
    sam: Caller, engine: Engine, field: str
) -> None:
    response = sam.post(
        "/v1/households", json={**NEW_HOUSEHOLD, field: "0190a9c2-0000-7000-8000-000000000000"}
    )
    assert_problem(response, 422, field=field)
    assert count(engine, Household) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "x" * 101),
        ("display_name", ""),
        ("email", "a" * 310 + "@example.org"),
        ("email", "not-an-email"),
        ("password", "p" * 257),
        ("password", "short"),
    ],
)
def test_sign_up_rejects_bad_lengths_and_stores_nothing(
    client: TestClient, engine: Engine, field: str, value: str
) -> None:
    assert_problem(_sign_up(client, **{field: value}), 422, field=field)
    assert count(engine, User) == 0


def test_over_long_strings_elsewhere_are_422(sam: Caller, engine: Engine) -> None:
    assert_problem(
        sam.post("/v1/households", json={**NEW_HOUSEHOLD, "name": "x" * 101}), 422, field="name"
    )
    assert_problem(
        sam.post("/v1/households", json={**NEW_HOUSEHOLD, "timezone": "x" * 65}),
        422,
        field="timezone",
    )
    home = sam.household()
    members = f"/v1/households/{home['id']}/members"
    assert_problem(sam.post(members, json={"display_name": "x" * 101}), 422, field="display_name")
    me = sam.get(members).json()["data"][0]
    assert_problem(
        sam.patch(f"{members}/{me['id']}", json={"display_name": "x" * 101}),
        422,
        field="display_name",
    )
    assert_problem(sam.get(f"{members}/{'x' * 37}"), 422, field="member_id")
    assert count(engine, Household) == 1
    assert count(engine, Member) == 1


def test_body_over_one_mib_with_content_length_is_413(sam: Caller, engine: Engine) -> None:
    padding = "x" * MIB
    response = sam.post("/v1/households", json={**NEW_HOUSEHOLD, "name": padding})
    assert int(response.request.headers["content-length"]) > MIB
    problem = assert_problem(response, 413)
    assert problem["type"] == "urn:fairstead:problem:payload-too-large"
    assert count(engine, Household) == 0


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    yield b'{"name": "'
    for _ in range(total // size):
        yield b"x" * size
    yield b'", "currency": "EUR", "timezone": "Europe/Berlin"}'


@pytest.mark.parametrize("idempotency_key", [None, "stream-1"])
def test_body_over_one_mib_without_content_length_is_413(
    sam: Caller, engine: Engine, idempotency_key: str | None
) -> None:
    headers = {"Content-Type": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    response = sam.post("/v1/households", content=_chunks(MIB + 128 * 1024), headers=headers)
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    problem = assert_problem(response, 413)
    assert problem["type"] == "urn:fairstead:problem:payload-too-large"
    assert count(engine, Household) == 0
    assert count(engine, IdempotencyRecord) == 0


def test_streamed_body_under_the_limit_is_accepted(sam: Caller, engine: Engine) -> None:
    response = sam.post(
        "/v1/households",
        content=iter([b'{"name": "Home", ', b'"currency": "EUR", "timezone": "UTC"}']),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert count(engine, Household) == 1


def test_errors_never_leak_internals(client: TestClient, sam: Caller) -> None:
    for response in (
        client.get("/v1/households", headers={"Authorization": "Bearer x"}),
        sam.get("/v1/households/does-not-exist"),
        sam.post("/v1/households", content=b"{", headers={"Content-Type": "application/json"}),
    ):
        text = response.text
        assert "Traceback" not in text and "sqlalchemy" not in text.lower()
        assert set(response.json()) <= {"type", "title", "status", "detail", "errors"}
