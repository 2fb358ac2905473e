"""MQTT against the real Mosquitto on 127.0.0.1:1883: Home Assistant discovery, retained
state, events (reminders too), the birth message, one publisher at a time, and a broker that
goes away.

Every test uses its own topic prefixes and clears what it retained, so runs (and other
people's runs on the same broker) do not see each other's messages."""

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from domain.db import unit_of_work
from domain.hooks.feed import LEASE
from domain.ids import new_id
from domain.reminders.emitting import send_due_reminders
from domain.settings import Settings
from integrations.mqtt import MqttBridge
from tests.api.conftest import Caller, sign_up
from tests.integrations.mqtt_helpers import Proxy, Subscriber, clear_retained, require_broker


@pytest.fixture(autouse=True)
def broker() -> None:
    require_broker()


@pytest.fixture
def prefixes() -> Iterator[tuple[str, str]]:
    run = new_id()[-8:]
    yield f"fstest-{run}", f"hatest-{run}"


@pytest.fixture
def caller(database_url: str, engine: Engine) -> Iterator[Caller]:
    app = create_app(Settings(database_url=database_url, deliver_in_process=False), engine=engine)
    with TestClient(app) as client:
        yield sign_up(client)


@pytest.fixture
def subscriber(prefixes: tuple[str, str]) -> Iterator[Subscriber]:
    topic_prefix, discovery_prefix = prefixes
    subscriber = Subscriber(f"{topic_prefix}/#", f"{discovery_prefix}/#")
    yield subscriber
    subscriber.close()
    retained = ("/config", "/state", "/status")
    clear_retained(sorted({m.topic for m in subscriber.messages if m.topic.endswith(retained)}))


def bridge(engine: Engine, prefixes: tuple[str, str], port: int = 1883) -> MqttBridge:
    topic_prefix, discovery_prefix = prefixes
    return MqttBridge(
        url=f"mqtt://127.0.0.1:{port}",
        engine=engine,
        topic_prefix=topic_prefix,
        discovery_prefix=discovery_prefix,
        max_reconnect_delay=1,
    )


def connected(publisher: MqttBridge, timeout: float = 10) -> None:
    """Take the lease, connect, and publish whatever is already pending."""
    deadline = time.monotonic() + timeout
    publisher.publish_pending(datetime.now(UTC))
    while not publisher.client.is_connected():
        assert time.monotonic() < deadline, "the bridge did not connect"
        time.sleep(0.05)


def household_with_an_expense(caller: Caller) -> tuple[str, dict[str, Any]]:
    home = caller.household(name="Flat")
    sam = caller.get(f"/v1/households/{home['id']}/members").json()["data"][0]["id"]
    robin = caller.member(home["id"], display_name="Robin")
    expense = caller.post(
        f"/v1/households/{home['id']}/expenses",
        json={
            "description": "Pizza",
            "amount": 1200,
            "currency": "EUR",
            "paid_by": sam,
            "date": "2026-03-01",
            "split": {
                "method": "equal",
                "participants": [{"member_id": sam}, {"member_id": robin["id"]}],
            },
        },
    )
    assert expense.status_code == 201, expense.text
    return home["id"], expense.json()


