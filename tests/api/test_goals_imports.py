"""From a bank file to a goal contribution: a `goal_contribution` rule books a transfer
into the savings account as a contribution of the member whose account sent it."""

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from domain.goals.models import GoalContribution
from domain.imports.models import ImportedRow
from tests.api.conftest import Caller, assert_problem, count, join
from tests.api.goals_builders import post_goal
from tests.api.imports_builders import imported, member_of, qif, reviews, rule
from tests.api.ledger_builders import Home


def two_accounts(sam: Caller, alex: Caller) -> tuple[Home, str]:
    """Sam and Alex, each with a personal current account, and a file connection that
    knows whose account is whose."""
    household = sam.household()
    alex_member = join(sam, alex, household["id"])
    home = Home(household["id"], member_of(sam, household["id"]), alex_member["id"], "")
    connection = sam.post(
        home.url("/connections"),
        json={
            "provider": "file",
            "name": "Current accounts",
            "account_map": {"Sam current": home.sam, "Alex current": home.alex},
        },
    )
    assert connection.status_code == 201, connection.text
    return home, connection.json()["id"]


def statement(
    caller: Caller, home: Home, connection: str, account: str, rows: Any
) -> dict[str, Any]:
    return imported(
        caller, home.id, qif(rows), connection_id=connection, account=account, currency="EUR"
    )


def contributions(caller: Caller, home: Home, goal_id: str) -> list[dict[str, Any]]:
    response = caller.get(home.url(f"/goals/{goal_id}/contributions"), params={"limit": 200})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def test_transfers_from_two_personal_accounts_become_each_members_contributions(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, connection = two_accounts(sam, alex)
    goal = post_goal(sam, home, target={"amount": 2_000_000, "currency": "EUR"})
    created = rule(
        sam,
        home.id,
        name="to the deposit",
        action="goal_contribution",
        goal_id=goal["id"],
        payee="Joint savings",
    )
    assert created["goal_id"] == goal["id"] and created["action"] == "goal_contribution"
    sams = [
        ("2026-03-01", "-500.00", "Transfer to Joint savings"),
        ("2026-03-02", "-3.20", "Bakery"),
    ]
    run = statement(sam, home, connection, "Sam current", sams)
    assert run["counts"]["created"] == 1, run
    assert run["counts"]["needs_review"] == 1, run
    statement(alex, home, connection, "Alex current", [("2026-03-01", "-300.00", "Joint savings")])
    booked = {c["member_id"]: c for c in contributions(sam, home, goal["id"])}
    assert booked[home.sam]["amount"] == 50_000
    assert booked[home.alex]["amount"] == 30_000
    assert booked[home.sam]["note"] == "Transfer to Joint savings"
    assert booked[home.sam]["imported_row_id"] is not None
    assert sam.get(home.url(f"/goals/{goal['id']}")).json()["saved"] == 80_000
    with Session(engine) as session:
        row = session.get_one(ImportedRow, booked[home.sam]["imported_row_id"])
        assert (row.outcome, row.rule_id) == ("goal_contribution", created["id"])
    again = statement(sam, home, connection, "Sam current", sams)
    assert again["counts"]["duplicates"] == 2, again
    assert count(engine, GoalContribution) == 2


def test_a_qif_transfer_into_the_savings_account_is_a_contribution_not_just_a_transfer(
    sam: Caller, alex: Caller
) -> None:
    home, connection = two_accounts(sam, alex)
    goal = post_goal(sam, home)
    rule(sam, home.id, action="goal_contribution", goal_id=goal["id"], payee="savings")
    data = b"!Type:Bank\nD2026-03-05\nT-250.00\nPMonthly savings\nL[Joint savings]\n^\n"
    run = imported(
        alex, home.id, data, connection_id=connection, account="Alex current", currency="EUR"
    )
    assert run["counts"]["created"] == 1, run
    assert [c["amount"] for c in contributions(sam, home, goal["id"])] == [25_000]


def test_money_back_from_the_savings_account_is_a_withdrawal_and_never_more_than_saved(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, connection = two_accounts(sam, alex)
    goal = post_goal(sam, home)
    rule(sam, home.id, action="goal_contribution", goal_id=goal["id"], payee="Joint savings")
    rows = [("2026-03-01", "-100.00", "Joint savings"), ("2026-03-09", "40.00", "Joint savings")]
    statement(sam, home, connection, "Sam current", rows)
    amounts = sorted(c["amount"] for c in contributions(sam, home, goal["id"]))
    assert amounts == [-4_000, 10_000]
    too_much = statement(
        sam, home, connection, "Sam current", [("2026-03-10", "500.00", "Joint savings")]
    )
    assert too_much["counts"]["failed"] == 1, too_much
    assert "more than" in too_much["errors"][0]["reason"]
    assert count(engine, GoalContribution) == 2


def test_an_unmapped_account_waits_for_review_instead_of_guessing_whose_money_it_was(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, connection = two_accounts(sam, alex)
    goal = post_goal(sam, home)
    rule(sam, home.id, action="goal_contribution", goal_id=goal["id"], payee="Joint savings")
    statement(sam, home, connection, "Someone else", [("2026-03-01", "-10.00", "Joint savings")])
    assert count(engine, GoalContribution) == 0
    assert len(reviews(sam, home.id)) == 1


def test_an_archived_goal_refuses_imported_contributions_row_by_row(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, connection = two_accounts(sam, alex)
    goal = post_goal(sam, home)
    rule(sam, home.id, action="goal_contribution", goal_id=goal["id"], payee="Joint savings")
    statement(sam, home, connection, "Sam current", [("2026-03-01", "-10.00", "Joint savings")])
    assert sam.delete(home.url(f"/goals/{goal['id']}")).status_code == 409  # a rule uses it
    assert sam.patch(home.url(f"/goals/{goal['id']}"), json={"archived": True}).status_code == 200
    run = statement(
        sam, home, connection, "Sam current", [("2026-03-02", "-20.00", "Joint savings")]
    )
    assert run["counts"]["failed"] == 1, run
    assert "archived" in run["errors"][0]["reason"]
    assert count(engine, GoalContribution) == 1


def test_goal_rules_need_a_goal_of_this_household_and_only_they_take_one(
    sam: Caller, alex: Caller
) -> None:
    home, _ = two_accounts(sam, alex)
    goal = post_goal(sam, home)
    url = home.url("/import-rules")
    other = alex.household()
    theirs = post_goal(alex, Home(other["id"], "", "", ""))
    for body in (
        {"action": "goal_contribution"},
        {"action": "goal_contribution", "goal_id": theirs["id"]},
        {"action": "goal_contribution", "goal_id": "nope"},
        {"action": "shared", "goal_id": goal["id"]},
    ):
        assert_problem(sam.post(url, json=body), 422, field="goal_id")
    made = rule(sam, home.id, action="goal_contribution", goal_id=goal["id"], payee="x")
    changed = sam.patch(f"{url}/{made['id']}", json={"action": "ignore"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["goal_id"] is None
