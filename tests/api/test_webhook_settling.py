"""A delivery the receiver accepted is never sent again because its outcome could not be
written at once: the write is retried, not the send (SQLite locked by a long import)."""

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.db import make_engine
from domain.hooks.dispatch import drain
from domain.hooks.models import WebhookDelivery
from domain.hooks.outbox import Outgoing
from domain.hooks.schedule import Outcome
from integrations.webhooks import WebhookSender
from tests.api.conftest import TEST_SECRET_KEY, Caller
from tests.api.hook_builders import (  # noqa: F401  (the fixtures: receiver, settings)
    hooked,
    receiver_fixture,
    settings_allowing_127_0_0_1,
)
from tests.conftest import POSTGRES_URL
from tests.integrations.receiver import Receiver, Reply

pytestmark = pytest.mark.skipif(
    POSTGRES_URL is not None, reason="holds SQLite's write lock from another connection"
)
HELD_SECONDS = 1.0


def _hold_write_lock(path: str, held: threading.Event) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(HELD_SECONDS)
        connection.execute("COMMIT")
    finally:
        connection.close()


def test_an_accepted_delivery_is_recorded_after_a_lock_and_never_sent_again(
    sam: Caller, database_url: str, engine: Engine, receiver: Receiver
) -> None:
    receiver.answer(Reply(status=204))
    home = hooked(sam, receiver.url, events=["expense.created"])
    home.spend()
    impatient = make_engine(database_url, pool_size=2, busy_timeout_ms=100)
    sender = WebhookSender(timeout=5, allow_private=True)
    locker: list[threading.Thread] = []

    def send_then_lock(outgoing: Outgoing) -> Outcome:
        outcome = sender(outgoing)
        held = threading.Event()
        path = database_url.removeprefix("sqlite:///")
        locker.append(threading.Thread(target=_hold_write_lock, args=(path, held)))
        locker[0].start()
        held.wait(5)
        return outcome

    now = datetime.now(UTC)
    try:
        assert drain(impatient, now=now, send=send_then_lock, secret_key=TEST_SECRET_KEY) == 1
        locker[0].join()
        later = now + timedelta(minutes=10)  # the claim's lease long gone
        assert drain(impatient, now=later, send=sender, secret_key=TEST_SECRET_KEY) == 0
    finally:
        sender.close()
        impatient.dispose()
    assert len(receiver.ids()) == 1
    with Session(engine) as session:
        statuses = session.scalars(select(WebhookDelivery.status)).all()
    assert statuses == ["succeeded"]
