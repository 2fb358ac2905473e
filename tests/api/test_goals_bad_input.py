"""Bad input to goals and contributions: a clear 4xx problem, and nothing stored."""

from typing import Any

import pytest
from sqlalchemy import Engine

from domain.goals.models import Goal, GoalContribution
from tests.api.conftest import Caller, assert_problem, count
from tests.api.goals_builders import contribute, contribution, goal_body, post_goal
from tests.api.ledger_builders import home_of_three


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": {"amount": 100, "currency": "XYZ"}}, "target.currency"),
        ({"target": {"amount": 100, "currency": "USD"}}, "target.currency"),
        ({"target": {"amount": 0, "currency": "EUR"}}, "target.amount"),
        ({"target": {"amount": -5, "currency": "EUR"}}, "target.amount"),
        ({"target": {"amount": 12.5, "currency": "EUR"}}, "target.amount"),
        ({"target": {"amount": "100", "currency": "EUR"}}, "target.amount"),
        ({"target": {"amount": 10**19, "currency": "EUR"}}, "target.amount"),
        ({"target": {"amount": 100}}, "target.currency"),
        ({"due_on": "2020-01-01"}, "due_on"),
        ({"due_on": "not a date"}, "due_on"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "nul\u0000byte"}, "name"),
        ({"description": "d" * 2001}, "description"),
        ({"name": None}, "name"),
        ({"id": "mine"}, "id"),
        ({"saved": 5}, "saved"),
        ({"split": {"method": "thirds"}}, "split.method"),
        ({"split": {"method": "equal", "participants": []}}, "split.participants"),
        ({"split": {"method": "exact", "participants": []}, "target": None}, "split.method"),
    ],
)
def test_a_bad_goal_is_refused_and_nothing_is_stored(
    sam: Caller, alex: Caller, engine: Engine, change: dict[str, Any], field: str
) -> None:
    home = home_of_three(sam, alex)
    body = goal_body(**change)
    if "name" in change and change["name"] is None:
        body["name"] = None
    assert_problem(sam.post(home.url("/goals"), json=body), 422, field=field)
    assert count(engine, Goal) == 0