def test_discovery_state_and_events_reach_a_subscriber(
    engine: Engine, caller: Caller, prefixes: tuple[str, str], subscriber: Subscriber
) -> None:
    topic_prefix, discovery_prefix = prefixes
    publisher = bridge(engine, prefixes)
    try:
        connected(publisher)
        household_id, expense = household_with_an_expense(caller)
        assert publisher.publish_pending(datetime.now(UTC)) >= 3
    finally:
        publisher.close()

    assert subscriber.on(f"{topic_prefix}/status").payload in (b"online", b"offline")
    node = f"fairstead_{household_id.replace('-', '')}"
    config = subscriber.on(f"{discovery_prefix}/device/{node}/config").json()
    assert config["dev"]["ids"] == [node]
    assert config["dev"]["name"] == "Fairstead Flat"
    assert config["availability_topic"] == f"{topic_prefix}/status"
    assert set(config["cmps"]) == {
        "overall_score",
        "money_score",
        "time_score",
        "open_proposals",
        "largest_balance",
        "headline",
        "goal_name",
        "goal_progress",
        "goal_remaining",
        "goal_monthly_needed",
    }
    balance = config["cmps"]["largest_balance"]
    assert balance["p"] == "sensor"
    assert balance["state_topic"] == f"{topic_prefix}/{household_id}/state"
    assert balance["unit_of_measurement"] == "EUR"
    assert balance["value_template"] == "{{ value_json.largest_balance }}"
    assert balance["unique_id"] == f"{node}_largest_balance"

    state = subscriber.on(f"{topic_prefix}/{household_id}/state").json()
    summary = caller.get(f"/v1/households/{household_id}/fairness/summary").json()
    assert {k: v for k, v in state.items() if k != "updated_at"} == summary
    assert state["largest_balance"] == 6.0
    assert state["currency"] == "EUR"

    event = subscriber.on(f"{topic_prefix}/{household_id}/events/expense.created").json()
    assert event["type"] == "expense.created"
    assert event["data"]["subject_id"] == expense["id"]
    assert event["data"]["amount"] == 1200

    late = Subscriber(f"{topic_prefix}/{household_id}/state", f"{discovery_prefix}/device/#")
    try:
        assert late.on(f"{topic_prefix}/{household_id}/state").retain
        assert late.on(f"{discovery_prefix}/device/{node}/config").retain
    finally:
        late.close()
    assert subscriber.on(f"{topic_prefix}/status").payload == b"offline"


def test_a_household_created_after_the_announcement_is_announced_at_once(
    engine: Engine, caller: Caller, prefixes: tuple[str, str], subscriber: Subscriber
) -> None:
    _, discovery_prefix = prefixes
    publisher = bridge(engine, prefixes)
    try:
        connected(publisher)
        deadline = time.monotonic() + 10
        while publisher._announce.is_set() or not publisher.client.is_connected():
            assert time.monotonic() < deadline, "the bridge never announced"
            publisher.publish_pending(datetime.now(UTC))
            time.sleep(0.05)
        household_id, _ = household_with_an_expense(caller)
        publisher.publish_pending(datetime.now(UTC))
    finally:
        publisher.close()
    node = f"fairstead_{household_id.replace('-', '')}"
    config = subscriber.on(f"{discovery_prefix}/device/{node}/config").json()
    assert config["dev"]["name"] == "Fairstead Flat"


def test_home_assistant_coming_online_gets_discovery_again(
    engine: Engine, caller: Caller, prefixes: tuple[str, str], subscriber: Subscriber
) -> None:
    topic_prefix, discovery_prefix = prefixes
    publisher = bridge(engine, prefixes)
    try:
        connected(publisher)
        household_id, _ = household_with_an_expense(caller)
        publisher.publish_pending(datetime.now(UTC))
        node = f"fairstead_{household_id.replace('-', '')}"
        config_topic = f"{discovery_prefix}/device/{node}/config"
        subscriber.on(config_topic)
        subscriber.messages.clear()
        publisher.publish_pending(datetime.now(UTC))
        time.sleep(0.3)
        assert not [m for m in subscriber.messages if m.topic == config_topic]

        publisher.client.publish(f"{discovery_prefix}/status", "online", qos=1).wait_for_publish(5)
        deadline = time.monotonic() + 10
        while not [m for m in subscriber.messages if m.topic == config_topic]:
            assert time.monotonic() < deadline, "discovery was not sent again"
            publisher.publish_pending(datetime.now(UTC))
            time.sleep(0.1)
        subscriber.on(f"{topic_prefix}/{household_id}/state")
    finally:
        publisher.close()


def test_events_recorded_while_the_broker_is_away_are_published_when_it_is_back(
    engine: Engine, caller: Caller, prefixes: tuple[str, str], subscriber: Subscriber
) -> None:
    topic_prefix, _ = prefixes
    proxy = Proxy()
    proxy.up()
    publisher = bridge(engine, prefixes, port=proxy.port)
    try:
        connected(publisher)
        proxy.down()
        deadline = time.monotonic() + 10
        while publisher.client.is_connected():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        household_id, _ = household_with_an_expense(caller)  # the API does not notice
        assert publisher.publish_pending(datetime.now(UTC)) == 0
        proxy.up()
        deadline = time.monotonic() + 15
        while publisher.publish_pending(datetime.now(UTC)) == 0:
            assert time.monotonic() < deadline, "publishing did not resume"
            time.sleep(0.2)
        subscriber.on(f"{topic_prefix}/{household_id}/events/expense.created")
        subscriber.on(f"{topic_prefix}/{household_id}/state")
    finally:
        publisher.close()
        proxy.down()


