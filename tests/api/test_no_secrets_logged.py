"""Secrets never reach the logs: a whole session of sign-up, login, token use, a wrong
password, an invitation, a webhook and its rotated secret, failed deliveries, a connection
with credentials and a failing sync, and a password change, with FAIRSTEAD_LOG_LEVEL=debug
and the root, Fairstead and uvicorn loggers at DEBUG (httpx and SQLAlchemy as the app sets
them, SQL statements included); then each secret is looked for in everything logged."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.logs import configure
from api.routers.connections import http_client
from domain.settings import Settings
from integrations.webhooks import WebhookSender
from tests.api.conftest import PASSWORD, assert_problem, sign_up
from tests.api.hook_builders import deliver, hooked
from tests.integrations.receiver import Receiver, Reply, running_receiver

SECRET_KEY = "a-test-secret-key-of-some-length"
YNAB_TOKEN = "ynab-personal-access-token-0123456789"
WRONG_PASSWORD = "hunter2-but-longer"
NEW_PASSWORD = "another horse battery"
LOGGERS = ("", "fairstead", "uvicorn", "uvicorn.access", "uvicorn.error")


@pytest.fixture(autouse=True)
def restored_loggers() -> Iterator[None]:
    """`configure` sets logger levels for the whole process: give the next tests theirs."""
    names = ("sqlalchemy.engine", "httpx", "httpcore")
    levels = {name: logging.getLogger(name).level for name in names}
    access = logging.getLogger("uvicorn.access")
    filters = list(access.filters)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    access.filters = filters


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@contextmanager
def debug_client(database_url: str, engine: Engine) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        deliver_in_process=False,
        webhook_allow_private=True,
        webhook_timeout_seconds=1.0,
        secret_key=SECRET_KEY,
        log_level="debug",
    )
    app = create_app(settings, engine=engine)
    app.dependency_overrides[http_client] = lambda: httpx.Client(
        transport=httpx.MockTransport(lambda _: httpx.Response(401, json={"error": "no"}))
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_no_secret_of_a_whole_session_is_logged(
    database_url: str, engine: Engine, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    with debug_client(database_url, engine) as client:
        session_with_every_secret(client, engine, receiver, caplog)


def session_with_every_secret(
    client: TestClient, engine: Engine, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    sam, alex = sign_up(client, "Sam"), sign_up(client, "Alex")
    assert sam.get("/v1/me").status_code == 200
    wrong = {"email": sam.email, "password": WRONG_PASSWORD, "name": "x"}
    assert_problem(client.post("/v1/tokens", json=wrong), 401)
    home = sam.household()
    code = sam.post(f"/v1/households/{home['id']}/invitations", json={}).json()["code"]
    assert alex.post(f"/v1/invitations/{code}/accept", json={}).status_code == 200

    receiver.answer(Reply(status=500, body=b"try later"))
    webhook_home = hooked(sam, receiver.url + "/hook-path-secret-abc123")
    first_secret = webhook_home.webhook["secret"]
    rotated = sam.post(f"{webhook_home.webhook_url}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    webhook_home.spend()
    sender = WebhookSender(timeout=1.0, allow_private=True)
    try:
        deliver(engine, sender, datetime.now(UTC))
        deliver(engine, sender, datetime.now(UTC) + timedelta(minutes=10))
    finally:
        sender.close()
    assert len(receiver.received) >= 2  # failed deliveries, retried

    connections = f"/v1/households/{home['id']}/connections"
    created = sam.post(
        connections,
        json={
            "provider": "ynab",
            "name": "Budget",
            "credentials": {"token": YNAB_TOKEN},
            "config": {"budget_id": "b"},
        },
    )
    assert created.status_code == 201, created.text
    synced = sam.post(f"{connections}/{created.json()['id']}/sync")
    assert synced.json()["status"] == "failed", synced.text

    change = {"password": NEW_PASSWORD, "current_password": PASSWORD}
    assert sam.patch("/v1/me", json=change).status_code == 200

    logged = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    assert "INSERT INTO" in logged, "the loggers were not capturing SQL"
    secrets = {
        "password": PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "new password": NEW_PASSWORD,
        "token": sam.token,
        "other token": alex.token,
        "invitation code": code,
        "webhook secret": first_secret,
        "rotated webhook secret": rotated.json()["secret"],
        "webhook URL path": "hook-path-secret-abc123",
        "connection token": YNAB_TOKEN,
        "secret key": SECRET_KEY,
    }
    leaked = [what for what, secret in secrets.items() if secret in logged]
    assert leaked == []


def test_the_access_log_never_shows_an_invitation_code(caplog: pytest.LogCaptureFixture) -> None:
    configure("info")
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    # The call uvicorn makes for each request (uvicorn.protocols.http.*_impl).
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000",
        "POST",
        "/v1/invitations/Zq3-secret-code/accept",
        "1.1",
        200,
    )
    assert "/v1/invitations/…/accept" in caplog.text
    assert "Zq3-secret-code" not in caplog.text
