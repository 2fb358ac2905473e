"""An app per test, a client through the ASGI app, and builders for users and households."""

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from api.app import create_app
from domain.settings import Settings

_emails = itertools.count()
# Webhooks and connections keep their secrets sealed with it (FAIRSTEAD_SECRET_KEY).
TEST_SECRET_KEY = "a-test-secret-key-of-some-length"


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Webhook tests drive delivery themselves, with their own clock. The rate limiter runs
    # (tests/api/test_rate_limits.py gives it low limits), but no ordinary test reaches it.
    return Settings(
        database_url=database_url,
        db_pool_size=20,
        deliver_in_process=False,
        secret_key=TEST_SECRET_KEY,
        rate_limit_per_token=10**9,
        rate_limit_per_ip=10**9,
        login_failures_per_account=10**6,
        login_failures_per_account_total=10**6,
        login_failures_per_ip=10**6,
    )


@pytest.fixture
def app(settings: Settings, engine: Engine) -> FastAPI:
    return create_app(settings, engine=engine)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@dataclass
class Caller:
    """A signed-up user with a token: `caller.get(...)` sends the token."""

    client: TestClient
    token: str
    user_id: str
    email: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Any:
        return self.request("PATCH", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Any:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.request("DELETE", url, **kwargs)

    def household(self, name: str = "Home", currency: str = "EUR") -> dict[str, Any]:
        response = self.post(
            "/v1/households", json={"name": name, "currency": currency, "timezone": "Europe/Berlin"}
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def member(self, household_id: str, **fields: Any) -> dict[str, Any]:
        response = self.post(
            f"/v1/households/{household_id}/members", json={"display_name": "Kid", **fields}
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


PASSWORD = "correct horse battery"


def sign_up(client: TestClient, name: str = "Sam", **token_fields: Any) -> Caller:
    email = f"{name.lower()}{next(_emails)}@example.org"
    created = client.post(
        "/v1/users", json={"email": email, "password": PASSWORD, "display_name": name}
    )
    assert created.status_code == 201, created.text
    token = client.post(
        "/v1/tokens", json={"email": email, "password": PASSWORD, "name": "test", **token_fields}
    )
    assert token.status_code == 201, token.text
    return Caller(client, token.json()["token"], created.json()["id"], email)


@pytest.fixture
def new_user(client: TestClient) -> Callable[..., Caller]:
    return lambda name="Sam", **fields: sign_up(client, name, **fields)


@pytest.fixture
def sam(new_user: Callable[..., Caller]) -> Caller:
    return new_user("Sam")


@pytest.fixture
def alex(new_user: Callable[..., Caller]) -> Caller:
    return new_user("Alex")


def assert_problem(response: Any, status: int, *, field: str | None = None) -> dict[str, Any]:
    """Every error is RFC 9457 problem+json; on 422, the bad field is named."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:fairstead:problem:")
    assert body["title"] and body["detail"]
    assert "Traceback" not in response.text
    if field is not None:
        locs = [".".join(str(p) for p in e["loc"]) for e in body["errors"]]
        assert any(field in loc for loc in locs), locs
    return body


def join(admin: Caller, user: Caller, household_id: str, **invitation: Any) -> dict[str, Any]:
    """`user` joins `admin`'s household by invitation; returns the new member."""
    created = admin.post(f"/v1/households/{household_id}/invitations", json=invitation)
    assert created.status_code == 201, created.text
    accepted = user.post(f"/v1/invitations/{created.json()['code']}/accept", json={})
    assert accepted.status_code == 200, accepted.text
    body: dict[str, Any] = accepted.json()
    return body


def count(engine: Engine, model: Any, *where: Any) -> int:
    """Rows of `model` in the database, read past the API."""
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def fetch(engine: Engine, model: Any, id: str) -> Any:
    """One row, read past the API (None when it is gone)."""
    with Session(engine) as session:
        return session.get(model, id)
