"""Several workers draining one outbox: every event is delivered exactly once between them.

On PostgreSQL (FAIRSTEAD_TEST_DATABASE_URL) the workers claim with SKIP LOCKED and run
truly side by side; on SQLite the write lock takes claims in turn, and the result must be
the same."""

import threading
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import Actor, record
from domain.db import make_engine, unit_of_work
from domain.hooks.dispatch import drain
from domain.hooks.models import WebhookAttempt, WebhookDelivery
from domain.hooks.outbox import Outgoing, claim_due, fan_out
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

EVENTS = 300


def test_two_workers_deliver_every_event_exactly_once_between_them(
    sam: Caller, database_url: str, engine: Engine, receiver: Receiver
) -> None:
    receiver.answer(Reply(status=204, delay=0.002))
    home = hooked(sam, receiver.url, events=["expense.created"])
    with unit_of_work(engine) as session:
        for n in range(EVENTS):
            record(
                session,
                household_id=home.household_id,
                type=events.EXPENSE_CREATED,
                subject_id=None,
                actor=Actor(user_id=None, member_id=None),
                data={"description": f"#{n}", "amount": n, "currency": "EUR"},
            )
    sent_by: Counter[str] = Counter()
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        own_engine = make_engine(database_url, pool_size=2)
        sender = WebhookSender(timeout=5, allow_private=True)

        def send(outgoing: Outgoing) -> Outcome:
            sent_by[name] += 1
            return sender(outgoing)

        deadline = time.monotonic() + 60
        try:
            while _delivered(engine) < EVENTS and time.monotonic() < deadline:
                drain(
                    own_engine,
                    now=datetime.now(UTC),
                    send=send,
                    secret_key=TEST_SECRET_KEY,
                    batch=10,
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            sender.close()
            own_engine.dispose()

    workers = [threading.Thread(target=worker, args=(n,)) for n in ("one", "two")]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    assert errors == []
    ids = receiver.ids()
    assert len(ids) == EVENTS
    assert len(set(ids)) == EVENTS
    assert sent_by["one"] + sent_by["two"] == EVENTS
    assert sent_by["one"] > 0 and sent_by["two"] > 0, sent_by
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(WebhookAttempt)) == EVENTS


def _delivered(engine: Engine) -> int:
    with Session(engine) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(WebhookDelivery)
                .where(WebhookDelivery.status == "succeeded")
            )
            or 0
        )


@pytest.mark.skipif(POSTGRES_URL is None, reason="SKIP LOCKED is PostgreSQL's")
def test_a_claim_skips_rows_another_worker_has_locked_instead_of_waiting(
    sam: Caller, engine: Engine, receiver: Receiver
) -> None:
    home = hooked(sam, receiver.url, events=["expense.created"])
    home.spend()
    home.spend()
    at = datetime.now(UTC)
    with unit_of_work(engine) as session:
        fan_out(session, now=at)
    first = Session(engine)
    try:
        # Locked until `first` ends.
        mine = claim_due(first, now=at, limit=1, secret_key=TEST_SECRET_KEY)
        started = time.monotonic()
        with unit_of_work(engine) as second:
            theirs = claim_due(second, now=at, limit=10, secret_key=TEST_SECRET_KEY)
        assert time.monotonic() - started < 1
        assert len(mine) == len(theirs) == 1
        assert mine[0].delivery_id != theirs[0].delivery_id
    finally:
        first.rollback()
        first.close()
