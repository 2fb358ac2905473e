"""The whole flow: an agreement both accept, a month of money and chores, the report, the
proposals it produces, the responses, and each accepted proposal applied exactly once."""

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.chores.models import ChoreOccurrence
from tests.api.chores_builders import create_chore
from tests.api.conftest import Caller, assert_problem
from tests.api.fairness_builders import (
    END_OF_MARCH,
    Couple,
    by_member,
    couple,
    log_time,
    propose,
    report,
    respond,
    spend,
)

AGREEMENT = {
    "money": {"target": "income"},
    "time": {"target": "equal"},
    "weights": {"load": {"conception": 1.5}},
    "hour_value": {"amount": 1500, "currency": "EUR"},
}


def march(app: FastAPI, sam: Caller, alex: Caller) -> Couple:
    """Incomes 3,000 and 1,500; in March Sam pays the rent (1,200.00) and Alex the
    groceries (300.00), both split by the agreement; Alex does 1,400 weighted minutes of
    chores, Sam 600; a daily dishes rota runs from 31 March."""
    home = couple(app, sam, alex, incomes=(300_000, 150_000))
    asked = sam.put(home.url("/agreement"), json=AGREEMENT)
    assert asked.status_code == 202, asked.text
    assert respond(home, asked.json()["id"], home.alex, "accept")["status"] == "applied"
    home.clock.set(END_OF_MARCH)
    spend(home, home.sam, 120_000, "2026-03-01", description="Rent")
    spend(home, home.alex, 30_000, "2026-03-14")
    log_time(home, home.sam, 600, "2026-03-10")
    log_time(home, home.alex, 800, "2026-03-12")
    log_time(home, home.alex, 400, "2026-03-20", load="conception")  # 600 weighted
    create_chore(
        sam, home, name="Dishes", estimated_minutes=30, effort=2, starts_on="2026-03-31",
        assignment={"strategy": "round_robin"},
    )  # fmt: skip
    return home


