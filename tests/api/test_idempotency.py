"""Idempotency-Key on POST: same key and body replay the first response and create nothing."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.db import unit_of_work
from domain.households.models import Household
from domain.idempotency.models import IdempotencyRecord
from tests.api.conftest import PASSWORD, Caller, assert_problem, count

NEW = {"name": "Home", "currency": "EUR", "timezone": "Europe/Berlin"}


def _create(caller: Caller, key: str, body: dict[str, str] | None = None) -> object:
    return caller.post("/v1/households", json=body or NEW, headers={"Idempotency-Key": key})


def test_same_key_and_body_replays_the_first_response_and_creates_nothing(
    sam: Caller, engine: Engine
) -> None:
    first = _create(sam, "key-1")
    second = _create(sam, "key-1")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second.headers["idempotency-replayed"] == "true"
    assert "idempotency-replayed" not in first.headers
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == "application/json"
    assert count(engine, Household) == 1
    assert count(engine, Event) == 2


def test_the_key_belongs_to_the_user_not_the_token(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    first = _create(sam, "key-1")
    other = client.post(
        "/v1/tokens", json={"email": sam.email, "password": PASSWORD, "name": "phone"}
    ).json()
    replay = client.post(
        "/v1/households",
        json=NEW,
        headers={"Authorization": f"Bearer {other['token']}", "Idempotency-Key": "key-1"},
    )
    assert replay.headers["idempotency-replayed"] == "true"
    assert replay.json() == first.json()
    assert count(engine, Household) == 1


def test_same_key_with_a_different_body_or_path_is_422(sam: Caller, engine: Engine) -> None:
    first = _create(sam, "key-1")
    problem = assert_problem(_create(sam, "key-1", {**NEW, "name": "Cabin"}), 422)
    assert problem["type"] == "urn:fairstead:problem:idempotency-key-reused"
    response = sam.post(
        f"/v1/households/{first.json()['id']}/members",
        json=NEW,
        headers={"Idempotency-Key": "key-1"},
    )
    assert_problem(response, 422)
    assert count(engine, Household) == 1
    assert [h["name"] for h in sam.get("/v1/households").json()["data"]] == ["Home"]


def test_keys_are_scoped_per_user(sam: Caller, alex: Caller, engine: Engine) -> None:
    mine = _create(sam, "shared-key")
    theirs = _create(alex, "shared-key")
    assert theirs.status_code == 201
    assert "idempotency-replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]
    assert count(engine, Household) == 2
    assert [h["id"] for h in alex.get("/v1/households").json()["data"]] == [theirs.json()["id"]]


def test_a_key_longer_than_255_characters_is_422(sam: Caller, engine: Engine) -> None:
    problem = assert_problem(_create(sam, "k" * 256), 422)
    assert problem["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert_problem(_create(sam, ""), 422)
    assert count(engine, Household) == 0
    assert _create(sam, "k" * 255).status_code == 201


def test_an_error_response_is_replayed_too(sam: Caller, engine: Engine) -> None:
    bad = {**NEW, "currency": "XXQ"}
    first = _create(sam, "key-1", bad)
    second = _create(sam, "key-1", bad)
    assert first.status_code == second.status_code == 422
    assert second.content == first.content
    assert second.headers["content-type"] == "application/problem+json"
    assert second.headers["idempotency-replayed"] == "true"


def test_a_key_older_than_24_hours_is_forgotten(sam: Caller, engine: Engine) -> None:
    _create(sam, "key-1")
    with Session(engine) as session, session.begin():
        session.execute(
            update(IdempotencyRecord).values(
                created_at=datetime.now(UTC) - timedelta(hours=24, seconds=1)
            )
        )
    again = _create(sam, "key-1")
    assert again.status_code == 201
    assert "idempotency-replayed" not in again.headers
    assert count(engine, Household) == 2
    assert count(engine, IdempotencyRecord) == 1


def test_a_request_still_in_flight_with_the_key_is_409(sam: Caller, engine: Engine) -> None:
    body = json.dumps(NEW).encode()
    digest = hashlib.sha256(b"POST /v1/households\n" + body).hexdigest()
    with unit_of_work(engine) as session:
        session.add(
            IdempotencyRecord(
                user_id=sam.user_id,
                key="key-1",
                method="POST",
                path="/v1/households",
                request_hash=digest,
            )
        )
    response = sam.post(
        "/v1/households",
        content=body,
        headers={"Idempotency-Key": "key-1", "Content-Type": "application/json"},
    )
    problem = assert_problem(response, 409)
    assert problem["type"] == "urn:fairstead:problem:idempotency-key-in-use"
    assert response.headers["retry-after"] == "1"
    assert count(engine, Household) == 0


def test_requests_without_a_valid_token_are_never_recorded(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    token = client.post(
        "/v1/tokens",
        json={"email": sam.email, "password": PASSWORD, "name": "x"},
        headers={"Idempotency-Key": "login"},
    )
    assert token.status_code == 201
    again = client.post(
        "/v1/tokens",
        json={"email": sam.email, "password": PASSWORD, "name": "x"},
        headers={"Idempotency-Key": "login"},
    )
    assert again.json()["token"] != token.json()["token"]
    assert count(engine, IdempotencyRecord) == 0


def test_a_new_token_is_never_stored_for_replay(sam: Caller, engine: Engine) -> None:
    body = {"email": sam.email, "password": PASSWORD, "name": "x"}
    first = sam.post("/v1/tokens", json=body, headers={"Idempotency-Key": "token"})
    second = sam.post("/v1/tokens", json=body, headers={"Idempotency-Key": "token"})
    assert first.status_code == second.status_code == 201
    assert second.json()["token"] != first.json()["token"]
    assert count(engine, IdempotencyRecord) == 0
