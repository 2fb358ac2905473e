"""Errors say what the client can act on and nothing internal: no stack trace, no SQL, no
table names, no values, whatever failed underneath. The failures are real ones (a broken
query, a unique constraint, a bug), raised from routes this test adds to the app."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.deps import DbSession
from domain.accounts.models import User
from tests.api.conftest import assert_problem

INTERNALS = ("Traceback", "SELECT", "INSERT", "no_such_table", "users", "sqlite", "psycopg")


@pytest.fixture
def failing(app: FastAPI) -> FastAPI:
    def broken_query(session: DbSession) -> None:
        session.execute(text("SELECT hidden_column FROM no_such_table"))

    def duplicate_user(session: DbSession) -> None:
        for _ in range(2):
            session.add(User(email="dup@example.org", display_name="D", password_hash="x"))
            session.flush()

    def bug() -> None:
        raise RuntimeError("users.password_hash = 'secret' SELECT * FROM users")

    app.add_api_route("/test/broken-query", broken_query, methods=["POST"])
    app.add_api_route("/test/duplicate", duplicate_user, methods=["POST"])
    app.add_api_route("/test/bug", bug, methods=["POST"])
    return app


def assert_nothing_internal(response: Any, status: int) -> None:
    problem = assert_problem(response, status)
    for word in INTERNALS:
        assert word not in response.text, (word, problem)
    assert "secret" not in response.text and "dup@example.org" not in response.text


def test_a_broken_query_says_nothing_of_the_sql(failing: FastAPI, client: TestClient) -> None:
    response = client.post("/test/broken-query")
    # SQLite calls it an OperationalError (503), PostgreSQL a ProgrammingError (500).
    assert_nothing_internal(response, response.status_code)
    assert response.status_code in (500, 503)


def test_a_unique_violation_is_409_without_the_constraint_or_values(
    failing: FastAPI, client: TestClient
) -> None:
    assert_nothing_internal(client.post("/test/duplicate"), 409)


def test_an_unexpected_exception_is_a_plain_500(failing: FastAPI, client: TestClient) -> None:
    response = client.post("/test/bug")
    assert_nothing_internal(response, 500)
    assert response.json()["detail"] == "something went wrong on our side"