def test_an_unreachable_broker_costs_nothing(engine: Engine, prefixes: tuple[str, str]) -> None:
    publisher = bridge(engine, prefixes, port=1)
    try:
        started = time.monotonic()
        assert publisher.publish_pending(datetime.now(UTC)) == 0
        assert publisher.publish_pending(datetime.now(UTC)) == 0
        assert time.monotonic() - started < 2
    finally:
        publisher.close()


def test_one_process_publishes_at_a_time_and_another_takes_over(
    engine: Engine, caller: Caller, prefixes: tuple[str, str], subscriber: Subscriber
) -> None:
    topic_prefix, _ = prefixes
    first, second = bridge(engine, prefixes), bridge(engine, prefixes)
    try:
        connected(first)
        assert second.publish_pending(datetime.now(UTC)) == 0
        assert not second.client.is_connected()
        household_id, _ = household_with_an_expense(caller)
        assert first.publish_pending(datetime.now(UTC)) > 0
        first.close()  # ... and never renews its lease

        caller.post(f"/v1/households/{household_id}/members", json={"display_name": "Kim"})
        later = datetime.now(UTC) + LEASE + timedelta(seconds=1)
        deadline = time.monotonic() + 10
        while second.publish_pending(later) == 0:
            assert time.monotonic() < deadline, "the second process did not take over"
            time.sleep(0.1)
        subscriber.wait_for(
            lambda m: (
                m.topic == f"{topic_prefix}/{household_id}/events/member.created"
                and m.json()["data"]["display_name"] == "Kim"
            )
        )
        created = [m for m in subscriber.messages if m.topic.endswith("/expense.created")]
        assert len(created) == 1
    finally:
        first.close()
        second.close()


def test_a_first_start_publishes_no_history_only_what_happens_next(
    engine: Engine, caller: Caller, prefixes: tuple[str, str], subscriber: Subscriber
) -> None:
    topic_prefix, _ = prefixes
    household_id, old = household_with_an_expense(caller)  # minutes before MQTT is set up
    publisher = bridge(engine, prefixes)
    try:
        connected(publisher)
        assert publisher.publish_pending(datetime.now(UTC)) == 0
        sam = caller.get(f"/v1/households/{household_id}/members").json()["data"][-1]["id"]
        new = caller.post(
            f"/v1/households/{household_id}/expenses",
            json={
                "description": "Tea",
                "amount": 300,
                "currency": "EUR",
                "paid_by": sam,
                "date": "2026-03-02",
            },
        ).json()
        assert publisher.publish_pending(datetime.now(UTC)) == 1
    finally:
        publisher.close()
    event = subscriber.on(f"{topic_prefix}/{household_id}/events/expense.created").json()
    assert event["data"]["subject_id"] == new["id"] != old["id"]
    events = [m for m in subscriber.messages if "/events/" in m.topic]
    assert [m.topic.rsplit("/", 1)[-1] for m in events] == ["expense.created"]


def test_a_chore_due_reminder_is_published(
    engine: Engine, caller: Caller, prefixes: tuple[str, str], subscriber: Subscriber
) -> None:
    topic_prefix, _ = prefixes
    home = caller.household(name="Flat")
    sam = caller.get(f"/v1/households/{home['id']}/members").json()["data"][0]["id"]
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    chore = caller.post(
        f"/v1/households/{home['id']}/chores",
        json={
            "name": "Bins",
            "estimated_minutes": 5,
            "effort": 1,
            "load": "execution",
            "recurrence": "FREQ=DAILY",
            "starts_on": tomorrow.isoformat(),
            "assignment": {"strategy": "fixed", "member_id": sam},
        },
    )
    assert chore.status_code == 201, chore.text
    publisher = bridge(engine, prefixes)
    try:
        connected(publisher)
        with unit_of_work(engine) as session:
            noon = datetime.combine(tomorrow, clock(12), tzinfo=UTC)
            assert send_due_reminders(session, now=noon) == 1
        assert publisher.publish_pending(datetime.now(UTC)) >= 1
    finally:
        publisher.close()
    event = subscriber.on(f"{topic_prefix}/{home['id']}/events/chore.due").json()
    assert event["type"] == "chore.due"
    assert event["data"]["member_id"] == sam and event["data"]["chore_name"] == "Bins"
    assert event["data"]["due_on"] == tomorrow.isoformat()
