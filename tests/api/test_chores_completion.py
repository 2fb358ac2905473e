"""Completing, skipping and reassigning occurrences, and the one-call button completion."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.chores.models import ChoreOccurrence
from tests.api.chores_builders import (
    NOW,
    TODAY,
    Home,
    create_chore,
    freeze,
    home_of_two,
    occurrences,
)
from tests.api.conftest import Caller, assert_problem, count, fetch


def _events(engine: Engine, type: str) -> list[Event]:
    with Session(engine) as session:
        return list(session.scalars(select(Event).where(Event.type == type).order_by(Event.id)))


def _complete(caller: Caller, home: Home, occurrence_id: str, **body: Any) -> Any:
    return caller.post(home.url(f"chore-occurrences/{occurrence_id}/complete"), json=body)


def test_completing_defaults_to_the_caller_the_estimate_and_now(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home, estimated_minutes=25)
    occurrence = occurrences(sam, home)[0]
    response = sam.post(home.url(f"chore-occurrences/{occurrence['id']}/complete"))
    assert response.status_code == 200, response.text
    assert response.json() == {
        **occurrence,
        "status": "done",
        "completed_by_member_id": home.sam,
        "completed_at": "2026-03-02T09:00:00Z",
        "minutes": 25,
    }
    stored = fetch(engine, ChoreOccurrence, occurrence["id"])
    assert (stored.completed_on, stored.effort, stored.load) == (TODAY, 2, "execution")
    [event] = _events(engine, "chore.completed")
    assert (event.subject_id, event.actor_member_id, event.on_behalf_of_member_id) == (
        occurrence["id"],
        home.sam,
        None,
    )
    assert event.data == {
        "chore_id": occurrence["chore_id"],
        "due_on": "2026-03-02",
        "member_id": home.sam,
        "assigned_member_id": home.sam,
        "minutes": 25,
        "completed_at": "2026-03-02T09:00:00+00:00",
    }


def test_who_completed_it_is_kept_apart_from_who_it_was_assigned_to(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    sams = next(r for r in occurrences(sam, home) if r["assigned_member_id"] == home.sam)
    body = _complete(alex, home, sams["id"], minutes=40, completed_at="2026-03-02T08:15:00+01:00")
    assert body.status_code == 200, body.text
    done = body.json()
    assert (done["assigned_member_id"], done["completed_by_member_id"]) == (home.sam, home.alex)
    assert (done["minutes"], done["completed_at"]) == (40, "2026-03-02T07:15:00Z")


def test_completing_twice_returns_the_same_occurrence_and_records_one_event(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    clock = freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    occurrence = occurrences(sam, home)[0]
    first = _complete(sam, home, occurrence["id"])
    clock.set(NOW + timedelta(hours=1))
    second = _complete(sam, home, occurrence["id"])
    third = _complete(alex, home, occurrence["id"], minutes=99)
    assert first.status_code == second.status_code == third.status_code == 200
    assert first.json() == second.json() == third.json()
    assert first.headers["etag"] == third.headers["etag"]
    assert len(_events(engine, "chore.completed")) == 1
    assert fetch(engine, ChoreOccurrence, occurrence["id"]).minutes == 30


def test_an_admin_completes_for_a_managed_member_on_their_behalf(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    robin = sam.member(home.id, display_name="Robin")
    create_chore(sam, home)
    occurrence = occurrences(sam, home)[0]
    response = _complete(sam, home, occurrence["id"], member_id=robin["id"])
    assert response.json()["completed_by_member_id"] == robin["id"]
    [event] = _events(engine, "chore.completed")
    assert (event.actor_member_id, event.on_behalf_of_member_id) == (home.sam, robin["id"])


def test_a_member_cannot_complete_for_someone_else_with_an_account(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    robin = sam.member(home.id, display_name="Robin")
    create_chore(sam, home)
    occurrence = occurrences(sam, home)[0]
    assert_problem(_complete(alex, home, occurrence["id"], member_id=home.sam), 403)
    assert_problem(_complete(alex, home, occurrence["id"], member_id=robin["id"]), 403)
    assert fetch(engine, ChoreOccurrence, occurrence["id"]).status == "open"
    assert count(engine, Event, Event.type == "chore.completed") == 0


def test_skip_then_skip_again_then_complete_after_all(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    occurrence = occurrences(sam, home)[0]
    url = home.url(f"chore-occurrences/{occurrence['id']}/skip")
    skipped = sam.post(url)
    assert skipped.status_code == 200, skipped.text
    assert skipped.json() == {**occurrence, "status": "skipped"}
    assert sam.post(url).json() == skipped.json()
    assert len(_events(engine, "chore.skipped")) == 1

    done = _complete(alex, home, occurrence["id"])
    assert (done.json()["status"], done.json()["completed_by_member_id"]) == ("done", home.alex)
    assert_problem(sam.post(url), 409)
    assert fetch(engine, ChoreOccurrence, occurrence["id"]).status == "done"


def test_reassigning_moves_an_open_occurrence_and_says_so(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    occurrence = occurrences(sam, home)[0]
    url = home.url(f"chore-occurrences/{occurrence['id']}/reassign")
    response = sam.post(url, json={"member_id": home.alex})
    assert response.status_code == 200, response.text
    assert response.json() == {**occurrence, "assigned_member_id": home.alex}
    assert sam.get(home.url(f"chore-occurrences/{occurrence['id']}")).json() == response.json()
    [event] = _events(engine, "chore.assigned")
    assert event.data == {
        "chore_id": occurrence["chore_id"],
        "due_on": "2026-03-02",
        "member_id": home.alex,
        "previous_member_id": home.sam,
        "reason": "reassigned",
    }
    assert sam.post(url, json={"member_id": home.alex}).json() == response.json()
    assert len(_events(engine, "chore.assigned")) == 1

    _complete(alex, home, occurrence["id"])
    assert_problem(sam.post(url, json={"member_id": home.sam}), 409)
    assert fetch(engine, ChoreOccurrence, occurrence["id"]).assigned_member_id == home.alex


def test_the_button_completes_the_earliest_open_occurrence_due_by_today(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    clock = freeze(app, NOW - timedelta(days=2))
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, starts_on="2026-02-28")
    clock.set(NOW)
    url = home.url(f"chores/{chore['id']}/complete")
    first = sam.post(url)
    assert first.status_code == 200, first.text
    assert (first.json()["due_on"], first.json()["status"]) == ("2026-02-28", "done")
    assert sam.post(url).json()["due_on"] == "2026-03-01"
    assert sam.post(url).json()["due_on"] == "2026-03-02"
    # Nothing left due by today, and today's is done: the same tap again changes nothing.
    again = sam.post(url)
    assert again.json()["due_on"] == "2026-03-02"
    assert len(_events(engine, "chore.completed")) == 3
    assert count(engine, ChoreOccurrence, ChoreOccurrence.status == "done") == 3


def test_the_button_logs_an_ad_hoc_occurrence_when_nothing_is_due(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, recurrence="FREQ=WEEKLY;BYDAY=FR", estimated_minutes=50)
    planned = count(engine, ChoreOccurrence)
    response = alex.post(home.url(f"chores/{chore['id']}/complete"), json={"minutes": 20})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {k: v for k, v in body.items() if k != "id"} == {
        "chore_id": chore["id"],
        "due_on": "2026-03-02",
        "assigned_member_id": None,
        "status": "done",
        "completed_by_member_id": home.alex,
        "completed_at": "2026-03-02T09:00:00Z",
        "minutes": 20,
    }
    assert count(engine, ChoreOccurrence) == planned + 1
    assert alex.post(home.url(f"chores/{chore['id']}/complete")).json() == body
    assert count(engine, ChoreOccurrence) == planned + 1
    assert len(_events(engine, "chore.completed")) == 1


def test_the_button_completes_a_one_off_chore_before_its_day(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, recurrence=None, starts_on="2026-03-10")
    response = sam.post(home.url(f"chores/{chore['id']}/complete"))
    assert (response.json()["due_on"], response.json()["status"]) == ("2026-03-10", "done")
    assert count(engine, ChoreOccurrence) == 1


def test_the_day_of_a_completion_is_the_households_day_across_the_dst_change(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app, datetime(2026, 3, 29, 22, 30, tzinfo=UTC))  # 00:30 on 30 March in Berlin
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, starts_on="2026-03-28")
    response = sam.post(home.url(f"chores/{chore['id']}/complete"))
    assert response.json()["due_on"] == "2026-03-30"
    assert fetch(engine, ChoreOccurrence, response.json()["id"]).completed_on.isoformat() == (
        "2026-03-30"
    )
    # An hour earlier, before the change, was still the 29th.
    earlier = sam.post(
        home.url(f"chores/{chore['id']}/complete"), json={"completed_at": "2026-03-28T23:30:00Z"}
    )
    assert earlier.status_code == 200, earlier.text
    assert fetch(engine, ChoreOccurrence, earlier.json()["id"]).completed_on.isoformat() == (
        "2026-03-29"
    )


@pytest.mark.parametrize("scope_url", ["occurrence", "chore"])
def test_an_automation_token_can_complete_with_no_body(
    app: FastAPI, sam: Caller, alex: Caller, new_user: Any, engine: Engine, scope_url: str
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home)
    occurrence = occurrences(sam, home)[0]
    token = alex.client.post(
        "/v1/tokens",
        json={
            "email": alex.email,
            "password": "correct horse battery",
            "name": "kitchen tag",
            "scopes": ["automation"],
        },
    )
    assert token.status_code == 201, token.text
    tag = Caller(alex.client, token.json()["token"], alex.user_id, alex.email)
    url = (
        home.url(f"chore-occurrences/{occurrence['id']}/complete")
        if scope_url == "occurrence"
        else home.url(f"chores/{chore['id']}/complete")
    )
    response = tag.post(url)
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["completed_by_member_id"]) == (
        occurrence["id"],
        home.alex,
    )
    assert count(engine, Event, Event.type == "chore.completed") == 1
