"""Password guessing at POST /v1/tokens: failures counted per account and address, per
account from every address, and per address in the shared store (database or Redis), 429
with Retry-After once any reaches its limit,
the right password refused too while it lasts, and no difference between an email that has
an account and one that has not."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.conftest import PASSWORD, assert_problem, sign_up
from tests.api.limits_builders import STORES, Clock, limited_app

WINDOW = 900
PER_ACCOUNT = 3
PER_ACCOUNT_TOTAL = 5
PER_IP = 6


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
        login_failures_per_account=PER_ACCOUNT,
        login_failures_per_account_total=PER_ACCOUNT_TOTAL,
        login_failures_per_ip=PER_IP,
        login_window_seconds=WINDOW,
    )
    with TestClient(app, raise_server_exceptions=False, client=(address, 50000)) as client:
        yield client


@pytest.fixture
def client(store: str, database_url: str, engine: Engine, clock: Clock) -> Iterator[TestClient]:
    with client_for(store, database_url, engine, clock) as client:
        yield client


def login(client: TestClient, email: str, password: str = "wrong password") -> Any:
    return client.post("/v1/tokens", json={"email": email, "password": password, "name": "t"})


@STORES
def test_failures_for_one_account_end_in_429_even_for_the_right_password(
    client: TestClient, clock: Clock
) -> None:
    sam = sign_up(client, "Sam")
    for _ in range(PER_ACCOUNT):
        assert_problem(login(client, sam.email), 401)
    clock.now += 100
    problem = assert_problem(login(client, sam.email, PASSWORD), 429)
    assert problem["type"] == "urn:fairstead:problem:too-many-requests"
    assert "wrong" not in problem["detail"]
    assert login(client, sam.email, PASSWORD).headers["Retry-After"] == str(WINDOW - 100)
    # The email is normalised before counting: case and spaces do not reset it.
    assert login(client, f"  {sam.email.upper()} ", PASSWORD).status_code == 429
    # Another account from the same address is not locked out by Sam's.
    alex = sign_up(client, "Alex")
    assert login(client, alex.email, PASSWORD).status_code == 201


@STORES
def test_the_lock_ends_with_the_window(client: TestClient, clock: Clock) -> None:
    sam = sign_up(client, "Sam")
    for _ in range(PER_ACCOUNT):
        login(client, sam.email)
    assert login(client, sam.email, PASSWORD).status_code == 429
    clock.now += WINDOW
    assert login(client, sam.email, PASSWORD).status_code == 201


@STORES
def test_an_unknown_email_is_throttled_exactly_like_a_real_one(
    client: TestClient, clock: Clock
) -> None:
    sam = sign_up(client, "Sam")
    answers: dict[str, list[tuple[int, str, str | None]]] = {}
    for email in (sam.email, "nobody@example.org"):
        responses = [login(client, email) for _ in range(PER_ACCOUNT + 1)]
        answers[email] = [
            (r.status_code, r.json()["detail"], r.headers.get("Retry-After")) for r in responses
        ]
    assert answers[sam.email] == answers["nobody@example.org"]
    assert [status for status, _, _ in answers[sam.email]] == [401] * PER_ACCOUNT + [429]


@STORES
def test_one_address_guessing_many_accounts_is_throttled(
    store: str, client: TestClient, database_url: str, engine: Engine, clock: Clock
) -> None:
    sam = sign_up(client, "Sam")
    for n in range(PER_IP):
        assert_problem(login(client, f"guess{n}@example.org"), 401)
    assert_problem(login(client, sam.email, PASSWORD), 429)
    with client_for(store, database_url, engine, clock, address="203.0.113.9") as elsewhere:
        assert login(elsewhere, sam.email, PASSWORD).status_code == 201


@STORES
def test_successes_and_invalid_requests_are_not_failures(client: TestClient, clock: Clock) -> None:
    sam = sign_up(client, "Sam")
    for _ in range(PER_ACCOUNT - 1):
        assert login(client, sam.email).status_code == 401
    for _ in range(PER_IP + 2):
        assert login(client, sam.email, PASSWORD).status_code == 201
        assert_problem(client.post("/v1/tokens", json={"email": sam.email}), 422)
        assert_problem(client.post("/v1/tokens", content=b"{not json"), 422)
    assert login(client, sam.email).status_code == 401  # the last allowed failure
    assert login(client, sam.email, PASSWORD).status_code == 429


@STORES
def test_failures_count_across_instances(
    store: str, database_url: str, engine: Engine, clock: Clock
) -> None:
    with (
        client_for(store, database_url, engine, clock) as one,
        client_for(store, database_url, engine, clock) as two,
    ):
        sam = sign_up(one, "Sam")
        login(one, sam.email)
        login(two, sam.email)
        login(one, sam.email)
        assert login(two, sam.email, PASSWORD).status_code == 429


@STORES
def test_a_stranger_guessing_elsewhere_does_not_lock_the_owner_out(
    store: str, database_url: str, engine: Engine, clock: Clock
) -> None:
    with (
        client_for(store, database_url, engine, clock, address="203.0.113.66") as stranger,
        client_for(store, database_url, engine, clock, address="198.51.100.7") as home,
    ):
        sam = sign_up(home, "Sam")
        for _ in range(PER_ACCOUNT):
            assert_problem(login(stranger, sam.email), 401)
        assert_problem(login(stranger, sam.email, PASSWORD), 429)
        assert login(home, sam.email, PASSWORD).status_code == 201


@STORES
def test_a_guesser_spread_over_many_addresses_is_still_stopped(
    store: str, database_url: str, engine: Engine, clock: Clock
) -> None:
    with client_for(store, database_url, engine, clock) as home:
        sam = sign_up(home, "Sam")
    for n in range(PER_ACCOUNT_TOTAL):
        # Each address stays under the per-address limit for Sam's email.
        with client_for(store, database_url, engine, clock, address=f"203.0.113.{n}") as one:
            assert_problem(login(one, sam.email), 401)
    with client_for(store, database_url, engine, clock, address="203.0.113.200") as fresh:
        assert_problem(login(fresh, sam.email, PASSWORD), 429)
        clock.now += WINDOW
        assert login(fresh, sam.email, PASSWORD).status_code == 201


@STORES
def test_parallel_guesses_cannot_outrun_the_count(client: TestClient) -> None:
    sam = sign_up(client, "Sam")
    statuses: list[int] = []
    start = threading.Barrier(12)

    def guess() -> None:
        start.wait()
        statuses.append(login(client, sam.email).status_code)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * PER_ACCOUNT + [429] * (12 - PER_ACCOUNT)


@STORES
def test_wrong_passwords_when_deleting_the_account_end_in_429(
    client: TestClient, clock: Clock
) -> None:
    sam = sign_up(client, "Sam")
    for _ in range(PER_ACCOUNT):
        wrong = sam.request("DELETE", "/v1/me", json={"current_password": "guess"})
        assert_problem(wrong, 403)
    right = sam.request("DELETE", "/v1/me", json={"current_password": PASSWORD})
    assert_problem(right, 429)
    assert sam.get("/v1/me").status_code == 200
    clock.now += WINDOW
    assert sam.request("DELETE", "/v1/me", json={"current_password": PASSWORD}).status_code == 204


@STORES
def test_wrong_current_passwords_when_changing_the_password_end_in_429(
    client: TestClient, clock: Clock
) -> None:
    sam = sign_up(client, "Sam")
    for _ in range(PER_ACCOUNT + 2):
        # A display-name change checks no password and is no guess.
        assert sam.patch("/v1/me", json={"display_name": "Sam"}).status_code == 200
    for _ in range(PER_ACCOUNT):
        wrong = sam.patch("/v1/me", json={"password": "new pass phrase", "current_password": "x"})
        assert_problem(wrong, 403)
    right = {"password": "new pass phrase", "current_password": PASSWORD}
    assert_problem(sam.patch("/v1/me", json=right), 429)
    assert sam.get("/v1/me").status_code == 200  # the password did not change
    clock.now += WINDOW
    assert sam.patch("/v1/me", json=right).status_code == 200
    assert login(client, sam.email, "new pass phrase").status_code == 201