def test_missing_name_and_a_body_that_is_not_an_object_are_422(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    assert_problem(sam.post(home.url("/goals"), json={}), 422, field="name")
    assert_problem(sam.post(home.url("/goals"), json=[1, 2]), 422)


def test_an_exact_split_must_add_up_to_the_target(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    split = {
        "method": "exact",
        "participants": [
            {"member_id": home.sam, "amount": 100},
            {"member_id": home.alex, "amount": 100},
        ],
    }
    body = goal_body(target={"amount": 300, "currency": "EUR"}, split=split)
    assert_problem(sam.post(home.url("/goals"), json=body), 422, field="split.participants")
    body["target"]["amount"] = 200
    assert sam.post(home.url("/goals"), json=body).status_code == 201


def test_a_split_with_a_member_of_another_household_or_twice_the_same_is_refused(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    other = home_of_three(alex, sam)
    split = {"method": "equal", "participants": [{"member_id": other.robin}]}
    response = sam.post(home.url("/goals"), json=goal_body(split=split))
    assert_problem(response, 422, field="split.participants.0.member_id")
    twice = {"method": "equal", "participants": [{"member_id": home.sam}, {"member_id": home.sam}]}
    assert_problem(sam.post(home.url("/goals"), json=goal_body(split=twice)), 422)
    assert count(engine, Goal) == 0


def test_a_patch_that_breaks_the_goal_changes_nothing(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    url = home.url(f"/goals/{goal['id']}")
    for body, field in (
        ({"target": {"amount": 0, "currency": "EUR"}}, "target.amount"),
        ({"archived": "yes"}, "archived"),
        ({"archived": None}, "archived"),
        ({"version": 3}, "version"),
    ):
        assert_problem(sam.patch(url, json=body), 422, field=field)
    assert sam.get(url).json() == goal


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": 10.5}, "amount"),
        ({"amount": "100"}, "amount"),
        ({"amount": 10**16}, "amount"),
        ({"amount": True}, "amount"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"date": "2026-02-30"}, "date"),
        ({"member_id": "nobody"}, "member_id"),
        ({"member_id": "m" * 37}, "member_id"),
        ({"note": "n" * 2001}, "note"),
        ({"note": "a\u0000b"}, "note"),
        ({"exchange_rate": "1.1"}, "exchange_rate"),
        ({"goal_id": "x"}, "goal_id"),
    ],
)
def test_a_bad_contribution_is_refused_and_nothing_is_stored(
    sam: Caller, alex: Caller, engine: Engine, change: dict[str, Any], field: str
) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    body = contribution(home.sam) | change
    response = sam.post(home.url(f"/goals/{goal['id']}/contributions"), json=body)
    assert_problem(response, 422, field=field)
    assert count(engine, GoalContribution) == 0


def test_a_contribution_by_a_member_of_another_household_is_refused(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    other = home_of_three(alex, sam)
    goal = post_goal(sam, home)
    response = sam.post(
        home.url(f"/goals/{goal['id']}/contributions"), json=contribution(other.robin)
    )
    assert_problem(response, 422, field="member_id")
    assert count(engine, GoalContribution) == 0


def test_a_goal_can_only_be_reached_through_its_own_household(
    sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    contribute(sam, home, goal["id"], home.sam)
    stranger = new_user("Eve")
    theirs = stranger.household()
    for method, path, body in (
        ("GET", f"/goals/{goal['id']}", None),
        ("PATCH", f"/goals/{goal['id']}", {"name": "x"}),
        ("DELETE", f"/goals/{goal['id']}", None),
        ("GET", f"/goals/{goal['id']}/progress", None),
        ("GET", f"/goals/{goal['id']}/contributions", None),
        ("POST", f"/goals/{goal['id']}/contributions", contribution(home.sam)),
    ):
        assert_problem(stranger.request(method, home.url(path), json=body), 404)
        elsewhere = f"/v1/households/{theirs['id']}{path}"
        assert_problem(stranger.request(method, elsewhere, json=body), 404)
    assert count(engine, GoalContribution) == 1
    assert sam.get(home.url(f"/goals/{goal['id']}")).json()["archived"] is False


def test_ids_with_a_nul_are_simply_not_found(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    assert_problem(sam.get(home.url("/goals/ab%00cd")), 404)
    assert_problem(sam.get(home.url("/goals/ab%00cd/progress")), 404)
    listed = sam.get(home.url(f"/goals/{goal['id']}/contributions"), params={"member_id": "a\x00"})
    assert listed.status_code == 200 and listed.json()["data"] == []
    bad_rule = {"action": "goal_contribution", "goal_id": "g\x00"}
    assert_problem(sam.post(home.url("/import-rules"), json=bad_rule), 422, field="goal_id")


def test_a_read_only_token_cannot_create_goals_or_contributions(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    token = sam.post(
        "/v1/tokens",
        json={
            "email": sam.email,
            "password": "correct horse battery",
            "name": "ro",
            "scopes": ["read"],
        },
    )
    assert token.status_code == 201, token.text
    reader = Caller(sam.client, token.json()["token"], sam.user_id, sam.email)
    assert_problem(reader.post(home.url("/goals"), json=goal_body()), 403)
    assert_problem(
        reader.post(home.url(f"/goals/{goal['id']}/contributions"), json=contribution(home.sam)),
        403,
    )
    assert reader.get(home.url(f"/goals/{goal['id']}/progress")).status_code == 200


def test_the_same_idempotency_key_creates_one_contribution(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    goal = post_goal(sam, home)
    url = home.url(f"/goals/{goal['id']}/contributions")
    headers = {"Idempotency-Key": "deposit-1"}
    first = sam.post(url, json=contribution(home.sam), headers=headers)
    again = sam.post(url, json=contribution(home.sam), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert count(engine, GoalContribution) == 1
