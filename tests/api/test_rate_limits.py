"""Rate limits per token and per client address, on the database and on Redis, through the
real middleware with low limits: 429 problems with Retry-After, counts shared by several
instances, a new window starting afresh, and nothing done by a refused request."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.ratelimit import SQLITE_WRITE_EVERY
from domain.households.models import Household
from domain.settings import Settings
from tests.api.conftest import Caller, assert_problem, count, sign_up
from tests.api.limits_builders import STORES, Clock, limited_app

WINDOW = 60


@pytest.fixture
def clock() -> Clock:
    return Clock()


@contextmanager
def client_for(
    store: str, database_url: str, engine: Engine, clock: Clock, address: str = "198.51.100.7"
) -> Iterator[TestClient]:
    app = limited_app(
        store,
        database_url,
        engine,
        clock,
        rate_limit_per_token=5,
        rate_limit_per_ip=12,
        rate_limit_window_seconds=WINDOW,
    )
    with TestClient(app, raise_server_exceptions=False, client=(address, 50000)) as client:
        yield client


@pytest.fixture
def client(store: str, database_url: str, engine: Engine, clock: Clock) -> Iterator[TestClient]:
    with client_for(store, database_url, engine, clock) as client:
        yield client


def assert_too_many(response: object, retry_after: int) -> None:
    problem = assert_problem(response, 429)
    assert problem["type"] == "urn:fairstead:problem:too-many-requests"
    assert response.headers["Retry-After"] == str(retry_after)  # type: ignore[attr-defined]


@STORES
def test_a_token_over_its_limit_gets_429_with_retry_after(client: TestClient, clock: Clock) -> None:
    sam = sign_up(client, "Sam")  # sign-up and login count for the address, not a token
    clock.now += 20
    for _ in range(5):
        assert sam.get("/v1/me").status_code == 200
    assert_too_many(sam.get("/v1/me"), retry_after=WINDOW - 20)


@STORES
def test_each_token_has_its_own_limit(client: TestClient, clock: Clock) -> None:
    sam, alex = sign_up(client, "Sam"), sign_up(client, "Alex")
    for _ in range(5):
        assert sam.get("/v1/me").status_code == 200
    assert sam.get("/v1/me").status_code == 429
    assert alex.get("/v1/me").status_code == 200


@STORES
def test_the_next_window_starts_afresh(client: TestClient, clock: Clock) -> None:
    sam = sign_up(client, "Sam")
    for _ in range(6):
        sam.get("/v1/me")
    assert sam.get("/v1/me").status_code == 429
    clock.now += WINDOW
    assert sam.get("/v1/me").status_code == 200


@STORES
def test_an_address_over_its_limit_gets_429_without_a_token(
    client: TestClient, clock: Clock
) -> None:
    for _ in range(12):
        assert_problem(client.get("/v1/households"), 401)
    assert_too_many(client.get("/v1/households"), retry_after=WINDOW)
    # Made-up tokens change nothing: the address is counted whatever the token.
    refused = client.get("/v1/households", headers={"Authorization": "Bearer fst_made_up"})
    assert refused.status_code == 429


@STORES
def test_another_address_is_not_limited_by_the_first(
    store: str, client: TestClient, database_url: str, engine: Engine, clock: Clock
) -> None:
    for _ in range(13):
        client.get("/v1/households")
    assert client.get("/v1/households").status_code == 429
    with client_for(store, database_url, engine, clock, address="203.0.113.9") as other:
        assert other.get("/v1/households").status_code == 401


@STORES
def test_a_refused_request_changes_nothing(
    client: TestClient, engine: Engine, clock: Clock
) -> None:
    sam = sign_up(client, "Sam")
    for _ in range(5):
        sam.get("/v1/me")
    body = {"name": "Flat", "currency": "EUR", "timezone": "Europe/Berlin"}
    assert_problem(sam.post("/v1/households", json=body), 429)
    assert count(engine, Household) == 0


@STORES
def test_health_probes_and_metrics_are_never_limited(client: TestClient) -> None:
    for _ in range(20):
        for path in ("/healthz", "/readyz", "/metrics"):
            assert client.get(path).status_code == 200, path


@STORES
def test_counts_hold_across_instances(
    store: str, database_url: str, engine: Engine, clock: Clock
) -> None:
    with (
        client_for(store, database_url, engine, clock) as one,
        client_for(store, database_url, engine, clock, address="203.0.113.9") as two,
    ):
        sam = sign_up(one, "Sam")
        for _ in range(5):
            assert sam.get("/v1/me").status_code == 200
        # On SQLite an instance writes its counts at most every SQLITE_WRITE_EVERY seconds;
        # its next request after that writes them.
        time.sleep(SQLITE_WRITE_EVERY + 0.05)
        assert sam.get("/v1/me").status_code == 429
        same_token_elsewhere = Caller(two, sam.token, sam.user_id, sam.email)
        assert_problem(same_token_elsewhere.get("/v1/me"), 429)


def test_an_unreachable_redis_serves_requests_uncounted_and_refuses_logins(
    database_url: str, engine: Engine, clock: Clock
) -> None:
    settings = Settings(
        database_url=database_url,
        deliver_in_process=False,
        rate_limit_per_token=1,
        rate_limit_per_ip=1,
        redis_url="redis://127.0.0.1:1/0",  # nothing listens on port 1
    )
    with TestClient(create_app(settings, engine=engine), raise_server_exceptions=False) as client:
        for _ in range(3):
            assert_problem(client.get("/v1/me"), 401)  # not 429: nothing could be counted
        body = {"email": "sam@example.org", "password": "whatever", "name": "t"}
        refused = client.post("/v1/tokens", json=body)
        assert_problem(refused, 503)
        assert refused.headers["Retry-After"] == "1"
