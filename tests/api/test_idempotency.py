"""Idempotency-Key on POST: same key and body replay the first response and create nothing."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, update
from sqlalchemy.orm import Session

from api.app import create_app
from api.idempotency_fingerprint import fingerprint
from domain.activity.models import Event
from domain.db import make_engine, unit_of_work
from domain.households.models import Household
from domain.idempotency.models import IdempotencyRecord
from domain.settings import Settings
from tests.api.conftest import PASSWORD, Caller, assert_problem, count
from tests.api.imports_builders import qif

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


def test_an_error_response_is_not_kept_so_a_corrected_retry_runs(
    sam: Caller, engine: Engine
) -> None:
    bad = {**NEW, "currency": "XXQ"}
    first = _create(sam, "key-1", bad)
    second = _create(sam, "key-1", bad)
    assert first.status_code == second.status_code == 422
    assert "idempotency-replayed" not in second.headers
    assert count(engine, IdempotencyRecord) == 0
    fixed = _create(sam, "key-1")
    assert fixed.status_code == 201 and "idempotency-replayed" not in fixed.headers
    assert _create(sam, "key-1").headers["idempotency-replayed"] == "true"
    assert count(engine, Household) == 1


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


def _claimed_by_a_dead_request(
    engine: Engine, sam: Caller, body: bytes, *, age: timedelta = timedelta(0)
) -> None:
    """The row a request leaves when its process is killed after claiming its key (and
    before committing its work): claimed, no response, `age` ago."""
    digest = fingerprint(
        method="POST",
        path="/v1/households",
        query=b"",
        content_type="application/json",
        body=body,
        principal=f"{sam.user_id}|*|admin read write",
    )
    with unit_of_work(engine) as session:
        session.add(
            IdempotencyRecord(
                user_id=sam.user_id,
                key="key-1",
                method="POST",
                path="/v1/households",
                request_hash=digest,
                created_at=datetime.now(UTC) - age,
            )
        )


def test_a_request_still_in_flight_with_the_key_is_409(sam: Caller, engine: Engine) -> None:
    body = json.dumps(NEW).encode()
    _claimed_by_a_dead_request(engine, sam, body, age=timedelta(seconds=299))
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


def test_a_claim_left_by_a_killed_request_is_taken_over_after_its_lease(
    sam: Caller, engine: Engine
) -> None:
    """Simulated crash: the claim row a killed process leaves (no response, lease run out).
    Its work never committed (a response is stored in the work's own transaction), so the
    retry runs it, once."""
    body = json.dumps(NEW).encode()
    _claimed_by_a_dead_request(engine, sam, body, age=timedelta(seconds=301))
    headers = {"Idempotency-Key": "key-1", "Content-Type": "application/json"}
    retried = sam.post("/v1/households", content=body, headers=headers)
    assert retried.status_code == 201, retried.text
    again = sam.post("/v1/households", content=body, headers=headers)
    assert again.headers["idempotency-replayed"] == "true" and again.json() == retried.json()
    assert count(engine, Household) == 1 and count(engine, IdempotencyRecord) == 1


def test_the_response_is_stored_in_the_same_transaction_as_the_work(
    sam: Caller, engine: Engine
) -> None:
    """So a process killed after committing (before answering) leaves a replayable response,
    never a claim whose retry would run the work a second time."""
    statements: list[tuple[int, str]] = []

    def seen(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append((id(conn.connection.dbapi_connection), statement.split()[0:3]))

    def committed(conn: Any) -> None:
        statements.append((id(conn.connection.dbapi_connection), ["COMMIT"]))

    event.listen(engine, "before_cursor_execute", seen)
    event.listen(engine, "commit", committed)
    try:
        assert _create(sam, "key-1").status_code == 201
    finally:
        event.remove(engine, "before_cursor_execute", seen)
        event.remove(engine, "commit", committed)
    [work] = [c for c, words in statements if words[:3] == ["INSERT", "INTO", "households"]]
    mine = [words for c, words in statements if c == work]
    start = mine.index(["INSERT", "INTO", "households"])
    until_commit = mine[start : mine.index(["COMMIT"], start)]
    assert ["UPDATE", "idempotency_records", "SET"] in until_commit, mine


def test_json_with_its_keys_in_another_order_replays(sam: Caller, engine: Engine) -> None:
    headers = {"Idempotency-Key": "key-1", "Content-Type": "application/json"}
    first = sam.post(
        "/v1/households",
        content=b'{"name": "Home", "currency": "EUR", "timezone": "Europe/Berlin"}',
        headers=headers,
    )
    second = sam.post(
        "/v1/households",
        content=b'{"timezone":"Europe/Berlin","currency":"EUR","name":"Home"}',
        headers=headers,
    )
    assert first.status_code == 201 and second.headers["idempotency-replayed"] == "true"
    assert count(engine, Household) == 1


def test_the_query_string_is_part_of_the_request(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    url = f"/v1/households/{home['id']}/members"
    body = {"display_name": "Robin"}
    first = sam.post(url, json=body, headers={"Idempotency-Key": "key-1"})
    assert first.status_code == 201
    other = sam.post(f"{url}?full=true", json=body, headers={"Idempotency-Key": "key-1"})
    assert_problem(other, 422)
    same = sam.post(f"{url}?", json=body, headers={"Idempotency-Key": "key-1"})
    assert same.headers["idempotency-replayed"] == "true"


def test_a_multipart_upload_retried_with_a_new_boundary_replays(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()

    def upload(data: bytes) -> Any:
        # httpx draws a new random boundary for every request, as a retrying client would.
        return sam.post(
            f"/v1/households/{home['id']}/imports",
            files={"file": ("statement.qif", data, "application/octet-stream")},
            data={"currency": "EUR"},
            headers={"Idempotency-Key": "upload-1"},
        )

    first = upload(qif([("2026-03-02", "-3.20", "Bakery")]))
    second = upload(qif([("2026-03-02", "-3.20", "Bakery")]))
    assert first.status_code == 201, first.text
    assert second.headers["idempotency-replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert_problem(upload(qif([("2026-03-02", "-9.99", "Bakery")])), 422)


def test_a_stored_response_is_never_replayed_to_a_token_that_could_not_have_made_it(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    home, cabin = sam.household("Home"), sam.household("Cabin")
    created = sam.post(
        f"/v1/households/{home['id']}/members",
        json={"display_name": "Robin"},
        headers={"Idempotency-Key": "key-1"},
    )
    assert created.status_code == 201
    restricted = _token(client, sam, household_id=cabin["id"], scopes=["automation"])
    response = client.post(
        f"/v1/households/{home['id']}/members",
        json={"display_name": "Robin"},
        headers={"Authorization": restricted, "Idempotency-Key": "key-1"},
    )
    assert_problem(response, 422)
    assert "Robin" not in response.text


def test_a_refusal_is_not_replayed_to_a_token_that_may(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    reader = _token(client, sam, scopes=["read"])
    refused = client.post(
        "/v1/households", json=NEW, headers={"Authorization": reader, "Idempotency-Key": "k"}
    )
    assert_problem(refused, 403)
    allowed = _create(sam, "k")
    assert allowed.status_code == 201 and "idempotency-replayed" not in allowed.headers
    assert count(engine, Household) == 1


def test_an_unreachable_database_with_an_idempotency_key_is_503(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-dir' / 'fairstead.db'}"
    app = create_app(Settings(database_url=url), engine=make_engine(url))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(
            "/v1/households",
            json=NEW,
            headers={"Authorization": "Bearer fst_x", "Idempotency-Key": "key-1"},
        )
    assert_problem(response, 503)
    assert response.headers["retry-after"] == "1"


def _token(client: TestClient, caller: Caller, **fields: Any) -> str:
    response = client.post(
        "/v1/tokens", json={"email": caller.email, "password": PASSWORD, "name": "t", **fields}
    )
    assert response.status_code == 201, response.text
    return f"Bearer {response.json()['token']}"
