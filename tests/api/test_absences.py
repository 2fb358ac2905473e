"""Absences: nothing is assigned to a member while away, and their plan moves to others."""

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.chores.models import Absence
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


def _away(caller: Caller, home: Home, member_id: str, first: str, last: str) -> Any:
    return caller.post(home.url(f"members/{member_id}/absences"), json={"from": first, "to": last})


def _events(engine: Engine, type: str) -> list[Event]:
    with Session(engine) as session:
        return list(session.scalars(select(Event).where(Event.type == type).order_by(Event.id)))


def test_going_away_moves_the_members_open_occurrences_in_those_days(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    before = {r["due_on"]: r for r in occurrences(sam, home)}
    sams_day = next(d for d, r in before.items() if r["assigned_member_id"] == home.sam)
    done = sam.post(home.url(f"chore-occurrences/{before[sams_day]['id']}/complete"))
    assert done.status_code == 200

    response = _away(sam, home, home.sam, "2026-03-02", "2026-03-08")
    assert response.status_code == 201, response.text
    absence = response.json()
    assert {k: v for k, v in absence.items() if k not in ("id", "created_at")} == {
        "member_id": home.sam,
        "from": "2026-03-02",
        "to": "2026-03-08",
    }
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == home.url(f"members/{home.sam}/absences/{absence['id']}")
    stored = fetch(engine, Absence, absence["id"])
    assert (stored.first_day.isoformat(), stored.last_day.isoformat()) == (
        "2026-03-02",
        "2026-03-08",
    )

    after = {r["due_on"]: r for r in occurrences(sam, home)}
    away_days = [(TODAY + timedelta(days=n)).isoformat() for n in range(7)]
    moved = [d for d in away_days if d != sams_day and before[d]["assigned_member_id"] == home.sam]
    assert moved
    for day in away_days:
        expected = home.sam if day == sams_day else home.alex
        assert after[day]["assigned_member_id"] == expected, day
        assert after[day]["id"] == before[day]["id"]
    for day in set(before) - set(away_days):
        assert after[day]["assigned_member_id"] == before[day]["assigned_member_id"]

    assigned = _events(engine, "chore.assigned")
    assert sorted(e.data["due_on"] for e in assigned) == moved
    assert {
        (e.data["previous_member_id"], e.data["member_id"], e.data["reason"]) for e in assigned
    } == {(home.sam, home.alex, "absence")}
    [created] = _events(engine, "absence.created")
    assert created.data == {
        "member_id": home.sam,
        "from": "2026-03-02",
        "to": "2026-03-08",
        "moved_occurrences": len(moved),
    }


def test_days_planned_later_are_not_given_to_a_member_who_will_be_away(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    clock = freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    far = [(TODAY + timedelta(days=n)).isoformat() for n in range(30, 36)]
    assert _away(alex, home, home.alex, far[0], far[-1]).status_code == 201
    clock.set(NOW + timedelta(days=10))
    rows = {r["due_on"]: r["assigned_member_id"] for r in occurrences(sam, home)}
    assert {rows[day] for day in far} == {home.sam}
    assert rows[(TODAY + timedelta(days=36)).isoformat()] == home.alex


def test_a_fixed_chore_goes_to_someone_present_and_an_only_member_leaves_it_unassigned(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    shared = create_chore(sam, home, assignment={"strategy": "fixed", "member_id": home.sam})
    only_sam = create_chore(
        sam,
        home,
        name="Sam's plants",
        assignment={"strategy": "fixed", "member_id": home.sam},
        eligible_member_ids=[home.sam],
    )
    assert _away(sam, home, home.sam, "2026-03-03", "2026-03-04").status_code == 201
    rows = occurrences(sam, home, to="2026-03-05")
    plan = {(r["chore_id"], r["due_on"]): r["assigned_member_id"] for r in rows}
    for chore, away in ((shared, home.alex), (only_sam, None)):
        assert plan[(chore["id"], "2026-03-02")] == home.sam
        assert plan[(chore["id"], "2026-03-03")] == away
        assert plan[(chore["id"], "2026-03-04")] == away
        assert plan[(chore["id"], "2026-03-05")] == home.sam


def test_round_robin_moves_to_the_next_member_present(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    robin = sam.member(home.id, display_name="Robin")
    create_chore(sam, home, assignment={"strategy": "round_robin"})
    before = [r["assigned_member_id"] for r in occurrences(sam, home, to="2026-03-07")]
    assert before == [home.sam, home.alex, robin["id"]] * 2
    assert _away(alex, home, home.alex, "2026-03-03", "2026-03-03").status_code == 201
    after = [r["assigned_member_id"] for r in occurrences(sam, home, to="2026-03-07")]
    assert after == [home.sam, robin["id"], robin["id"], home.sam, home.alex, robin["id"]]


def test_only_the_member_or_an_admin_for_a_managed_member_marks_them_away(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    robin = sam.member(home.id, display_name="Robin")
    assert_problem(_away(alex, home, home.sam, "2026-03-10", "2026-03-12"), 403)
    assert_problem(_away(alex, home, robin["id"], "2026-03-10", "2026-03-12"), 403)
    assert_problem(_away(sam, home, home.alex, "2026-03-10", "2026-03-12"), 403)
    assert count(engine, Absence) == 0
    assert _away(sam, home, robin["id"], "2026-03-10", "2026-03-12").status_code == 201
    [event] = _events(engine, "absence.created")
    assert (event.actor_member_id, event.on_behalf_of_member_id) == (home.sam, robin["id"])


def test_absences_are_listed_read_and_deleted_and_moved_chores_stay_moved(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    first = _away(sam, home, home.sam, "2026-03-02", "2026-03-03").json()
    second = _away(sam, home, home.sam, "2026-04-01", "2026-04-03").json()
    url = home.url(f"members/{home.sam}/absences")
    assert sam.get(url).json() == {"data": [second, first], "next_cursor": None}
    assert alex.get(f"{url}/{first['id']}").json() == first
    assert alex.get(home.url(f"members/{home.alex}/absences")).json()["data"] == []
    assert_problem(alex.get(home.url(f"members/{home.alex}/absences/{first['id']}")), 404)
    plan = occurrences(sam, home)

    assert_problem(alex.delete(f"{url}/{first['id']}"), 403)
    assert_problem(sam.delete(f"{url}/{first['id']}", headers={"If-Match": '"9"'}), 412)
    assert sam.delete(f"{url}/{first['id']}", headers={"If-Match": '"1"'}).status_code == 204
    assert_problem(sam.get(f"{url}/{first['id']}"), 404)
    assert fetch(engine, Absence, first["id"]) is None
    assert occurrences(sam, home) == plan
    assert [e.subject_id for e in _events(engine, "absence.deleted")] == [first["id"]]


def test_another_households_member_has_no_absences_here(
    app: FastAPI, sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    kim = new_user("Kim")
    theirs = kim.household()
    their_member = kim.get(f"/v1/households/{theirs['id']}/members").json()["data"][0]["id"]
    assert_problem(_away(sam, home, their_member, "2026-03-10", "2026-03-12"), 404)
    assert_problem(sam.get(home.url(f"members/{their_member}/absences")), 404)
    assert count(engine, Absence) == 0
