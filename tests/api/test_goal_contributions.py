"""Contributions and progress through the API: money in, money out with a note, never
more out than is saved, nothing into an archived goal, and the progress it adds up to."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from domain.activity.models import Event
from domain.db import unit_of_work
from domain.goals.models import GoalContribution
from domain.goals.tracking import check_all_goals
from domain.jobs import JOBS
from tests.api.conftest import Caller, assert_problem, count
from tests.api.goals_builders import contribute, contribution, post_goal
from tests.api.ledger_builders import home_of_three


def test_a_contribution_is_stored_and_listed_newest_first(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    url = home.url(f"/goals/{goal['id']}/contributions")
    older = contribute(sam, home, goal["id"], home.sam, 20_000, date="2026-01-31", note="Jan")
    newer = contribute(alex, home, goal["id"], home.alex, 15_000, date="2026-02-28")
    assert older["amount"] == 20_000 and older["currency"] == "EUR"
    assert older["note"] == "Jan" and older["imported_row_id"] is None
    listed = sam.get(url).json()["data"]
    assert [c["id"] for c in listed] == [newer["id"], older["id"]]
    mine = sam.get(url, params={"member_id": home.alex}).json()["data"]
    assert [c["id"] for c in mine] == [newer["id"]]
    page = sam.get(url, params={"limit": 1}).json()
    rest = sam.get(url, params={"cursor": page["next_cursor"]}).json()["data"]
    assert [c["id"] for c in rest] == [older["id"]]
    assert sam.get(home.url(f"/goals/{goal['id']}")).json()["saved"] == 35_000


def test_a_withdrawal_needs_a_note_and_never_takes_more_than_is_saved(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    url = home.url(f"/goals/{goal['id']}/contributions")
    contribute(sam, home, goal["id"], home.sam, 10_000)
    assert_problem(sam.post(url, json=contribution(home.sam, -1_000)), 422, field="note")
    assert_problem(sam.post(url, json=contribution(home.sam, -1_000, note="  ")), 422, field="note")
    too_much = sam.post(url, json=contribution(home.alex, -10_001, note="car repair"))
    # 409, as for a pot: a conflict with what is saved now, not a malformed request.
    assert "more than the 10000 saved" in assert_problem(too_much, 409)["detail"]
    assert count(engine, GoalContribution) == 1
    out = contribute(sam, home, goal["id"], home.alex, -10_000, note="car repair")
    assert out["amount"] == -10_000
    assert sam.get(home.url(f"/goals/{goal['id']}")).json()["saved"] == 0


def test_an_archived_goal_takes_no_contribution(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    contribute(sam, home, goal["id"], home.sam)
    assert sam.delete(home.url(f"/goals/{goal['id']}")).status_code == 204
    response = sam.post(home.url(f"/goals/{goal['id']}/contributions"), json=contribution(home.sam))
    assert_problem(response, 409)
    assert count(engine, GoalContribution) == 1


def test_a_contribution_in_another_currency_is_converted_at_its_rate(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    body = contribute(sam, home, goal["id"], home.sam, 10_000, currency="USD", exchange_rate="0.9")
    assert (body["amount"], body["original_amount"], body["original_currency"]) == (
        9_000,
        10_000,
        "USD",
    )
    response = sam.post(
        home.url(f"/goals/{goal['id']}/contributions"),
        json=contribution(home.sam, 10_000, currency="USD"),
    )
    assert_problem(response, 422, field="exchange_rate")


def test_progress_adds_up_contributions_against_the_split(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    split = {
        "method": "percent",
        "participants": [
            {"member_id": home.sam, "percent": 25},
            {"member_id": home.alex, "percent": 75},
        ],
    }
    today = date.today()
    goal = post_goal(
        sam,
        home,
        target={"amount": 120_000, "currency": "EUR"},
        due_on=(today + timedelta(days=400)).isoformat(),
        split=split,
    )
    contribute(sam, home, goal["id"], home.sam, 30_000)
    contribute(alex, home, goal["id"], home.alex, 10_000)
    response = sam.get(home.url(f"/goals/{goal['id']}/progress"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["saved"], body["target"], body["remaining"], body["reached"]) == (
        40_000,
        120_000,
        80_000,
        False,
    )
    assert body["as_of"] == today.isoformat() or abs(
        date.fromisoformat(body["as_of"]) - today
    ) <= timedelta(days=1)
    assert body["months_left"] in (13, 14)
    assert body["monthly_needed"] == -(-80_000 // body["months_left"])
    members = {m["member_id"]: m for m in body["members"]}
    assert members[home.sam]["contributed"] == 30_000
    assert members[home.sam]["contributed_share"] == 0.75
    assert members[home.sam]["target_share"] == 0.25
    assert members[home.sam]["deviation"] == 0.5
    assert members[home.sam]["agreed"] == 30_000
    assert members[home.alex]["agreed"] == 90_000
    assert members[home.robin]["target_share"] == 0


def test_reaching_the_target_records_goal_reached_once(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home, target={"amount": 10_000, "currency": "EUR"})
    contribute(sam, home, goal["id"], home.sam, 6_000)
    contribute(alex, home, goal["id"], home.alex, 4_000)
    contribute(alex, home, goal["id"], home.alex, 1_000)
    assert count(engine, Event, Event.type == "goal.reached") == 1
    assert count(engine, Event, Event.type == "goal.contribution_added") == 3
    contribute(sam, home, goal["id"], home.sam, -2_000, note="fees")
    contribute(sam, home, goal["id"], home.sam, 2_000)
    assert count(engine, Event, Event.type == "goal.reached") == 2
    progress = sam.get(home.url(f"/goals/{goal['id']}/progress")).json()
    assert (progress["reached"], progress["remaining"], progress["on_track"]) == (True, 0, True)


def test_falling_behind_the_pace_records_goal_off_track(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    soon = (date.today() + timedelta(days=60)).isoformat()
    goal = post_goal(sam, home, target={"amount": 1_000_000, "currency": "EUR"}, due_on=soon)
    contribute(sam, home, goal["id"], home.sam, 1_000)
    contribute(sam, home, goal["id"], home.sam, 1_000)
    events = count(engine, Event, Event.type == "goal.off_track")
    assert events == 1
    progress = sam.get(home.url(f"/goals/{goal['id']}/progress")).json()
    assert progress["on_track"] is False
    assert progress["projected"] < 1_000_000


def test_the_worker_notices_a_goal_falling_behind_as_time_passes_once(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    due = date.today() + timedelta(days=200)
    goal = post_goal(
        sam, home, target={"amount": 60_000, "currency": "EUR"}, due_on=due.isoformat()
    )
    contribute(sam, home, goal["id"], home.sam, 20_000)
    assert count(engine, Event, Event.type == "goal.off_track") == 0
    # Four months on with nothing more put in: 20,000 over the last three months' window
    # is gone from the pace, so it no longer gets there.
    later = datetime.now(UTC) + timedelta(days=125)
    for _ in range(2):
        with unit_of_work(engine) as session:
            check_all_goals(session, now=later)
    assert count(engine, Event, Event.type == "goal.off_track") == 1
    assert "goals" in JOBS  # `fairstead worker` runs the same pass
