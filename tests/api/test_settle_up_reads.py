"""GET /settle-up is a read: once its plan is stored, polling it takes no write lock."""

import sqlite3

import pytest
from sqlalchemy import Engine

from domain.ledger.models import SettleUpPlan
from tests.api.conftest import Caller, fetch
from tests.api.ledger_builders import equal, expense, home_of_three, post_expense
from tests.conftest import POSTGRES_URL


@pytest.mark.skipif(POSTGRES_URL is not None, reason="SQLite's one write lock")
def test_polling_an_unchanged_plan_answers_while_another_writer_holds_the_lock(
    sam: Caller, alex: Caller, engine: Engine, database_url: str
) -> None:
    home = home_of_three(sam, alex)
    post_expense(sam, home, expense(home.sam, 3000, split=equal(*home.members)))
    first = sam.get(home.url("/settle-up"))
    assert first.status_code == 200, first.text
    stored = fetch(engine, SettleUpPlan, home.id)

    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
    try:
        again = sam.get(home.url("/settle-up"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert fetch(engine, SettleUpPlan, home.id).updated_at == stored.updated_at


def test_a_changed_plan_is_stored_again(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of_three(sam, alex)
    post_expense(sam, home, expense(home.sam, 3000, split=equal(*home.members)))
    assert sam.get(home.url("/settle-up")).status_code == 200
    post_expense(sam, home, expense(home.alex, 9000, split=equal(*home.members)))
    plan = sam.get(home.url("/settle-up")).json()["transfers"]
    stored = fetch(engine, SettleUpPlan, home.id).transfers
    assert [(t["from_member_id"], t["to_member_id"], t["amount"]) for t in plan] == [
        (t["from_member_id"], t["to_member_id"], t["amount"]) for t in stored
    ]
