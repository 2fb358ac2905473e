"""Bad input to the chore endpoints: a problem naming the field, and nothing stored."""

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from domain.activity.models import Event
from domain.chores.models import Absence, Chore, ChoreOccurrence, TimeEntry
from tests.api.chores_builders import (
    TODAY,
    Home,
    chore_body,
    create_chore,
    freeze,
    home_of_two,
    occurrences,
)
from tests.api.conftest import Caller, assert_problem, count, fetch


def _chore_changes(engine: Engine) -> tuple[int, int, int]:
    return (
        count(engine, Chore),
        count(engine, ChoreOccurrence),
        count(engine, Event, Event.type.like("chore.%")),
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recurrence", "FREQ=SOMETIMES"),
        ("recurrence", "every day"),
        ("recurrence", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
        ("recurrence", "FREQ=DAILY;COUNT=2;UNTIL=20260401"),
        ("recurrence", "FREQ=HOURLY"),
        ("estimated_minutes", 0),
        ("estimated_minutes", -5),
        ("estimated_minutes", 1441),
        ("estimated_minutes", 30.5),
        ("estimated_minutes", "30"),
        ("effort", 0),
        ("effort", 6),
        ("load", "chores"),
        ("name", ""),
        ("starts_on", "2026-02-30"),
        ("assignment", {"strategy": "random"}),
        ("eligible_member_ids", []),
        ("id", "0190a9c2-0000-7000-8000-000000000000"),
        ("household_id", "0190a9c2-0000-7000-8000-000000000000"),
        ("version", 3),
    ],
)
def test_a_bad_chore_is_rejected_and_nothing_is_stored(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine, field: str, value: Any
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    response = sam.post(home.url("chores"), json=chore_body(**{field: value}))
    assert_problem(response, 422, field=field)
    assert _chore_changes(engine) == (0, 0, 0)


def _stranger(new_user: Any) -> str:
    """A member of another household."""
    robin = new_user("Robin")
    other = robin.household()
    member_id: str = robin.get(f"/v1/households/{other['id']}/members").json()["data"][0]["id"]
    return member_id


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"eligible_member_ids": ["STRANGER"]}, "eligible_member_ids.0"),
        ({"eligible_member_ids": ["SAM", "STRANGER"]}, "eligible_member_ids.1"),
        ({"eligible_member_ids": ["SAM", "SAM"]}, "eligible_member_ids"),
        ({"assignment": {"strategy": "fixed", "member_id": "STRANGER"}}, "assignment.member_id"),
        ({"assignment": {"strategy": "fixed"}}, "assignment.member_id"),
        (
            {
                "assignment": {"strategy": "fixed", "member_id": "ALEX"},
                "eligible_member_ids": ["SAM"],
            },
            "assignment.member_id",
        ),
        ({"assignment": {"strategy": "round_robin", "member_id": "ALEX"}}, "assignment.member_id"),
    ],
)
def test_chore_members_must_be_eligible_members_of_this_household(
    app: FastAPI,
    sam: Caller,
    alex: Caller,
    new_user: Any,
    engine: Engine,
    fields: dict[str, Any],
    field: str,
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    ids = {"STRANGER": _stranger(new_user), "SAM": home.sam, "ALEX": home.alex}

    def resolve(value: Any) -> Any:
        if isinstance(value, list):
            return [ids.get(v, v) for v in value]
        if isinstance(value, dict):
            return {k: ids.get(v, v) for k, v in value.items()}
        return value

    body = chore_body(**{k: resolve(v) for k, v in fields.items()})
    assert_problem(sam.post(home.url("chores"), json=body), 422, field=field)
    assert _chore_changes(engine) == (0, 0, 0)


def test_a_deactivated_member_cannot_be_made_eligible(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    robin = sam.member(home.id, display_name="Robin")
    sam.patch(home.url(f"members/{robin['id']}"), json={"active": False})
    body = chore_body(eligible_member_ids=[robin["id"]])
    assert_problem(sam.post(home.url("chores"), json=body), 422, field="eligible_member_ids.0")
    assert _chore_changes(engine) == (0, 0, 0)


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"recurrence": "FREQ=WEEKLY;BYDAY=XX"}, "recurrence"),
        ({"estimated_minutes": 2000}, "estimated_minutes"),
        ({"starts_on": "2026-03-05", "recurrence": "FREQ=DAILY;UNTIL=20260304"}, "recurrence"),
        ({"archived_at": "2026-03-02T00:00:00Z"}, "archived_at"),
    ],
)
def test_a_bad_change_leaves_the_chore_and_its_plan_as_they_were(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine, patch: dict[str, Any], field: str
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home)
    plan = occurrences(sam, home)
    url = home.url(f"chores/{chore['id']}")
    assert_problem(sam.patch(url, json=patch), 422, field=field)
    assert sam.get(url).json() == chore
    assert fetch(engine, Chore, chore["id"]).version == 1
    assert occurrences(sam, home) == plan
    assert count(engine, Event, Event.type == "chore.updated") == 0


@pytest.mark.parametrize("field", ["name", "assignment", "starts_on"])
def test_null_is_refused_for_a_field_that_cannot_be_cleared(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine, field: str
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home)
    url = home.url(f"chores/{chore['id']}")
    problem = assert_problem(sam.patch(url, json={field: None}), 422, field=field)
    assert f"'{field}' cannot be null" in problem["detail"]
    assert sam.get(url).json() == chore


