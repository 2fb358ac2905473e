"""Deleting a household removes its whole history, on SQLite and on PostgreSQL.

Members are referenced by RESTRICT foreign keys (an expense's payers and shares, votes, goal
contributions) so that a member with history cannot be deleted on its own; the household's
delete cascades to those rows and to the members in one statement, and must not trip them.
"""

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from domain.ledger import totals
from tests.api import decisions_builders as decisions
from tests.api import goals_builders as goals
from tests.api import pots_builders as pots
from tests.api.conftest import Caller, assert_problem
from tests.api.ledger_builders import equal, expense, home_of_three, post_expense

# Every table whose rows belong to a household through a member or an expense.
OWNED = (
    "members",
    "expenses",
    "expense_payers",
    "expense_shares",
    "settlements",
    "pots",
    "pot_contributions",
    "goals",
    "goal_contributions",
    "decisions",
    "decision_voters",
    "member_totals",
)


def rows(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def test_a_household_with_money_votes_pots_and_goals_can_be_deleted(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    post_expense(sam, home, expense(home.alex, split=equal(*home.members)))
    post_expense(sam, home, expense(home.robin, amount=1200, split=equal(home.sam, home.robin)))
    settled = sam.post(
        home.url("/settlements"),
        json={
            "from_member_id": home.robin,
            "to_member_id": home.alex,
            "amount": 500,
            "currency": "EUR",
            "date": "2026-03-02",
        },
    )
    assert settled.status_code == 201, settled.text
    pot = pots.open_pot(sam, home)
    pots.contribute(sam, home, pot["id"], home.alex, 10_000)
    post_expense(sam, home, pots.pot_expense(pot["id"]))
    goal = goals.post_goal(sam, home)
    goals.contribute(sam, home, goal["id"], home.robin)
    voting = decisions.Home(home.id, home.sam, home.alex, home.robin)
    decision = decisions.propose(sam, voting)
    decisions.cast(
        sam, voting, decision, home.sam, {"option_id": decisions.option(decision, "Sea")}
    )
    # A second household, so the delete can be seen to stop at the first.
    other = home_of_three(alex, sam)
    post_expense(alex, other, expense(other.sam, split=equal(*other.members)))
    before = {table: rows(engine, table) for table in OWNED}
    assert all(before.values()), before

    response = sam.delete(home.url())
    assert response.status_code == 204, response.text

    assert_problem(sam.get(home.url()), 404)
    after = {table: rows(engine, table) for table in OWNED}
    # What is left is the other household's: three members, one expense paid by one, shared
    # by three, and the three members' kept totals.
    left = {"members": 3, "expenses": 1, "expense_payers": 1, "expense_shares": 3}
    assert after == {table: left.get(table, 0) for table in OWNED} | {"member_totals": 3}
    with Session(engine) as session:
        assert totals.drift(session, household_id=other.id) == []
    assert alex.get(other.url("/balances")).status_code == 200
