"""Time entries: unplanned work, logged by the member or by an admin for a managed member."""

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.chores.models import TimeEntry
from tests.api.chores_builders import TODAY, create_chore, freeze, home_of_two
from tests.api.conftest import Caller, assert_problem, count, fetch


def _entry(member_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "minutes": 45,
        "date": TODAY.isoformat(),
        "load": "planning",
        **fields,
    }


def test_logging_unplanned_work_stores_it_and_records_the_event(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    response = alex.post(
        home.url("time-entries"),
        json=_entry(home.alex, note="Planned the week's meals", load="conception"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert {k: v for k, v in body.items() if k not in ("id", "created_at")} == {
        "member_id": home.alex,
        "minutes": 45,
        "date": "2026-03-02",
        "chore_id": None,
        "load": "conception",
        "effort": 3,
        "note": "Planned the week's meals",
    }
    stored = fetch(engine, TimeEntry, body["id"])
    assert (stored.household_id, stored.member_id, stored.created_by_member_id) == (
        home.id,
        home.alex,
        home.alex,
    )
    with Session(engine) as session:
        event = session.scalars(select(Event).where(Event.type == "time_entry.created")).one()
    assert (event.subject_id, event.actor_member_id) == (body["id"], home.alex)
    assert event.data["minutes"] == 45


def test_a_time_entry_for_a_chore_takes_its_effort_unless_given(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, effort=5)
    url = home.url("time-entries")
    assert sam.post(url, json=_entry(home.sam, chore_id=chore["id"])).json()["effort"] == 5
    given = sam.post(url, json=_entry(home.sam, chore_id=chore["id"], effort=1)).json()
    assert (given["effort"], given["chore_id"]) == (1, chore["id"])


def test_tomorrow_is_allowed_but_not_the_day_after(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    url = home.url("time-entries")
    assert sam.post(url, json=_entry(home.sam, date="2026-03-03")).status_code == 201
    assert sam.post(url, json=_entry(home.sam, date="2025-03-03")).status_code == 201
    assert_problem(sam.post(url, json=_entry(home.sam, date="2026-03-04")), 422, field="date")
    assert count(engine, TimeEntry) == 2


def test_only_the_member_or_an_admin_for_a_managed_member_may_log_time(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    robin = sam.member(home.id, display_name="Robin")
    url = home.url("time-entries")
    assert_problem(alex.post(url, json=_entry(home.sam)), 403)
    assert_problem(alex.post(url, json=_entry(robin["id"])), 403)
    assert_problem(sam.post(url, json=_entry(home.alex)), 403)
    assert count(engine, TimeEntry) == 0

    response = sam.post(url, json=_entry(robin["id"]))
    assert response.status_code == 201, response.text
    with Session(engine) as session:
        event = session.scalars(select(Event).where(Event.type == "time_entry.created")).one()
    assert (event.actor_member_id, event.on_behalf_of_member_id) == (home.sam, robin["id"])


def test_time_entries_are_listed_newest_first_with_filters(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    url = home.url("time-entries")
    first = sam.post(url, json=_entry(home.sam, date="2026-02-20")).json()
    second = alex.post(url, json=_entry(home.alex, date="2026-03-01")).json()
    third = sam.post(url, json=_entry(home.sam, date="2026-03-02")).json()

    assert [e["id"] for e in sam.get(url).json()["data"]] == [
        third["id"],
        second["id"],
        first["id"],
    ]
    mine = sam.get(url, params={"member_id": home.sam}).json()["data"]
    assert [e["id"] for e in mine] == [third["id"], first["id"]]
    march = sam.get(url, params={"from": "2026-03-01", "to": "2026-03-01"}).json()["data"]
    assert march == [second]
    paged = sam.get(url, params={"limit": 2}).json()
    rest = sam.get(url, params={"limit": 2, "cursor": paged["next_cursor"]}).json()
    assert [e["id"] for e in paged["data"] + rest["data"]] == [
        third["id"],
        second["id"],
        first["id"],
    ]
    assert rest["next_cursor"] is None
