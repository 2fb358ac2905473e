"""Reminders reach people: Apprise targets per member (sealed at rest, shown masked), the
reminders each wants, quiet hours in household time; delivered to a local receiver through
Apprise's `json://`."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.reminders.models import NotificationTarget
from tests.api.chores_builders import Home, create_chore, freeze, home_of_two, occurrences
from tests.api.conftest import PASSWORD, Caller, assert_problem
from tests.api.reminder_builders import (
    apprise_url,
    notifications,
    notify,
    remind,
    reminder_settings,
    worker_settings_fixture,
)
from tests.integrations.receiver import Receiver, Reply, running_receiver

settings = reminder_settings
worker_settings = worker_settings_fixture  # autouse: the jobs read the environment
MORNING = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 07:00 in Berlin


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        receiver.answer(Reply(status=200))  # Apprise's json:// takes only 200 as sent
        yield receiver


@pytest.fixture
def home(app: FastAPI, sam: Caller, alex: Caller) -> Home:
    freeze(app)
    return home_of_two(sam, alex)


def targets_url(home: Home, member_id: str) -> str:
    return home.url(f"members/{member_id}/notification-targets")


def add_target(caller: Caller, home: Home, member_id: str, **body: Any) -> dict[str, Any]:
    response = caller.post(targets_url(home, member_id), json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def sams_dishes(sam: Caller, home: Home) -> None:
    create_chore(sam, home, assignment={"strategy": "fixed", "member_id": home.sam})
    occurrences(sam, home)


def test_a_reminder_reaches_the_member_through_apprise(
    sam: Caller, home: Home, engine: Engine, receiver: Receiver
) -> None:
    add_target(sam, home, home.sam, url=apprise_url(receiver), reminders=["chore.due"])
    sams_dishes(sam, home)
    remind(engine, MORNING)
    assert notify(engine, MORNING) == 1
    [sent] = notifications(receiver)
    assert sent["title"] == "Dishes is due today"
    assert "Dishes is yours today" in sent["message"]
    assert notify(engine, MORNING + timedelta(minutes=5)) == 0
    assert len(receiver.received) == 1


def test_quiet_hours_hold_a_reminder_until_they_end(
    sam: Caller, home: Home, engine: Engine, receiver: Receiver
) -> None:
    add_target(sam, home, home.sam, url=apprise_url(receiver), quiet_from="21:30", quiet_to="08:15")
    sams_dishes(sam, home)
    remind(engine, MORNING)
    assert notify(engine, MORNING) == 0
    assert notify(engine, MORNING + timedelta(hours=1, minutes=14)) == 0  # 08:14 in Berlin
    assert notify(engine, MORNING + timedelta(hours=1, minutes=15)) == 1
    assert len(receiver.received) == 1


def test_only_the_reminders_chosen_are_sent(
    sam: Caller, home: Home, engine: Engine, receiver: Receiver
) -> None:
    add_target(sam, home, home.sam, url=apprise_url(receiver), reminders=["check_in.due"])
    sams_dishes(sam, home)
    remind(engine, MORNING)
    assert notify(engine, MORNING) == 0
    assert receiver.received == []


def test_a_failing_target_is_retried_with_backoff(
    sam: Caller, home: Home, engine: Engine, receiver: Receiver
) -> None:
    receiver.answer(Reply(status=500))
    add_target(sam, home, home.sam, url=apprise_url(receiver))
    sams_dishes(sam, home)
    remind(engine, MORNING)
    assert notify(engine, MORNING) == 0
    assert notify(engine, MORNING + timedelta(minutes=1)) == 0  # backing off: not tried
    assert len(receiver.received) == 1
    receiver.answer(Reply(status=200))
    assert notify(engine, MORNING + timedelta(minutes=6)) == 1
    assert len(receiver.received) == 2


def test_the_url_is_sealed_at_rest_and_shown_masked(
    sam: Caller, home: Home, engine: Engine
) -> None:
    secret_url = "ntfys://sam:hunter2-password@ntfy.example.org/chores"
    target = add_target(sam, home, home.sam, url=secret_url, label="Phone")
    assert "hunter2" not in str(target) and "chores" not in str(target)
    assert target["url_masked"] == "ntfys://sam:****@ntfy.example.org/c…s"
    listed = sam.get(targets_url(home, home.sam)).json()["data"]
    assert [t["id"] for t in listed] == [target["id"]] and "hunter2" not in str(listed)
    with Session(engine) as session:
        row = session.scalars(select(NotificationTarget)).one()
    assert "hunter2" not in row.url_sealed and "ntfy" not in row.url_sealed
    assert target["reminders"] == [
        "chore.due",
        "chore.overdue",
        "decision.closing_soon",
        "proposal.awaiting_response",
        "check_in.due",
    ]


def test_targets_can_be_changed_and_removed(sam: Caller, home: Home) -> None:
    target = add_target(sam, home, home.sam, url="ntfy://ntfy.example.org/a")
    url = f"{targets_url(home, home.sam)}/{target['id']}"
    etag = sam.get(url).headers["etag"]
    changed = sam.patch(
        url,
        json={"reminders": ["chore.overdue"], "quiet_from": "22:00", "quiet_to": "07:00"},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["reminders"] == ["chore.overdue"]
    assert_problem(sam.patch(url, json={"label": "x"}, headers={"If-Match": etag}), 412)
    assert_problem(sam.patch(url, json={"quiet_from": None}), 422, field="quiet_to")
    cleared = sam.patch(url, json={"quiet_from": None, "quiet_to": None})
    assert cleared.status_code == 200 and cleared.json()["quiet_from"] is None
    assert sam.delete(url).status_code == 204
    assert_problem(sam.get(url), 404)


def test_a_member_cannot_see_anothers_targets(sam: Caller, alex: Caller, home: Home) -> None:
    add_target(sam, home, home.sam, url="ntfy://ntfy.example.org/a")
    assert_problem(alex.get(targets_url(home, home.sam)), 403)
    assert_problem(alex.post(targets_url(home, home.sam), json={"url": "ntfy://x.org/a"}), 403)
    # Sam, an admin, may add targets for a managed member; not for Alex, who has an account.
    kid = sam.member(home.id, display_name="Kid")
    add_target(sam, home, kid["id"], url="ntfy://ntfy.example.org/kid")
    assert_problem(sam.get(targets_url(home, home.alex)), 403)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "url"),
        ({"url": "not a url at all"}, "url"),
        ({"url": 5}, "url"),
        ({"url": "json://127.0.0.1/x", "reminders": ["chore.soon"]}, "reminders.0"),
        ({"url": "json://127.0.0.1/x", "reminders": []}, "reminders"),
        ({"url": "json://127.0.0.1/x", "quiet_from": "22:00"}, "quiet_to"),
        ({"url": "json://127.0.0.1/x", "quiet_from": "25:00", "quiet_to": "07:00"}, "quiet_from"),
        ({"url": "json://127.0.0.1/x", "member_id": "x"}, "member_id"),
        ({"url": "json://127.0.0.1/" + "x" * 2000}, "url"),
    ],
)
def test_bad_targets_are_422(sam: Caller, home: Home, body: dict[str, Any], field: str) -> None:
    assert_problem(sam.post(targets_url(home, home.sam), json=body), 422, field=field)


def test_at_most_ten_targets_per_member(sam: Caller, home: Home) -> None:
    for i in range(10):
        add_target(sam, home, home.sam, url=f"ntfy://ntfy.example.org/t{i}")
    assert_problem(sam.post(targets_url(home, home.sam), json={"url": "ntfy://x.org/b"}), 422)


def test_deleting_the_account_deletes_its_targets(
    sam: Caller, alex: Caller, home: Home, engine: Engine
) -> None:
    add_target(alex, home, home.alex, url="ntfy://ntfy.example.org/alex")
    add_target(sam, home, home.sam, url="ntfy://ntfy.example.org/sam")
    wrong = alex.request("DELETE", "/v1/me", json={"current_password": "not the password"})
    assert_problem(wrong, 403)
    with Session(engine) as session:
        assert len(session.scalars(select(NotificationTarget)).all()) == 2
    gone = alex.request("DELETE", "/v1/me", json={"current_password": PASSWORD})
    assert gone.status_code == 204, gone.text
    with Session(engine) as session:
        left = session.scalars(select(NotificationTarget)).all()
    assert [t.member_id for t in left] == [home.sam]


def test_the_export_lists_a_members_targets_masked_never_sealed(sam: Caller, home: Home) -> None:
    secret_url = "ntfys://sam:hunter2-password@ntfy.example.org/chores"
    target = add_target(sam, home, home.sam, url=secret_url, label="Phone")
    export = sam.get("/v1/me/export")
    assert export.status_code == 200, export.text
    [membership] = [m for m in export.json()["memberships"] if m["member"]["id"] == home.sam]
    [row] = membership["records"]["notification_targets"]
    assert row["id"] == target["id"] and row["url_masked"] == target["url_masked"]
    assert "url_sealed" not in row and "hunter2" not in export.text
