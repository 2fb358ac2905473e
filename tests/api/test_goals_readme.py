"""The README's worked example: a flat deposit funded from two personal accounts, from the
bank files to the progress, the report's goals section and a goal_rebalance proposal."""

from typing import Any

from fastapi import FastAPI

from tests.api.conftest import Caller
from tests.api.fairness_builders import END_OF_MARCH, by_member, couple, propose, respond
from tests.api.imports_builders import imported, qif, rule


def test_the_readme_flat_deposit(app: FastAPI, sam: Caller, alex: Caller) -> None:
    home = couple(app, sam, alex)
    split = {
        "method": "percent",
        "participants": [
            {"member_id": home.sam, "percent": 60},
            {"member_id": home.alex, "percent": 40},
        ],
    }
    goal = sam.post(
        home.url("/goals"),
        json={
            "name": "Flat deposit",
            "target": {"amount": 3_000_000, "currency": "EUR"},
            "due_on": "2027-12-31",
            "split": split,
            "description": "30,000 by the end of next year, 60:40 like our incomes",
        },
    ).json()
    connection = sam.post(
        home.url("/connections"),
        json={
            "provider": "file",
            "name": "Current accounts",
            "account_map": {"Sam current": home.sam, "Alex current": home.alex},
        },
    ).json()
    made = rule(
        sam, home.id, name="Deposit savings", payee="Joint savings",
        action="goal_contribution", goal_id=goal["id"],
    )  # fmt: skip
    assert made["action"] == "goal_contribution"

    def statement(caller: Caller, account: str, amount: str) -> dict[str, Any]:
        rows = [(f"2026-0{m}-01", amount, "Transfer Joint savings") for m in (1, 2, 3)]
        rows.append(("2026-03-02", "-54.20", "Supermarket"))
        return imported(caller, home.id, qif(rows), connection_id=connection["id"], account=account)

    home.clock.set(END_OF_MARCH)
    run = statement(sam, "Sam current", "-600.00")
    assert (run["counts"]["created"], run["counts"]["needs_review"]) == (3, 1)
    statement(alex, "Alex current", "-300.00")

    progress = sam.get(home.url(f"/goals/{goal['id']}/progress")).json()
    assert {k: v for k, v in progress.items() if k not in ("goal_id", "members")} == {
        "as_of": "2026-03-31",
        "currency": "EUR",
        "saved": 270_000,
        "target": 3_000_000,
        "remaining": 2_730_000,
        "reached": False,
        "due_on": "2027-12-31",
        "past_due": False,
        "months_left": 21,
        "monthly_needed": 130_000,
        "pace_monthly": 90_000,
        "projected": 2_160_000,
        "on_track": False,
    }
    members = {m["member_id"]: m for m in progress["members"]}
    assert members[home.sam] == {
        "member_id": home.sam,
        "contributed": 180_000,
        "contributed_share": 2 / 3,
        "target_share": 0.6,
        "deviation": 1 / 15,
        "agreed": 1_800_000,
    }
    assert members[home.alex]["agreed"] == 1_200_000

    report = sam.get(
        home.url("/fairness/report"), params={"from": "2026-03-01", "to": "2026-03-31"}
    )
    goals = report.json()["dimensions"]["goals"]
    assert goals["score"] == 93.3
    assert by_member(goals)[home.sam]["actual"] == 180_000

    proposal = propose(home)["goal_rebalance"]
    assert proposal["rationale"] == (
        "Sam carried more than their share of the goals for two periods running (Sam 67% "
        "against an agreed 60%). For the next 3 months, Sam 720.00 EUR and Alex 580.00 EUR a "
        "month set aside for Flat deposit evens it out."
    )
    respond(home, proposal["id"], home.sam, "accept")
    assert respond(home, proposal["id"], home.alex, "accept")["status"] == "applied"
