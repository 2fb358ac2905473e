"""What the webhook delivery tests share: settings that allow 127.0.0.1, a receiver, a
household with a webhook, and one delivery pass at a chosen time.

A test module uses the fixtures by importing them, which puts them in its namespace where
pytest finds them; they are named `receiver`, `sender` and `settings` there."""

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from domain.hooks.dispatch import drain
from domain.settings import Settings
from integrations.webhooks import WebhookSender
from tests.api.conftest import TEST_SECRET_KEY, Caller
from tests.integrations.receiver import Receiver, running_receiver


@pytest.fixture(name="settings")
def settings_allowing_127_0_0_1(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        db_pool_size=20,
        deliver_in_process=False,
        secret_key=TEST_SECRET_KEY,
        webhook_allow_private=True,
        webhook_timeout_seconds=1.0,
    )


@pytest.fixture(name="receiver")
def receiver_fixture() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture(name="sender")
def sender_fixture() -> Iterator[WebhookSender]:
    sender = WebhookSender(timeout=1.0, allow_private=True)
    yield sender
    sender.close()


@dataclass
class Hooked:
    """Sam's household, Sam's member id, and one webhook on it (with its secret)."""

    caller: Caller
    household_id: str
    member_id: str
    webhook: dict[str, Any]

    def url(self, path: str = "") -> str:
        return f"/v1/households/{self.household_id}{path}"

    @property
    def webhook_url(self) -> str:
        return self.url(f"/webhooks/{self.webhook['id']}")

    def spend(self, amount: int = 1200, description: str = "Groceries") -> dict[str, Any]:
        response = self.caller.post(
            self.url("/expenses"),
            json={
                "description": description,
                "amount": amount,
                "currency": "EUR",
                "paid_by": self.member_id,
                "date": "2026-03-01",
            },
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def deliveries(self, **params: Any) -> list[dict[str, Any]]:
        response = self.caller.get(f"{self.webhook_url}/deliveries", params=params)
        assert response.status_code == 200, response.text
        data: list[dict[str, Any]] = response.json()["data"]
        return data


def hooked(caller: Caller, url: str, events: list[str] | None = None) -> Hooked:
    household = caller.household()
    members = caller.get(f"/v1/households/{household['id']}/members").json()["data"]
    created = caller.post(
        f"/v1/households/{household['id']}/webhooks",
        json={"url": url, "events": events or ["expense.*", "settlement.*"]},
    )
    assert created.status_code == 201, created.text
    return Hooked(caller, household["id"], members[0]["id"], created.json())


def deliver(engine: Engine, sender: WebhookSender, at: datetime) -> int:
    """Delivery passes at `at` until nothing more is due; returns how many were attempted."""
    total = 0
    while sent := drain(engine, now=at, send=sender, secret_key=TEST_SECRET_KEY):
        total += sent
    return total


def uuid7_at(moment: datetime) -> str:
    """A UUIDv7 made at `moment`, as `domain.ids.new_id` would have made it then."""
    ms = int(moment.timestamp() * 1000)
    random = int.from_bytes(os.urandom(10), "big")
    value = ms << 80 | 0x7 << 76 | (random >> 64 & 0xFFF) << 64 | 0b10 << 62
    return str(uuid.UUID(int=value | random & ((1 << 62) - 1)))
