"""What the reminder tests share: settings with a secret key that let Apprise and webhooks
reach 127.0.0.1, the worker's two reminder jobs run at a chosen moment, and the events."""

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.db import unit_of_work
from domain.reminders.emitting import send_due_reminders
from domain.settings import Settings, get_settings
from integrations.notify import deliver_reminders
from tests.integrations.receiver import Receiver

SECRET_KEY = "a-test-secret-key-of-some-length"


@pytest.fixture(name="settings")
def reminder_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        db_pool_size=20,
        deliver_in_process=False,
        secret_key=SECRET_KEY,
        webhook_allow_private=True,
        webhook_timeout_seconds=1.0,
    )


@pytest.fixture(name="worker_settings", autouse=True)
def worker_settings_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The jobs read settings from the environment, as `fairstead worker` does."""
    monkeypatch.setenv("FAIRSTEAD_SECRET_KEY", SECRET_KEY)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def remind(engine: Engine, at: datetime) -> int:
    with unit_of_work(engine) as session:
        return send_due_reminders(session, now=at)


def notify(engine: Engine, at: datetime) -> int:
    with unit_of_work(engine) as session:
        return deliver_reminders(session, at)


def reminders(engine: Engine, kind: str) -> list[dict[str, Any]]:
    """The events of `kind`, oldest first: their subject and payload."""
    with Session(engine) as session:
        rows = session.scalars(select(Event).where(Event.type == kind).order_by(Event.id))
        return [{"subject_id": e.subject_id, **e.data} for e in rows]


def notifications(receiver: Receiver) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.received]


def apprise_url(receiver: Receiver) -> str:
    return receiver.url.replace("http://", "json://")
