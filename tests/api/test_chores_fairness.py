"""Assignment by weighted time: the count-versus-time imbalance, loads, preferences, stats."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from tests.api.chores_builders import (
    NOW,
    TODAY,
    Home,
    create_chore,
    freeze,
    home_of_two,
    occurrences,
    stats,
)
from tests.api.conftest import Caller, assert_problem


def _evening(day: date) -> datetime:
    return datetime.combine(day, time(19, 0), tzinfo=UTC)


def _do_the_plan(
    app: FastAPI, home: Home, callers: dict[str, Caller], first: date, days: int
) -> None:
    """Each member does what was assigned to them, on its day."""
    clock = freeze(app, _evening(first))
    plan = occurrences(
        callers[home.sam], home, **{"from": first, "to": first + timedelta(days=days - 1)}
    )
    for row in plan:
        clock.set(_evening(date.fromisoformat(row["due_on"])))
        done = callers[row["assigned_member_id"]].post(
            home.url(f"chore-occurrences/{row['id']}/complete")
        )
        assert done.status_code == 200, done.text


def test_one_chore_each_is_balanced_by_count_not_time_and_least_loaded_closes_the_gap(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    """Apps that balance counts give Sam the 90-minute chore and Alex the 5-minute one: the
    same number each, eighteen times the time. Switched to least_loaded, the next two weeks
    make up the difference, and four weeks end within one dinner of each other."""
    freeze(app)
    home = home_of_two(sam, alex)
    callers = {home.sam: sam, home.alex: alex}
    cook = create_chore(
        sam, home, name="Cook dinner", estimated_minutes=90, effort=3,
        assignment={"strategy": "fixed", "member_id": home.sam},
    )  # fmt: skip
    bins = create_chore(
        sam, home, name="Take out the bins", estimated_minutes=5, effort=1,
        assignment={"strategy": "fixed", "member_id": home.alex},
    )  # fmt: skip
    two_weeks = TODAY + timedelta(days=13)
    _do_the_plan(app, home, callers, TODAY, 14)

    by_count = stats(sam, home, TODAY, two_weeks)
    assert by_count[home.sam]["completed_count"] == by_count[home.alex]["completed_count"] == 14
    assert (by_count[home.sam]["minutes"], by_count[home.alex]["minutes"]) == (1260, 70)
    assert by_count[home.sam]["weighted_minutes"] == 1260

    freeze(app, _evening(two_weeks + timedelta(days=1)) - timedelta(hours=12))
    for chore in (cook, bins):
        changed = sam.patch(
            home.url(f"chores/{chore['id']}"), json={"assignment": {"strategy": "least_loaded"}}
        )
        assert changed.status_code == 200, changed.text
    _do_the_plan(app, home, callers, two_weeks + timedelta(days=1), 14)

    four_weeks = stats(sam, home, TODAY, TODAY + timedelta(days=27))
    sam_minutes, alex_minutes = four_weeks[home.sam]["minutes"], four_weeks[home.alex]["minutes"]
    assert sam_minutes + alex_minutes == 28 * 95
    assert abs(sam_minutes - alex_minutes) <= 90
    assert four_weeks[home.alex]["completed_count"] > four_weeks[home.sam]["completed_count"]


def test_logged_time_counts_in_the_load_least_loaded_balances(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    logged = sam.post(
        home.url("time-entries"),
        json={"member_id": home.sam, "minutes": 120, "date": TODAY.isoformat(), "load": "planning"},
    )
    assert logged.status_code == 201, logged.text
    create_chore(sam, home, estimated_minutes=30)
    assigned = [r["assigned_member_id"] for r in occurrences(sam, home)[:6]]
    assert assigned == [home.alex] * 4 + [home.sam, home.alex]


def _put_preference(caller: Caller, home: Home, chore_id: str, member_id: str, **kw: Any) -> Any:
    return caller.put(home.url(f"chores/{chore_id}/preferences/{member_id}"), **kw)


def test_a_preference_is_set_changed_and_listed(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home)
    first = _put_preference(alex, home, chore["id"], home.alex, json={"preference": "prefer"})
    assert first.status_code == 200, first.text
    assert first.json() == {"chore_id": chore["id"], "member_id": home.alex, "preference": "prefer"}
    assert first.headers["etag"] == '"1"'
    stale = _put_preference(
        alex,
        home,
        chore["id"],
        home.alex,
        json={"preference": "avoid"},
        headers={"If-Match": '"2"'},
    )
    assert_problem(stale, 412)
    second = _put_preference(
        alex,
        home,
        chore["id"],
        home.alex,
        json={"preference": "avoid"},
        headers={"If-Match": '"1"'},
    )
    assert (second.json()["preference"], second.headers["etag"]) == ("avoid", '"2"')
    listed = sam.get(home.url(f"chores/{chore['id']}/preferences")).json()
    assert listed == {"data": [second.json()], "next_cursor": None}
    with Session(engine) as session:
        events = session.scalars(
            select(Event.data).where(Event.type == "chore_preference.updated").order_by(Event.id)
        ).all()
    assert [e["preference"] for e in events] == ["prefer", "avoid"]


def test_preferences_follow_the_acting_for_rule(
    app: FastAPI, sam: Caller, alex: Caller, new_user: Any
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    robin = sam.member(home.id, display_name="Robin")
    chore = create_chore(sam, home)
    body = {"json": {"preference": "avoid"}}
    assert_problem(_put_preference(alex, home, chore["id"], home.sam, **body), 403)
    assert_problem(_put_preference(alex, home, chore["id"], robin["id"], **body), 403)
    assert _put_preference(sam, home, chore["id"], robin["id"], **body).status_code == 200
    stranger = new_user("Kim")
    theirs = stranger.household()
    their_member = stranger.get(f"/v1/households/{theirs['id']}/members").json()["data"][0]
    assert_problem(_put_preference(sam, home, chore["id"], their_member["id"], **body), 404)
    bad = _put_preference(sam, home, chore["id"], home.sam, json={"preference": "love"})
    assert_problem(bad, 422, field="preference")
    listed = sam.get(home.url(f"chores/{chore['id']}/preferences")).json()["data"]
    assert [(p["member_id"], p["preference"]) for p in listed] == [(robin["id"], "avoid")]


def test_least_loaded_gives_a_tie_to_whoever_prefers_the_chore_and_away_from_an_avoider(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    clock = freeze(app)
    home = home_of_two(sam, alex)
    day_one, day_two = TODAY + timedelta(days=40), TODAY + timedelta(days=41)

    def one_off(name: str, day: date) -> str:
        chore = create_chore(sam, home, name=name, recurrence=None, starts_on=day.isoformat())
        return str(chore["id"])

    garden = one_off("Garden", day_one)
    windows = one_off("Windows", day_two)
    oven = one_off("Oven", day_two)
    _put_preference(alex, home, garden, home.alex, json={"preference": "prefer"})
    _put_preference(sam, home, oven, home.sam, json={"preference": "avoid"})
    clock.set(NOW + timedelta(days=14))
    assigned = {r["chore_id"]: r["assigned_member_id"] for r in occurrences(sam, home)}
    # Without preferences: Sam, Alex, Sam (ties go to the older member).
    assert assigned == {garden: home.alex, windows: home.sam, oven: home.alex}


def test_stats_split_minutes_by_load_count_time_entries_and_respect_the_period(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    clock = freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home, estimated_minutes=30, load="conception")
    sam.post(home.url(f"chores/{chore['id']}/complete"), json={"minutes": 45})
    sam.post(
        home.url("time-entries"),
        json={"member_id": home.sam, "minutes": 20, "date": TODAY.isoformat(), "load": "planning"},
    )
    alex.post(
        home.url("time-entries"),
        json={"member_id": home.alex, "minutes": 15, "date": "2026-02-01", "load": "execution"},
    )
    clock.set(NOW + timedelta(days=1))
    alex.post(home.url(f"chores/{chore['id']}/complete"))

    today = stats(sam, home, TODAY, TODAY)
    assert today[home.sam] == {
        "member_id": home.sam,
        "completed_count": 1,
        "time_entry_count": 1,
        "minutes": 65,
        "weighted_minutes": 65.0,
        "by_load": {
            "execution": {"minutes": 0, "weighted_minutes": 0.0},
            "planning": {"minutes": 20, "weighted_minutes": 20.0},
            "conception": {"minutes": 45, "weighted_minutes": 45.0},
        },
    }
    assert (today[home.alex]["minutes"], today[home.alex]["completed_count"]) == (0, 0)

    default = sam.get(home.url("chores/stats")).json()
    assert (default["from"], default["to"]) == ("2026-02-04", "2026-03-03")
    members = {m["member_id"]: m for m in default["members"]}
    assert (members[home.alex]["minutes"], members[home.alex]["completed_count"]) == (30, 1)
    assert members[home.sam]["minutes"] == 65
