"""Goals in the fairness engine: the report's `goals` section, and a `goal_rebalance`
proposal when one member carried more than their share two periods running."""

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from domain.activity.models import Event
from tests.api.conftest import Caller, count
from tests.api.fairness_builders import (
    END_OF_MARCH,
    Couple,
    by_member,
    couple,
    propose,
    report,
    respond,
)


def deposit(home: Couple, target: int = 120_000) -> str:
    """A flat deposit, split equally by the (default, equal) agreement, due end of August."""
    response = home.caller(home.sam).post(
        home.url("/goals"),
        json={
            "name": "Flat deposit",
            "target": {"amount": target, "currency": "EUR"},
            "due_on": "2026-08-31",
        },
    )
    assert response.status_code == 201, response.text
    goal_id: str = response.json()["id"]
    return goal_id


def put_in(home: Couple, goal_id: str, member_id: str, amount: int, day: str) -> None:
    response = home.caller(member_id).post(
        home.url(f"/goals/{goal_id}/contributions"),
        json={"member_id": member_id, "amount": amount, "currency": "EUR", "date": day},
    )
    assert response.status_code == 201, response.text


def sam_carries_it(home: Couple, goal_id: str) -> None:
    """Sam put in 80% by the end of February and 75% by the end of March."""
    put_in(home, goal_id, home.sam, 40_000, "2026-02-10")
    put_in(home, goal_id, home.alex, 10_000, "2026-02-10")
    home.clock.set(END_OF_MARCH)
    put_in(home, goal_id, home.sam, 20_000, "2026-03-15")
    put_in(home, goal_id, home.alex, 10_000, "2026-03-15")


def test_the_report_has_a_goals_section_against_each_goals_split(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)
    empty = report(home)["dimensions"]["goals"]
    assert empty["score"] is None
    sam_carries_it(home, deposit(home))
    goals: dict[str, Any] = report(home)["dimensions"]["goals"]
    members = by_member(goals)
    assert members[home.sam]["actual"] == 60_000
    assert members[home.sam]["actual_share"] == 0.75
    assert members[home.sam]["target_share"] == 0.5
    assert members[home.sam]["deviation"] == 0.25
    assert goals["score"] == 75.0
    # The section is measured up to `to`: at the end of February Sam had put in 80%.
    february = report(home, {"from": "2026-02-01", "to": "2026-02-28"})
    assert by_member(february["dimensions"]["goals"])[home.sam]["actual_share"] == 0.8


def test_carrying_the_goal_two_periods_running_proposes_a_goal_rebalance(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = couple(app, sam, alex)
    goal_id = deposit(home)
    sam_carries_it(home, goal_id)
    proposal = propose(home)["goal_rebalance"]
    # 40,000 to go in 5 months is 8,000 a month; 3 months of it, all from Alex, who is
    # behind by 32,000 once 24,000 more is saved.
    assert proposal["details"]["monthly"] == [
        {"member_id": home.alex, "amount": 8_000, "currency": "EUR"}
    ]
    assert proposal["details"]["months"] == 3
    assert proposal["details"]["goal_ids"] == [goal_id]
    assert proposal["details"]["expected_goals_score"] > 75.0
    assert set(proposal["affected_member_ids"]) == {home.sam, home.alex}
    assert "Flat deposit" in proposal["rationale"] and "80.00 EUR" in proposal["rationale"]
    respond(home, proposal["id"], home.sam, "accept")
    applied = respond(home, proposal["id"], home.alex, "accept")
    assert applied["status"] == "applied"
    assert count(engine, Event, Event.type == "proposal.applied") == 1


def test_one_period_over_the_share_is_not_enough(app: FastAPI, sam: Caller, alex: Caller) -> None:
    home = couple(app, sam, alex)
    goal_id = deposit(home)
    put_in(home, goal_id, home.sam, 10_000, "2026-02-10")
    put_in(home, goal_id, home.alex, 10_000, "2026-02-10")
    home.clock.set(END_OF_MARCH)
    put_in(home, goal_id, home.sam, 30_000, "2026-03-15")
    assert "goal_rebalance" not in propose(home)


def test_a_contribution_before_everyone_accepts_supersedes_the_plan(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)
    goal_id = deposit(home)
    sam_carries_it(home, goal_id)
    proposal = propose(home)["goal_rebalance"]
    respond(home, proposal["id"], home.sam, "accept")
    put_in(home, goal_id, home.alex, 30_000, "2026-03-31")
    assert respond(home, proposal["id"], home.alex, "accept")["status"] == "superseded"
