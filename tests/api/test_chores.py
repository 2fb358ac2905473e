"""Chores: definitions, the occurrences they plan over the horizon, edits and deletion."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.chores.models import Chore, ChoreOccurrence
from domain.db import unit_of_work
from domain.households.models import Member
from domain.jobs import JOBS
from tests.api.chores_builders import (
    NOW,
    TODAY,
    create_chore,
    freeze,
    home_of_two,
    occurrences,
)
from tests.api.conftest import Caller, assert_problem, count, fetch

HORIZON = 28


def _days(first: date, number: int) -> list[str]:
    return [(first + timedelta(days=n)).isoformat() for n in range(number)]


def test_creating_a_chore_returns_it_and_plans_the_next_28_days(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    response = sam.post(
        home.url("chores"),
        json={
            "name": "Dishes",
            "estimated_minutes": 30,
            "effort": 2,
            "load": "execution",
            "recurrence": "FREQ=DAILY",
            "starts_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 201, response.text
    chore = response.json()
    assert {k: v for k, v in chore.items() if k not in ("id", "created_at")} == {
        "name": "Dishes",
        "estimated_minutes": 30,
        "effort": 2,
        "load": "execution",
        "recurrence": "FREQ=DAILY",
        "starts_on": "2026-03-02",
        "assignment": {"strategy": "least_loaded", "member_id": None},
        "eligible_member_ids": None,
        "updated_at": None,
    }
    assert response.headers["location"] == home.url(f"chores/{chore['id']}")
    assert response.headers["etag"] == '"1"'
    assert sam.get(home.url(f"chores/{chore['id']}")).json() == chore

    stored = fetch(engine, Chore, chore["id"])
    assert (stored.household_id, stored.strategy, stored.everyone_eligible) == (
        home.id,
        "least_loaded",
        True,
    )
    rows = occurrences(sam, home)
    assert [r["due_on"] for r in rows] == _days(TODAY, HORIZON)
    assert count(engine, ChoreOccurrence, ChoreOccurrence.chore_id == chore["id"]) == HORIZON
    # Equal loads: least_loaded alternates, the tie going to the older member.
    assert [r["assigned_member_id"] for r in rows[:4]] == [home.sam, home.alex] * 2
    assert all(
        (r["status"], r["completed_by_member_id"], r["completed_at"], r["minutes"])
        == ("open", None, None, None)
        for r in rows
    )
    assert count(engine, Event, Event.type == "chore.created", Event.subject_id == chore["id"]) == 1


def test_list_chores_is_newest_first(app: FastAPI, sam: Caller, alex: Caller) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    first = create_chore(sam, home, name="Dishes")
    second = create_chore(sam, home, name="Laundry")
    listed = sam.get(home.url("chores")).json()
    assert [c["id"] for c in listed["data"]] == [second["id"], first["id"]]
    assert listed["data"][0] == second
    assert listed["next_cursor"] is None


def test_a_one_off_chore_has_one_occurrence_even_when_its_day_has_passed(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, recurrence=None, starts_on="2026-02-20", name="Tax return")
    assert chore["recurrence"] is None
    rows = occurrences(sam, home)
    assert [(r["chore_id"], r["due_on"], r["status"]) for r in rows] == [
        (chore["id"], "2026-02-20", "open")
    ]


def test_a_recurring_chore_is_not_back_filled_before_today(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home, starts_on="2026-02-01", recurrence="FREQ=WEEKLY;BYDAY=MO,TH")
    dues = [r["due_on"] for r in occurrences(sam, home)]
    assert dues == [
        "2026-03-02", "2026-03-05", "2026-03-09", "2026-03-12",
        "2026-03-16", "2026-03-19", "2026-03-23", "2026-03-26",
    ]  # fmt: skip


def test_the_horizon_rolls_forward_on_read_exactly_once(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    clock = freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, starts_on=(TODAY + timedelta(days=40)).isoformat())
    assert occurrences(sam, home) == []

    clock.set(NOW + timedelta(days=20))
    first = occurrences(sam, home)
    again = occurrences(sam, home)
    assert first == again
    assert [r["due_on"] for r in first] == _days(TODAY + timedelta(days=40), 8)
    assert count(engine, ChoreOccurrence, ChoreOccurrence.chore_id == chore["id"]) == 8


def test_the_worker_job_extends_every_households_horizon_once(
    app: FastAPI, sam: Caller, alex: Caller, new_user: Callable[..., Caller], engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    robin = new_user("Robin")
    other = robin.household()
    robin.post(
        f"/v1/households/{other['id']}/chores",
        json={
            "name": "Bins",
            "estimated_minutes": 5,
            "effort": 1,
            "load": "execution",
            "recurrence": "FREQ=DAILY",
            "starts_on": TODAY.isoformat(),
        },
    )
    assert count(engine, ChoreOccurrence) == 2 * HORIZON

    later = NOW + timedelta(days=3)
    with unit_of_work(engine) as session:
        assert JOBS["chores"](session, later) == 2 * 3
    with unit_of_work(engine) as session:
        assert JOBS["chores"](session, later) == 0
    assert count(engine, ChoreOccurrence) == 2 * (HORIZON + 3)
    assert count(engine, ChoreOccurrence, ChoreOccurrence.assigned_member_id.is_(None)) == 0


def test_two_workers_materialising_at_once_create_each_day_once(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    create_chore(sam, home, name="Bins", estimated_minutes=5)
    later = NOW + timedelta(days=5)
    start = threading.Barrier(2)

    def work() -> int:
        start.wait()
        with unit_of_work(engine) as session:
            return JOBS["chores"](session, later)

    with ThreadPoolExecutor(2) as pool:
        created = [f.result() for f in [pool.submit(work), pool.submit(work)]]
    assert sum(created) == 2 * 5
    assert count(engine, ChoreOccurrence) == 2 * (HORIZON + 5)
    rows = occurrences(sam, home)
    assert len(rows) == len({(r["chore_id"], r["due_on"]) for r in rows}) == 2 * (HORIZON + 5)


def test_a_daily_chore_across_the_spring_dst_change_falls_due_once_every_local_day(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    # 23:30 UTC on 27 March is already the 28th in Berlin; the clocks go forward on the 29th.
    freeze(app, datetime(2026, 3, 27, 23, 30, tzinfo=UTC))
    home = home_of_two(sam, alex)
    daily = create_chore(sam, home, starts_on="2026-03-20")
    weekly = create_chore(sam, home, starts_on="2026-03-22", recurrence="FREQ=WEEKLY;BYDAY=SU")
    rows = occurrences(sam, home, to="2026-04-12")
    assert [r["due_on"] for r in rows if r["chore_id"] == daily["id"]] == _days(
        date(2026, 3, 28), 16
    )
    assert [r["due_on"] for r in rows if r["chore_id"] == weekly["id"]] == [
        "2026-03-29", "2026-04-05", "2026-04-12",
    ]  # fmt: skip


def test_renaming_a_chore_keeps_its_occurrences_and_bumps_the_etag(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home)
    before = occurrences(sam, home)
    url = home.url(f"chores/{chore['id']}")

    response = sam.patch(url, json={"name": "Wash up"}, headers={"If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    assert response.json() == {**chore, "name": "Wash up", "updated_at": "2026-03-02T09:00:00Z"}
    assert occurrences(sam, home) == before

    stale = sam.patch(url, json={"name": "Dishes"}, headers={"If-Match": '"1"'})
    assert_problem(stale, 412)
    assert fetch(engine, Chore, chore["id"]).name == "Wash up"


def test_changing_the_recurrence_replans_only_open_occurrences_after_today(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    clock = freeze(app, NOW - timedelta(days=2))
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, starts_on="2026-02-28")
    clock.set(NOW)
    by_day = {r["due_on"]: r for r in occurrences(sam, home)}
    done = sam.post(home.url(f"chore-occurrences/{by_day['2026-03-04']['id']}/complete"))
    skipped = sam.post(home.url(f"chore-occurrences/{by_day['2026-03-05']['id']}/skip"))
    assert (done.status_code, skipped.status_code) == (200, 200)

    response = sam.patch(
        home.url(f"chores/{chore['id']}"), json={"recurrence": "FREQ=WEEKLY;BYDAY=MO"}
    )
    assert response.status_code == 200, response.text

    after = {r["due_on"]: r for r in occurrences(sam, home)}
    kept = ["2026-02-28", "2026-03-01", "2026-03-02", "2026-03-04", "2026-03-05"]
    mondays = ["2026-03-09", "2026-03-16", "2026-03-23"]
    assert sorted(after) == sorted(kept + mondays)
    for day in kept:
        assert after[day]["id"] == by_day[day]["id"]
    assert (after["2026-03-04"]["status"], after["2026-03-05"]["status"]) == ("done", "skipped")
    assert after["2026-03-09"]["id"] != by_day["2026-03-09"]["id"]


def test_deleting_a_chore_archives_it_and_keeps_what_was_done(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home)
    today = occurrences(sam, home)[0]
    sam.post(home.url(f"chore-occurrences/{today['id']}/complete"))
    url = home.url(f"chores/{chore['id']}")

    assert_problem(sam.delete(url, headers={"If-Match": '"7"'}), 412)
    assert fetch(engine, Chore, chore["id"]).archived_at is None

    response = sam.delete(url, headers={"If-Match": '"1"'})
    assert response.status_code == 204, response.text
    assert_problem(sam.get(url), 404)
    assert sam.get(home.url("chores")).json()["data"] == []
    assert fetch(engine, Chore, chore["id"]).archived_at == NOW
    remaining = occurrences(sam, home)
    assert [(r["id"], r["status"]) for r in remaining] == [(today["id"], "done")]
    assert count(engine, ChoreOccurrence) == 1
    assert count(engine, Event, Event.type == "chore.deleted", Event.subject_id == chore["id"]) == 1
    assert_problem(sam.post(home.url(f"chores/{chore['id']}/complete")), 404)


def test_eligible_members_limit_who_gets_the_chore(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, eligible_member_ids=[home.alex])
    assert chore["eligible_member_ids"] == [home.alex]
    assert {r["assigned_member_id"] for r in occurrences(sam, home)} == {home.alex}

    response = sam.patch(
        home.url(f"chores/{chore['id']}"), json={"eligible_member_ids": [home.sam]}
    )
    assert response.json()["eligible_member_ids"] == [home.sam]
    rows = occurrences(sam, home)
    assert rows[0]["assigned_member_id"] == home.alex  # today's stays
    assert {r["assigned_member_id"] for r in rows[1:]} == {home.sam}


def test_fixed_assignment_gives_every_occurrence_to_its_member(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, assignment={"strategy": "fixed", "member_id": home.alex})
    assert chore["assignment"] == {"strategy": "fixed", "member_id": home.alex}
    assert {r["assigned_member_id"] for r in occurrences(sam, home)} == {home.alex}


def test_round_robin_continues_from_the_last_assignee_as_the_horizon_rolls(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    clock = freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home, assignment={"strategy": "round_robin"}, estimated_minutes=90)
    create_chore(sam, home, assignment={"strategy": "round_robin"}, estimated_minutes=5)
    first = occurrences(sam, home)
    assert [r["assigned_member_id"] for r in first[:4]] == [home.sam] * 2 + [home.alex] * 2

    clock.set(NOW + timedelta(days=1))
    rows = occurrences(sam, home)
    last_day = [r for r in rows if r["due_on"] == (TODAY + timedelta(days=HORIZON)).isoformat()]
    before = [r for r in rows if r["due_on"] == (TODAY + timedelta(days=HORIZON - 1)).isoformat()]
    assert len(last_day) == 2
    assert {r["assigned_member_id"] for r in before} == {home.alex}
    assert {r["assigned_member_id"] for r in last_day} == {home.sam}


def test_a_member_added_later_is_eligible_when_everyone_is(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    clock = freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    robin = sam.member(home.id, display_name="Robin")
    clock.set(NOW + timedelta(days=1))
    newest = occurrences(sam, home)[-1]
    assert newest["assigned_member_id"] == robin["id"]


def test_deleting_the_household_removes_its_chores_and_history(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    today = occurrences(sam, home)[0]
    assert alex.post(home.url(f"chore-occurrences/{today['id']}/complete")).status_code == 200
    response = sam.delete(f"/v1/households/{home.id}")
    assert response.status_code == 204, response.text
    assert count(engine, Chore) == 0
    assert count(engine, ChoreOccurrence) == 0


def test_a_member_with_completed_chores_cannot_be_deleted_but_one_with_only_plans_can(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    robin = sam.member(home.id, display_name="Robin")
    kim = sam.member(home.id, display_name="Kim")
    create_chore(sam, home)
    rows = occurrences(sam, home)
    done = sam.post(
        home.url(f"chore-occurrences/{rows[0]['id']}/complete"), json={"member_id": robin["id"]}
    )
    assert done.status_code == 200, done.text
    assert_problem(sam.delete(home.url(f"members/{robin['id']}")), 409)
    assert fetch(engine, Member, robin["id"]) is not None

    kims = [r["id"] for r in rows if r["assigned_member_id"] == kim["id"]]
    assert kims
    assert sam.delete(home.url(f"members/{kim['id']}")).status_code == 204
    with Session(engine) as session:
        assert all(session.get(ChoreOccurrence, i).assigned_member_id is None for i in kims)
