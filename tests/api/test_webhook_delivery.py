"""Delivery end to end: API change → event → outbox → a real HTTP receiver; what is sent,
to whom, and how deliveries are listed, redelivered and forgotten."""

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from domain.db import unit_of_work
from domain.hooks.deliveries import prune
from domain.hooks.models import WebhookAttempt, WebhookDelivery
from domain.hooks.outbox import Outgoing, claim_due, fan_out
from integrations.webhooks import WebhookSender
from tests.api.conftest import TEST_SECRET_KEY, Caller, assert_problem, count
from tests.api.hook_builders import (  # noqa: F401  (the fixtures: receiver, sender, settings)
    deliver,
    hooked,
    receiver_fixture,
    sender_fixture,
    settings_allowing_127_0_0_1,
)
from tests.integrations.receiver import Receiver, Reply


def now() -> datetime:
    return datetime.now(UTC)


def test_an_expense_reaches_the_receiver_signed_and_in_the_documented_shape(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    home = hooked(sam, receiver.url)
    expense = home.spend(1250, "Milk")
    assert deliver(engine, sender, now()) == 1
    [request] = receiver.received
    body = Webhook(home.webhook["secret"]).verify(request.body, request.headers)
    assert body["type"] == "expense.created"
    assert body["data"] == {
        "description": "Milk",
        "amount": 1250,
        "currency": "EUR",
        "id": body["data"]["id"],
        "household_id": home.household_id,
        "subject_id": expense["id"],
        "actor_member_id": home.member_id,
        "on_behalf_of_member_id": None,
    }
    assert datetime.fromisoformat(body["timestamp"]) <= now()
    [delivery] = home.deliveries()
    assert delivery["id"] == request.headers["webhook-id"]
    assert delivery["status"] == "succeeded"
    assert delivery["payload"] == body
    [attempt] = delivery["attempts"]
    assert attempt["status_code"] == 204 and attempt["error"] is None
    assert attempt["duration_ms"] >= 0


def test_redelivery_sends_the_same_message_again(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    home = hooked(sam, receiver.url)
    home.spend()
    deliver(engine, sender, now())
    [delivery] = home.deliveries()
    again = sam.post(f"{home.webhook_url}/deliveries/{delivery['id']}/redeliver")
    assert again.status_code == 202, again.text
    assert again.json()["status"] == "pending" and again.json()["attempt_count"] == 0
    assert deliver(engine, sender, now()) == 1
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery["id"]
    assert first.body == second.body
    assert len(home.deliveries()[0]["attempts"]) == 2


def test_redelivery_needs_an_enabled_webhook_and_a_delivery_of_it(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    home = hooked(sam, receiver.url)
    home.spend()
    deliver(engine, sender, now())
    [delivery] = home.deliveries()
    assert_problem(sam.post(f"{home.webhook_url}/deliveries/{home.webhook['id']}/redeliver"), 404)
    sam.patch(home.webhook_url, json={"enabled": False})
    response = sam.post(f"{home.webhook_url}/deliveries/{delivery['id']}/redeliver")
    assert_problem(response, 409)


def test_only_the_event_types_subscribed_to_are_sent(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    home = hooked(sam, receiver.url, events=["settlement.created"])
    robin = sam.member(home.household_id, display_name="Robin")
    home.spend()
    settled = sam.post(
        home.url("/settlements"),
        json={
            "from_member_id": robin["id"],
            "to_member_id": home.member_id,
            "amount": 600,
            "currency": "EUR",
            "date": "2026-03-02",
        },
    )
    assert settled.status_code == 201, settled.text
    deliver(engine, sender, now())
    assert [json.loads(r.body)["type"] for r in receiver.received] == ["settlement.created"]


def test_events_from_before_the_webhook_existed_are_not_sent(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    household = sam.household()
    members = sam.get(f"/v1/households/{household['id']}/members").json()["data"]
    sam.post(
        f"/v1/households/{household['id']}/expenses",
        json={
            "description": "Old",
            "amount": 100,
            "currency": "EUR",
            "paid_by": members[0]["id"],
            "date": "2026-03-01",
        },
    )
    sam.post(
        f"/v1/households/{household['id']}/webhooks",
        json={"url": receiver.url, "events": ["expense.*"]},
    )
    assert deliver(engine, sender, now()) == 0


def test_deleting_a_webhook_drops_its_pending_deliveries(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    receiver.answer(Reply(status=500))
    home = hooked(sam, receiver.url)
    home.spend()
    deliver(engine, sender, now())
    assert count(engine, WebhookDelivery) == 1
    assert sam.delete(home.webhook_url).status_code == 204
    assert count(engine, WebhookDelivery) == 0
    assert deliver(engine, sender, now() + timedelta(days=1)) == 0


def test_deliveries_are_listed_newest_first_filtered_by_status_and_paged(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    receiver.answer(lambda r: Reply(status=500 if b"Bad" in r.body else 204))
    home = hooked(sam, receiver.url)
    for description in ("Good 1", "Bad", "Good 2"):
        home.spend(description=description)
    deliver(engine, sender, now())
    all_ = home.deliveries()
    assert [d["payload"]["data"]["description"] for d in all_] == ["Good 2", "Bad", "Good 1"]
    assert [d["status"] for d in home.deliveries(status="pending")] == ["pending"]
    first = sam.get(f"{home.webhook_url}/deliveries", params={"limit": 2}).json()
    rest = sam.get(
        f"{home.webhook_url}/deliveries", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [d["id"] for d in first["data"] + rest["data"]] == [d["id"] for d in all_]
    assert rest["next_cursor"] is None
    assert_problem(sam.get(f"{home.webhook_url}/deliveries", params={"status": "lost"}), 422)


def test_after_a_rotation_deliveries_verify_with_either_secret(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    home = hooked(sam, receiver.url)
    new = sam.post(f"{home.webhook_url}/rotate-secret").json()["secret"]
    home.spend()
    deliver(engine, sender, now())
    [request] = receiver.received
    Webhook(new).verify(request.body, request.headers)
    Webhook(home.webhook["secret"]).verify(request.body, request.headers)
    later = now() + timedelta(hours=25)
    home.spend()
    [outgoing] = _claim(engine, later)
    assert len(outgoing.secrets) == 1


def _claim(engine: Engine, at: datetime) -> list[Outgoing]:
    """What a worker would send at `at`, without sending it."""
    with Session(engine) as session:
        fan_out(session, now=at)
        claimed = claim_due(session, now=at, limit=10, secret_key=TEST_SECRET_KEY)
        session.rollback()
    return claimed


def test_finished_deliveries_are_forgotten_after_the_retention_but_pending_ones_stay(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    receiver.answer(lambda r: Reply(status=500 if b"Bad" in r.body else 204))
    home = hooked(sam, receiver.url)
    home.spend(description="Good")
    home.spend(description="Bad")
    at = now()
    deliver(engine, sender, at)
    with unit_of_work(engine) as session:
        assert prune(session, now=at + timedelta(days=29), keep=timedelta(days=30)) == 0
        assert prune(session, now=at + timedelta(days=31), keep=timedelta(days=30)) == 1
    [left] = home.deliveries()
    assert left["payload"]["data"]["description"] == "Bad"
    assert count(engine, WebhookAttempt) == 1
