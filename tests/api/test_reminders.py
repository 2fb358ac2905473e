"""Reminders: the worker finds what is due and records each reminder once, as an event for
webhooks and MQTT; a worker that was down sends what is still relevant once, not a flood."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from domain.reminders.models import SentReminder
from tests.api.chores_builders import (
    NOW,
    TODAY,
    Home,
    create_chore,
    freeze,
    home_of_two,
    occurrences,
)
from tests.api.conftest import Caller, count
from tests.api.hook_builders import deliver
from tests.api.reminder_builders import (
    remind,
    reminder_settings,
    reminders,
    worker_settings_fixture,
)
from tests.integrations.receiver import running_receiver

settings = reminder_settings  # the fixture, under the name the app fixture asks for
worker_settings = worker_settings_fixture  # autouse: the jobs read the environment
MORNING = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 07:00 in Berlin


@pytest.fixture
def home(app: FastAPI, sam: Caller, alex: Caller) -> Home:
    freeze(app)
    return home_of_two(sam, alex)


def sams_dishes(sam: Caller, home: Home) -> dict[str, Any]:
    chore = create_chore(sam, home, assignment={"strategy": "fixed", "member_id": home.sam})
    occurrences(sam, home)  # the horizon, as the worker's chore job makes it
    return chore


def test_chore_due_comes_that_morning_once(sam: Caller, home: Home, engine: Engine) -> None:
    chore = sams_dishes(sam, home)
    assert remind(engine, MORNING - timedelta(minutes=1)) == 0
    assert remind(engine, MORNING) == 1
    assert remind(engine, MORNING + timedelta(hours=1)) == 0
    [due] = reminders(engine, "chore.due")
    assert due["member_id"] == home.sam and due["chore_id"] == chore["id"]
    assert due["due_on"] == TODAY.isoformat() and due["chore_name"] == "Dishes"
    feed = sam.get(home.url("activity")).json()["data"]
    assert feed[0]["type"] == "chore.due"


def test_a_done_chore_is_not_reminded(sam: Caller, home: Home, engine: Engine) -> None:
    sams_dishes(sam, home)
    today = occurrences(sam, home, to=TODAY.isoformat())[0]
    done = sam.post(home.url(f"chore-occurrences/{today['id']}/complete"), json={})
    assert done.status_code == 200, done.text
    assert remind(engine, MORNING) == 0
    assert remind(engine, MORNING + timedelta(days=1)) == 1  # tomorrow's, due then
    assert reminders(engine, "chore.overdue") == []


def test_an_open_chore_is_overdue_the_next_day(sam: Caller, home: Home, engine: Engine) -> None:
    sams_dishes(sam, home)
    remind(engine, MORNING)
    assert remind(engine, datetime(2026, 3, 2, 23, 30, tzinfo=UTC)) == 1  # 00:30 on the 3rd
    [overdue] = reminders(engine, "chore.overdue")
    assert overdue["due_on"] == TODAY.isoformat() and overdue["member_id"] == home.sam
    assert remind(engine, datetime(2026, 3, 3, 22, 0, tzinfo=UTC)) == 1  # the 3rd's, only


def test_a_worker_back_after_ten_days_sends_what_is_relevant_once(
    sam: Caller, home: Home, engine: Engine
) -> None:
    sams_dishes(sam, home)
    back = MORNING + timedelta(days=10)
    # Today's chore.due and the last three days' chore.overdue: not ten of each.
    assert remind(engine, back) == 4
    assert [r["due_on"] for r in reminders(engine, "chore.overdue")] == [
        (TODAY + timedelta(days=d)).isoformat() for d in (7, 8, 9)
    ]
    assert [r["due_on"] for r in reminders(engine, "chore.due")] == ["2026-03-12"]
    assert remind(engine, back) == 0


def test_closing_soon_reaches_only_those_who_have_not_voted(
    sam: Caller, alex: Caller, home: Home, engine: Engine
) -> None:
    decision = sam.post(
        home.url("decisions"),
        json={
            "title": "Holiday",
            "method": "majority",
            "options": ["Sea", "Hills"],
            "ballot": "secret",
            "closes_at": (NOW + timedelta(hours=30)).isoformat(),
        },
    ).json()
    sea = decision["options"][0]["id"]
    voted = alex.put(
        home.url(f"decisions/{decision['id']}/votes/{home.alex}"), json={"option_id": sea}
    )
    assert voted.status_code == 200, voted.text
    assert remind(engine, NOW) == 0  # 30 hours ahead: not yet
    assert remind(engine, NOW + timedelta(hours=7)) == 1
    assert remind(engine, NOW + timedelta(hours=8)) == 0
    [soon] = reminders(engine, "decision.closing_soon")
    assert soon["member_id"] == home.sam and soon["subject_id"] == decision["id"]
    assert remind(engine, NOW + timedelta(hours=31)) == 0  # closed: nothing more


def test_a_proposal_waiting_is_reminded_after_each_quiet_interval(
    sam: Caller, home: Home, engine: Engine
) -> None:
    asked = sam.put(home.url("agreement"), json={"period": "week"})
    assert asked.status_code == 202, asked.text
    proposal = asked.json()
    waiting = set(proposal["affected_member_ids"]) - {r["member_id"] for r in proposal["responses"]}
    assert waiting == {home.alex}
    since = datetime.fromisoformat(proposal["created_at"])  # the real clock's, as stored
    assert remind(engine, since + timedelta(hours=47)) == 0
    assert remind(engine, since + timedelta(hours=48)) == 1
    assert remind(engine, since + timedelta(hours=60)) == 0
    assert remind(engine, since + timedelta(hours=96)) == 1
    # Back after three weeks: one more reminder, not the eight it missed.
    assert remind(engine, since + timedelta(days=21)) == 1
    assert [r["reminder"] for r in reminders(engine, "proposal.awaiting_response")] == [1, 2, 10]
    assert {r["member_id"] for r in reminders(engine, "proposal.awaiting_response")} == {home.alex}


def test_check_ins_are_due_only_with_a_rhythm(
    sam: Caller, alex: Caller, home: Home, engine: Engine, app: FastAPI
) -> None:
    # Members are stamped with the request's clock (frozen at NOW): count the rhythm from there.
    start = NOW.replace(hour=11) + timedelta(days=1)
    day = start.date()
    assert remind(engine, start + timedelta(days=30)) == 0
    set_rhythm = sam.patch(home.url("").rstrip("/"), json={"check_in_every_days": 7})
    assert set_rhythm.status_code == 200, set_rhythm.text
    assert set_rhythm.json()["check_in_every_days"] == 7
    assert remind(engine, start + timedelta(days=5)) == 0
    assert remind(engine, start + timedelta(days=6)) == 2
    freeze(app, start + timedelta(days=6))
    checked = alex.post(
        home.url("check-ins"), json={"member_id": home.alex, "fairness": 4, "heard": 4}
    )
    assert checked.status_code == 201, checked.text
    assert remind(engine, start + timedelta(days=12)) == 0
    assert remind(engine, start + timedelta(days=13)) == 1  # Alex's next; Sam's stays sent
    assert [r["due_on"] for r in reminders(engine, "check_in.due")] == [
        (day + timedelta(days=d)).isoformat() for d in (6, 6, 13)
    ]
    assert count(engine, SentReminder) == 3


@pytest.mark.parametrize("value", [0, 366, 1.5, "7", True])
def test_a_bad_rhythm_is_422(sam: Caller, home: Home, value: Any) -> None:
    response = sam.patch(home.url("").rstrip("/"), json={"check_in_every_days": value})
    assert response.status_code == 422, response.text


def test_reminders_go_out_as_webhooks(sam: Caller, home: Home, engine: Engine) -> None:
    from integrations.webhooks import WebhookSender

    with running_receiver() as receiver:
        hook = sam.post(home.url("webhooks"), json={"url": receiver.url, "events": ["chore.*"]})
        assert hook.status_code == 201, hook.text
        sams_dishes(sam, home)
        remind(engine, MORNING)
        sender = WebhookSender(timeout=1.0, allow_private=True)
        try:
            deliver(engine, sender, MORNING)
        finally:
            sender.close()
        kinds = [r.headers.get("webhook-id") and r.body for r in receiver.received]
        assert any(b'"type":"chore.due"' in body.replace(b" ", b"") for body in kinds)
