"""Who delivers: the API process itself (in-process delivery, on by default for `make run`)
and `fairstead worker`, with no test driving the clock."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from standardwebhooks import Webhook

from api.app import create_app
from domain.settings import Settings
from tests.api.conftest import TEST_SECRET_KEY, sign_up
from tests.api.hook_builders import (  # noqa: F401  (the fixtures: receiver, settings)
    hooked,
    receiver_fixture,
    settings_allowing_127_0_0_1,
)
from tests.integrations.receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def in_process_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"deliver_in_process": True}), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_the_api_delivers_by_itself_when_in_process_delivery_is_on(
    in_process_client: TestClient, receiver: Receiver
) -> None:
    home = hooked(sign_up(in_process_client), receiver.url, events=["expense.created"])
    home.spend(990, "Bread")
    [request] = receiver.wait_for(1, timeout=15)
    body = Webhook(home.webhook["secret"]).verify(request.body, request.headers)
    assert body["data"]["description"] == "Bread"


def test_fairstead_worker_once_delivers_what_is_due(
    client: TestClient, database_url: str, receiver: Receiver
) -> None:
    home = hooked(sign_up(client), receiver.url, events=["expense.created"])
    home.spend(450, "Soap")
    env = {
        **os.environ,
        "FAIRSTEAD_DATABASE_URL": database_url,
        "FAIRSTEAD_WEBHOOK_ALLOW_PRIVATE": "true",
        "FAIRSTEAD_SECRET_KEY": TEST_SECRET_KEY,
    }
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "worker", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    [request] = receiver.received
    body = Webhook(home.webhook["secret"]).verify(request.body, request.headers)
    assert body["data"]["description"] == "Soap"