def _open_occurrence(sam: Caller, home: Home) -> dict[str, Any]:
    create_chore(sam, home)
    return occurrences(sam, home)[0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"minutes": "20"}, "minutes"),
        ({"completed_at": "2026-03-02T10:30:00+00:00"}, "completed_at"),
        ({"completed_at": "2026-03-02T08:00:00"}, "completed_at"),
        ({"member_id": "STRANGER"}, "member_id"),
        ({"status": "done"}, "status"),
    ],
)
def test_a_bad_completion_completes_nothing(
    app: FastAPI,
    sam: Caller,
    alex: Caller,
    new_user: Any,
    engine: Engine,
    body: dict[str, Any],
    field: str,
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    occurrence = _open_occurrence(sam, home)
    chore_id = occurrence["chore_id"]
    if body.get("member_id") == "STRANGER":
        body = {"member_id": _stranger(new_user)}
    for url in (
        home.url(f"chore-occurrences/{occurrence['id']}/complete"),
        home.url(f"chores/{chore_id}/complete"),
    ):
        assert_problem(sam.post(url, json=body), 422, field=field)
    assert fetch(engine, ChoreOccurrence, occurrence["id"]).status == "open"
    assert count(engine, ChoreOccurrence, ChoreOccurrence.status != "open") == 0
    assert count(engine, Event, Event.type == "chore.completed") == 0


def test_another_households_occurrence_and_chore_are_not_found(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    theirs = _open_occurrence(sam, home)
    mine = alex.household()
    for url in (
        f"/v1/households/{mine['id']}/chore-occurrences/{theirs['id']}/complete",
        f"/v1/households/{mine['id']}/chore-occurrences/{theirs['id']}/skip",
        f"/v1/households/{mine['id']}/chores/{theirs['chore_id']}/complete",
    ):
        assert_problem(alex.post(url), 404)
    assert_problem(alex.get(f"/v1/households/{mine['id']}/chores/{theirs['chore_id']}"), 404)
    stranger_home = Home(mine["id"], "", "")
    assert occurrences(alex, stranger_home) == []
    assert fetch(engine, ChoreOccurrence, theirs["id"]).status == "open"
    assert count(engine, Event, Event.type.in_(["chore.completed", "chore.skipped"])) == 0


def test_reassigning_to_someone_ineligible_away_or_elsewhere_is_refused(
    app: FastAPI, sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    robin = sam.member(home.id, display_name="Robin")
    create_chore(sam, home, eligible_member_ids=[home.sam, home.alex])
    occurrence = occurrences(sam, home)[0]
    assert occurrence["assigned_member_id"] == home.sam
    away = alex.post(
        home.url(f"members/{home.alex}/absences"),
        json={"from": TODAY.isoformat(), "to": TODAY.isoformat()},
    )
    assert away.status_code == 201, away.text
    url = home.url(f"chore-occurrences/{occurrence['id']}/reassign")
    for member_id in (robin["id"], home.alex, _stranger(new_user)):
        assert_problem(sam.post(url, json={"member_id": member_id}), 422, field="member_id")
    assert_problem(sam.post(url, json={"member_id": home.alex, "note": "x"}), 422, field="note")
    assert_problem(sam.post(url, json={}), 422, field="member_id")
    assert fetch(engine, ChoreOccurrence, occurrence["id"]).assigned_member_id == home.sam
    assert count(engine, Event, Event.type == "chore.assigned") == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"minutes": 1441}, "minutes"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": 60.5}, "minutes"),
        ({"date": "2026-03-04"}, "date"),
        ({"date": "2027-01-01"}, "date"),
        ({"load": "thinking"}, "load"),
        ({"effort": 6}, "effort"),
        ({"member_id": "STRANGER"}, "member_id"),
        ({"chore_id": "THEIR_CHORE"}, "chore_id"),
        ({"note": "x" * 2001}, "note"),
        ({"id": "0190a9c2-0000-7000-8000-000000000000"}, "id"),
    ],
)
def test_a_bad_time_entry_stores_nothing(
    app: FastAPI,
    sam: Caller,
    alex: Caller,
    new_user: Any,
    engine: Engine,
    fields: dict[str, Any],
    field: str,
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    if fields.get("member_id") == "STRANGER":
        fields = {"member_id": _stranger(new_user)}
    if fields.get("chore_id") == "THEIR_CHORE":
        kim = new_user("Kim")
        other = kim.household()
        response = kim.post(f"/v1/households/{other['id']}/chores", json=chore_body())
        fields = {"chore_id": response.json()["id"]}
    body = {
        "member_id": home.sam,
        "minutes": 45,
        "date": TODAY.isoformat(),
        "load": "planning",
        **fields,
    }
    assert_problem(sam.post(home.url("time-entries"), json=body), 422, field=field)
    assert count(engine, TimeEntry) == 0
    assert count(engine, Event, Event.type == "time_entry.created") == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from": "2026-03-10", "to": "2026-03-09"}, "to"),
        ({"from": "2026-03-10"}, "to"),
        ({"from_": "2026-03-10", "to": "2026-03-12"}, "from"),
        ({"from": "2026-03-10", "to": "2026-03-12", "member_id": "x"}, "member_id"),
    ],
)
def test_a_bad_absence_stores_nothing_and_moves_nothing(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine, body: dict[str, Any], field: str
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home)
    plan = occurrences(sam, home)
    response = alex.post(home.url(f"members/{home.alex}/absences"), json=body)
    assert_problem(response, 422, field=field)
    assert count(engine, Absence) == 0
    assert occurrences(sam, home) == plan
    assert count(engine, Event, Event.type.in_(["absence.created", "chore.assigned"])) == 0


def test_stats_for_a_period_that_ends_before_it_starts_are_refused(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    response = sam.get(home.url("chores/stats"), params={"from": "2026-03-10", "to": "2026-03-01"})
    assert_problem(response, 422, field="to")