def test_the_report_measures_money_by_the_splits_and_time_by_the_agreement(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = march(app, sam, alex)
    body = report(home)
    money = by_member(body["dimensions"]["money"])
    time = by_member(body["dimensions"]["time"])
    # Splits by income: Sam bears 1,000.00 of 1,500.00 (2/3) but paid 1,200.00 (80%).
    assert money[home.sam] == {
        "member_id": home.sam,
        "actual": 120_000,
        "actual_share": 0.8,
        "target_share": 0.6667,
        "deviation": 0.1333,
    }
    assert body["dimensions"]["money"]["score"] == 86.7
    assert time[home.alex]["actual"] == 1400.0
    assert (time[home.alex]["actual_share"], time[home.alex]["target_share"]) == (0.7, 0.5)
    assert body["dimensions"]["time"]["score"] == 80.0
    assert body["overall_score"] == 83.3
    assert body["findings"][0] == "Alex did 70% of the weighted chore time against an agreed 50%."
    assert (
        "Sam paid 80% of the shared expenses, settlements included, against an agreed 67%."
        in body["findings"]
    )


def test_proposals_are_applied_exactly_once_when_everyone_affected_accepts(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = march(app, sam, alex)
    proposals = propose(home)
    assert set(proposals) == {"settle_up", "chore_rebalance", "time_compensation"}

    settle = proposals["settle_up"]
    assert settle["details"]["transfers"] == [
        {"from_member_id": home.alex, "to_member_id": home.sam, "amount": 20_000,
         "currency": "EUR"}
    ]  # fmt: skip
    assert settle["expected"]["money_score"] == 100.0
    compensation = proposals["time_compensation"]
    # Alex did 400 weighted minutes beyond half: 6 2/3 hours at 15.00.
    assert compensation["details"]["transfers"][0]["amount"] == 10_000
    assert compensation["details"]["transfers"][0]["from_member_id"] == home.sam

    rebalance = proposals["chore_rebalance"]
    moves = rebalance["details"]["moves"]
    assert moves and all(m["to_member_id"] == home.sam for m in moves)
    assert rebalance["details"]["time_score_after"] > rebalance["details"]["time_score_before"]
    assert set(rebalance["affected_member_ids"]) == {home.sam, home.alex}

    first = respond(home, rebalance["id"], home.sam, "accept", note="Fair enough")
    assert first["status"] == "open"
    applied = respond(home, rebalance["id"], home.alex, "accept")
    assert applied["status"] == "applied"
    with Session(engine) as session:
        for move in moves:
            occurrence = session.get(ChoreOccurrence, move["occurrence_id"])
            assert occurrence is not None and occurrence.assigned_member_id == home.sam
        assigned = session.scalars(
            select(Event).where(Event.type == "chore.assigned", Event.household_id == home.id)
        ).all()
        assert len([e for e in assigned if e.data["reason"] == "fairness rebalance"]) == len(moves)
        applied_events = session.scalars(
            select(Event).where(
                Event.type == "proposal.applied", Event.subject_id == rebalance["id"]
            )
        ).all()
        assert len(applied_events) == 1

    again = alex.put(
        home.url(f"/fairness/proposals/{rebalance['id']}/responses/{home.alex}"),
        json={"response": "accept"},
    )
    assert_problem(again, 409)
    # The compensation answered the same imbalance: it is superseded, not left dangling.
    still = sam.get(home.url(f"/fairness/proposals/{compensation['id']}")).json()
    assert still["status"] == "superseded"

    respond(home, settle["id"], home.sam, "accept")
    settled = respond(home, settle["id"], home.alex, "accept")
    assert settled["status"] == "applied"
    assert settled["details"]["suggested_settlements"] == settle["details"]["transfers"]


def test_any_reject_closes_a_proposal(app: FastAPI, sam: Caller, alex: Caller) -> None:
    home = march(app, sam, alex)
    settle = propose(home)["settle_up"]
    closed = respond(home, settle["id"], home.alex, "reject", note="Next month")
    assert closed["status"] == "rejected"
    assert closed["responses"][0]["note"] == "Next month"
    late = sam.put(
        home.url(f"/fairness/proposals/{settle['id']}/responses/{home.sam}"),
        json={"response": "accept"},
    )
    assert_problem(late, 409)


def test_a_proposal_whose_data_changed_is_superseded_not_applied(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = march(app, sam, alex)
    settle = propose(home)["settle_up"]
    respond(home, settle["id"], home.sam, "accept")
    spend(home, home.alex, 5_000, "2026-03-31")  # balances move before Alex answers
    stale = respond(home, settle["id"], home.alex, "accept")
    assert stale["status"] == "superseded"
    assert "suggested_settlements" not in stale["details"]
    with Session(engine) as session:
        events = session.scalars(select(Event).where(Event.subject_id == settle["id"])).all()
    assert "proposal.applied" not in {e.type for e in events}


def test_generating_again_supersedes_what_was_still_open(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = march(app, sam, alex)
    old = propose(home)
    new = propose(home)
    assert old["settle_up"]["id"] != new["settle_up"]["id"]
    listed = sam.get(home.url("/fairness/proposals"), params={"status": "open"}).json()
    assert {p["id"] for p in listed["data"]} == {p["id"] for p in new.values()}
    assert (
        sam.get(home.url(f"/fairness/proposals/{old['settle_up']['id']}")).json()["status"]
        == "superseded"
    )


def test_the_summary_is_flat_and_in_major_units(app: FastAPI, sam: Caller, alex: Caller) -> None:
    home = march(app, sam, alex)
    propose(home)
    summary: dict[str, Any] = sam.get(home.url("/fairness/summary")).json()
    assert summary == {
        "overall_score": 83.3,
        "money_score": 86.7,
        "time_score": 80.0,
        "headline": "Alex did 70% of the weighted chore time against an agreed 50%.",
        "open_proposals": 3,
        "currency": "EUR",
        "largest_balance": 200.0,
        **dict.fromkeys(["goal_name", "goal_progress", "goal_saved", "goal_remaining"], None),
        **dict.fromkeys(["goal_monthly_needed", "goal_due_on", "goal_on_track"], None),
    }
