"""Goals through the API: create with a split, list, read, change, archive, delete."""

from sqlalchemy import Engine

from domain.goals.models import Goal
from tests.api.conftest import Caller, assert_problem, count, fetch
from tests.api.goals_builders import NEXT_YEAR, contribute, post_goal
from tests.api.ledger_builders import equal, home_of_three


def test_a_goal_is_stored_with_the_agreement_split_by_default(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    response = sam.post(
        home.url("/goals"),
        json={"name": "Holiday", "target": {"amount": 300_000, "currency": "EUR"}},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == home.url(f"/goals/{body['id']}")
    assert response.headers["ETag"]
    assert body["split"] == {"method": "agreement", "participants": []}
    assert body["target"] == {"amount": 300_000, "currency": "EUR"}
    assert (body["saved"], body["reached"], body["archived"], body["due_on"]) == (
        0,
        False,
        False,
        None,
    )
    assert alex.get(home.url(f"/goals/{body['id']}")).json() == body


def test_a_goal_needs_no_target_and_takes_any_expense_split(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    shares = {
        "method": "shares",
        "participants": [
            {"member_id": home.sam, "shares": 2},
            {"member_id": home.alex, "shares": 1},
        ],
    }
    body = post_goal(sam, home, target=None, due_on=None, split=shares, description="rainy days")
    assert body["target"] is None
    assert body["split"]["participants"][0] == {
        "member_id": home.sam,
        "shares": 2,
        "percent": None,
        "amount": None,
    }
    percent = {
        "method": "percent",
        "participants": [
            {"member_id": home.sam, "percent": 62.5},
            {"member_id": home.alex, "percent": 37.5},
        ],
    }
    assert post_goal(sam, home, split=percent)["split"]["participants"][1]["percent"] == 37.5


def test_goals_list_newest_first_and_filter_by_archived(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    first = post_goal(sam, home, name="First")
    second = post_goal(sam, home, name="Second")
    contribute(sam, home, first["id"], home.sam)
    assert sam.delete(home.url(f"/goals/{first['id']}")).status_code == 204
    listed = sam.get(home.url("/goals")).json()
    assert [g["id"] for g in listed["data"]] == [second["id"], first["id"]]
    assert listed["data"][1]["saved"] == 10_000
    active = sam.get(home.url("/goals"), params={"archived": "false"}).json()["data"]
    assert [g["id"] for g in active] == [second["id"]]
    archived = sam.get(home.url("/goals"), params={"archived": "true"}).json()["data"]
    assert [g["id"] for g in archived] == [first["id"]]
    page = sam.get(home.url("/goals"), params={"limit": 1}).json()
    rest = sam.get(home.url("/goals"), params={"cursor": page["next_cursor"]}).json()
    assert [g["id"] for g in page["data"] + rest["data"]] == [second["id"], first["id"]]


def test_patch_changes_fields_clears_with_null_and_respects_if_match(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    url = home.url(f"/goals/{goal['id']}")
    etag = sam.get(url).headers["ETag"]
    response = sam.patch(
        url,
        json={"name": "Bigger flat", "target": None, "split": equal(home.sam, home.alex)},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["name"], body["target"], body["split"]["method"]) == ("Bigger flat", None, "equal")
    assert_problem(sam.patch(url, json={"name": "x"}, headers={"If-Match": etag}), 412)
    assert_problem(sam.patch(url, json={"name": None}), 422, field="name")


def test_a_goal_without_contributions_is_deleted(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    assert sam.delete(home.url(f"/goals/{goal['id']}")).status_code == 204
    assert fetch(engine, Goal, goal["id"]) is None
    assert_problem(sam.get(home.url(f"/goals/{goal['id']}")), 404)


def test_a_goal_with_contributions_is_archived_and_can_come_back(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    contribute(sam, home, goal["id"], home.alex, 5_000)
    url = home.url(f"/goals/{goal['id']}")
    assert sam.delete(url).status_code == 204
    archived = sam.get(url).json()
    assert archived["archived"] is True and archived["saved"] == 5_000
    assert archived["archived_at"] is not None
    assert_problem(sam.patch(url, json={"name": "Still"}), 409)
    back = sam.patch(url, json={"archived": False})
    assert back.status_code == 200, back.text
    assert back.json()["archived"] is False
    assert count(engine, Goal) == 1


def test_a_due_date_that_has_passed_may_stay_but_cannot_be_set(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home, due_on=NEXT_YEAR)
    url = home.url(f"/goals/{goal['id']}")
    assert_problem(sam.patch(url, json={"due_on": "2020-01-01"}), 422, field="due_on")
    assert sam.patch(url, json={"description": "now with a note"}).status_code == 200
    assert sam.get(url).json()["due_on"] == NEXT_YEAR
