"""A bulk import writes what the ledger's own `create_expense` writes for the same rows.

Shared rows are checked, split and inserted a chunk at a time (`ExpenseWriter`,
`insert_expenses`), and on SQLite the kept totals of a chunk are added in a few grouped
statements while the row triggers stand idle (migration 0020_deferred_totals). Here the same
expenses are made again one by one through `create_expense` in the same household: the
expenses, their payers, shares and events, and what each way adds to the kept member totals
and member day totals must be equal. Runs on PostgreSQL too (whose triggers stay per row).
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.activity.service import Actor
from domain.db import unit_of_work, yielding_commit
from domain.households import versions
from domain.households.models import Household
from domain.imports.models import FILE_SCOPE
from domain.imports.pipeline import Source, import_batch
from domain.imports.records import Batch, ImportedTransaction
from domain.imports.runs import finish_run, start_run
from domain.ledger import totals
from domain.ledger.expense_input import ExpenseInput, input_of
from domain.ledger.expenses import ExpenseWriter, create_expense, insert_expenses
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from domain.ledger.splitting import SplitMethod
from tests.api.conftest import sign_up
from tests.api.imports_builders import member_of, share_everything

START = date(2026, 2, 1)
# Amounts as the bank gives them (negative: money left the account), some too small to
# reach every member, one refund, one large; a few in USD converted at the stored rate.
AMOUNTS = [-1, -2, -3, -7, -100, -1250, -4511, 500, -99_999_999, -333, -10, -1]
_SKIPPED = {"id", "created_at", "updated_at"}


def _household(client: TestClient) -> tuple[str, str, list[str]]:
    sam = sign_up(client, "Sam")
    household_id = sam.household()["id"]
    url = f"/v1/households/{household_id}"
    me = member_of(sam, household_id)
    others = [sam.member(household_id, display_name=name)["id"] for name in ("Alex", "Kim")]
    rates = [
        {"currency": "USD", "date": (START + timedelta(days=d)).isoformat(), "rate": "0.9137"}
        for d in range(len(AMOUNTS))
    ]
    assert sam.put(f"{url}/exchange-rates", json={"rates": rates}).status_code == 200
    share_everything(sam, household_id)
    return household_id, me, [me, *others]


def _rows() -> list[ImportedTransaction]:
    return [
        ImportedTransaction(
            source_id=None,
            account="Checking",
            date=START + timedelta(days=i),
            amount=amount,
            currency="USD" if i % 4 == 3 else "EUR",
            payee=f"Shop {i}",
            line=i + 1,
        )
        for i, amount in enumerate(AMOUNTS)
    ]


def _snapshot(engine: Engine, household_id: str) -> tuple[dict[str, Any], dict[Any, Any]]:
    with Session(engine) as session:
        assert totals.drift(session, household_id=household_id) == []
        assert totals.day_drift(session, household_id=household_id) == {}
        kept = totals.kept(session, household_id=household_id)
        days = totals.kept_days(session, household_id=household_id)
    return {m: (t.paid, t.owed) for m, t in kept.items()}, days


def _minus(after: dict[Any, Any], before: dict[Any, Any]) -> dict[Any, Any]:
    return {
        key: tuple(a - b for a, b in zip(value, before.get(key, (0, 0)), strict=True))
        for key, value in after.items()
        if value != before.get(key)
    }


def _written(engine: Engine, household_id: str, ids: list[str]) -> list[dict[str, Any]]:
    """Each expense as stored, without what differs by nature (id, timestamps)."""
    found = []
    with Session(engine) as session:
        for expense_id in ids:
            expense = session.get_one(Expense, expense_id)
            row = {k: v for k, v in expense.model_dump().items() if k not in _SKIPPED}
            for name, table in (("payers", ExpensePayer), ("shares", ExpenseShare)):
                parts = session.scalars(
                    select(table).where(table.expense_id == expense_id).order_by(table.position)
                )
                row[name] = [(p.member_id, p.position, p.amount) for p in parts]
            [event] = session.scalars(select(Event).where(Event.subject_id == expense_id))
            row["event"] = {
                k: v
                for k, v in event.model_dump().items()
                if k not in ("id", "created_at", "subject_id")
            }
            found.append(row)
    return found


def _expense_ids(engine: Engine, household_id: str) -> list[str]:
    with Session(engine) as session:
        query = select(Expense.id).where(Expense.household_id == household_id)
        return list(session.scalars(query.order_by(Expense.id)))


def test_a_bulk_import_writes_what_create_expense_writes_for_the_same_rows(
    client: TestClient, engine: Engine
) -> None:
    household_id, me, _ = _household(client)
    actor = Actor(user_id=None, member_id=me)
    before = _snapshot(engine, household_id)
    with unit_of_work(engine) as session:
        household = session.get_one(Household, household_id)
        now = datetime.now(UTC)
        run = start_run(session, household_id=household_id, actor=actor, source="file", now=now)
        tally = import_batch(
            session,
            household=household,
            actor=actor,
            run=run,
            source=Source(scope=FILE_SCOPE, default_member=me),
            batch=Batch(transactions=_rows()),
            now=now,
            checkpoint=yielding_commit(session),
        )
        finish_run(session, run=run, actor=actor, tally=tally, now=now)
    assert tally.counts.created == len(AMOUNTS), tally
    imported_ids = _expense_ids(engine, household_id)
    after_import = _snapshot(engine, household_id)

    with unit_of_work(engine) as session:
        household = session.get_one(Household, household_id)
        for expense_id in imported_ids:
            data = input_of(session.get_one(Expense, expense_id))
            create_expense(session, household=household, actor=actor, data=data)
    typed_ids = [i for i in _expense_ids(engine, household_id) if i not in imported_ids]
    after_typed = _snapshot(engine, household_id)

    assert _written(engine, household_id, imported_ids) == _written(engine, household_id, typed_ids)
    for kept in range(2):  # member totals, then member day totals
        added_by_import = _minus(after_import[kept], before[kept])
        assert added_by_import, "the import added nothing to the kept totals"
        assert added_by_import == _minus(after_typed[kept], after_import[kept])


def test_a_chunk_of_expenses_bumps_the_household_version_once_per_payer_and_share(
    client: TestClient, engine: Engine
) -> None:
    """As the row triggers do (0015_member_totals): only a changed version matters to an
    ETag, but the deferred totals keep even its value."""
    household_id, me, members = _household(client)
    actor = Actor(user_id=None, member_id=me)
    inputs = [
        ExpenseInput(
            description=f"Bill {amount}",
            amount=amount,
            currency="EUR",
            date=START + timedelta(days=amount % 5),
            paid_by=members[amount % 3],
            split_method=SplitMethod.AGREEMENT,
            participants=[],
        )
        for amount in (1, 2, 5, 700, 1001)
    ]
    with unit_of_work(engine) as session:
        household = session.get_one(Household, household_id)
        writer = ExpenseWriter(session, household, actor)
        batch = [writer.rows(data) for data in inputs]
        was = versions.current(session, household_id=household_id)
        insert_expenses(session, batch)
        now = versions.current(session, household_id=household_id)
    assert now - was == sum(len(rows.payers) + len(rows.shares) for rows in batch)
    _snapshot(engine, household_id)  # no drift
