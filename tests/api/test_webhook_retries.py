"""When delivery goes wrong: retries and backoff, 410, misbehaving receivers, crashed
workers and late commits — with a clock the test controls."""

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from domain.activity.models import Event
from domain.db import make_engine, unit_of_work
from domain.hooks.outbox import LEASE, claim_due, fan_out, settle
from domain.hooks.schedule import MAX_ATTEMPTS, RETRY_DELAYS, Outcome
from integrations.webhooks import WebhookSender
from tests.api.conftest import TEST_SECRET_KEY, Caller
from tests.api.hook_builders import (  # noqa: F401  (the fixtures: receiver, sender, settings)
    deliver,
    hooked,
    receiver_fixture,
    sender_fixture,
    settings_allowing_127_0_0_1,
    uuid7_at,
)
from tests.integrations.receiver import Receiver, Reply


def now() -> datetime:
    return datetime.now(UTC)


def test_failures_follow_the_standard_webhooks_schedule_then_fail(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    receiver.answer(Reply(status=500, body=b"try later"))
    home = hooked(sam, receiver.url)
    home.spend()
    at = now()
    assert deliver(engine, sender, at) == 1
    for delay in RETRY_DELAYS:
        [delivery] = home.deliveries()
        assert delivery["status"] == "pending"
        assert datetime.fromisoformat(delivery["next_attempt_at"]) == at + delay
        assert deliver(engine, sender, at + delay - timedelta(seconds=1)) == 0
        at += delay
        assert deliver(engine, sender, at) == 1
    [delivery] = home.deliveries()
    assert delivery["status"] == "failed"
    assert delivery["next_attempt_at"] is None
    assert delivery["attempt_count"] == MAX_ATTEMPTS == 8
    assert [a["status_code"] for a in delivery["attempts"]] == [500] * 8
    assert delivery["attempts"][0]["response_excerpt"] == "try later"
    assert delivery["attempts"][0]["next_attempt_at"] is None
    assert deliver(engine, sender, at + timedelta(days=30)) == 0
    assert len(receiver.received) == 8
    assert sum(RETRY_DELAYS, timedelta()) == timedelta(hours=27, minutes=35, seconds=5)


def test_a_receiver_that_recovers_gets_the_delivery_on_the_next_retry(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    replies = iter([Reply(status=503), Reply(status=200, body=b"ok")])
    receiver.answer(lambda _: next(replies))
    home = hooked(sam, receiver.url)
    home.spend()
    at = now()
    deliver(engine, sender, at)
    deliver(engine, sender, at + RETRY_DELAYS[0])
    [delivery] = home.deliveries()
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [200, 503]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1


def test_410_gone_turns_the_webhook_off(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    receiver.answer(Reply(status=410))
    home = hooked(sam, receiver.url)
    home.spend()
    deliver(engine, sender, now())
    webhook = sam.get(home.webhook_url).json()
    assert webhook["enabled"] is False
    assert "410" in webhook["disabled_reason"]
    assert home.deliveries()[0]["status"] == "failed"
    feed = sam.get(home.url("/activity")).json()["data"]
    assert feed[0]["type"] == "webhook.disabled" and feed[0]["actor_member_id"] is None
    home.spend()
    assert deliver(engine, sender, now() + timedelta(hours=1)) == 0
    assert len(receiver.received) == 1


def test_hangs_resets_and_redirects_are_recorded_and_retried_and_others_still_delivered(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    def answer(request: object) -> Reply:
        path = getattr(request, "path", "")
        return {
            "/hook/hang": Reply(delay=3.0),
            "/hook/reset": Reply(reset=True),
            "/hook/redirect": Reply(status=307, headers={"location": "http://10.0.0.1/"}),
        }.get(path, Reply())

    receiver.answer(answer)
    home = hooked(sam, receiver.url + "/hang")
    for path in ("/reset", "/redirect", ""):
        created = sam.post(
            home.url("/webhooks"), json={"url": receiver.url + path, "events": ["expense.*"]}
        )
        assert created.status_code == 201
    home.spend()
    at = now()
    assert deliver(engine, sender, at) == 4
    errors = {}
    for webhook in sam.get(home.url("/webhooks")).json()["data"]:
        [delivery] = sam.get(home.url(f"/webhooks/{webhook['id']}/deliveries")).json()["data"]
        errors[webhook["url"].removeprefix(receiver.url)] = (
            delivery["status"],
            delivery["attempts"][0]["error"] or "",
            delivery["next_attempt_at"],
        )
    assert errors[""][0] == "succeeded"
    assert "timed out" in errors["/hang"][1]
    assert "not followed" in errors["/redirect"][1]
    assert errors["/reset"][1]
    for path in ("/hang", "/reset", "/redirect"):
        status, _, next_attempt_at = errors[path]
        assert status == "pending"
        assert datetime.fromisoformat(next_attempt_at) == at + RETRY_DELAYS[0]


def test_an_event_committed_before_a_crash_is_delivered_by_the_next_worker(
    sam: Caller, database_url: str, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    home = hooked(sam, receiver.url)
    home.spend()  # committed; no worker ran, as if the process died right after the commit
    restarted = make_engine(database_url)
    try:
        assert deliver(restarted, sender, now()) == 1
    finally:
        restarted.dispose()
    assert len(receiver.received) == 1


def test_a_delivery_claimed_by_a_worker_that_died_is_delivered_after_the_lease(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    home = hooked(sam, receiver.url)
    home.spend()
    at = now()
    with unit_of_work(engine) as session:
        fan_out(session, now=at)
        # ... and the worker dies here
        [dead] = claim_due(session, now=at, limit=10, secret_key=TEST_SECRET_KEY)
    assert deliver(engine, sender, at + LEASE - timedelta(seconds=1)) == 0
    assert deliver(engine, sender, at + LEASE) == 1
    assert len(receiver.received) == 1
    with unit_of_work(engine) as session:  # the dead worker's late word changes nothing
        settle(session, results=[(dead, Outcome(500, 10))], now=at + LEASE)
    [delivery] = home.deliveries()
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 204]


def test_an_event_that_commits_after_a_newer_one_was_delivered_is_still_delivered(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    """Ids are made before commit: a slow transaction's event can show up with a smaller id
    than events already delivered. The watermark trails the clock, so it is not skipped."""
    home = hooked(sam, receiver.url)
    home.spend(100, "First")
    assert deliver(engine, sender, now()) == 1
    with unit_of_work(engine) as session:
        newest = session.scalars(select(Event).order_by(Event.id.desc())).first()
        assert newest is not None
        session.add(
            Event(
                id=uuid7_at(newest.created_at - timedelta(milliseconds=5)),
                household_id=home.household_id,
                type="expense.created",
                subject_id=None,
                data={"description": "Slow", "amount": 5, "currency": "EUR"},
            )
        )
    assert deliver(engine, sender, now() + timedelta(minutes=1)) == 1
    assert [json.loads(r.body)["data"]["description"] for r in receiver.received] == [
        "First",
        "Slow",
    ]
