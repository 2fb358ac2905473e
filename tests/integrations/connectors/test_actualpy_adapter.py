"""The real `actualpy` adapter, against a budget database built in memory.

`actualpy` registers its tables (accounts, transactions, payees …) on SQLModel's global
metadata, which is also ours: importing it here would make every table comparison in this
test session see them. So the check runs in a child interpreter, and only where the
optional `actual` extra is installed.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("actual") is None,
    reason="the optional `actual` extra is not installed",
)

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import datetime as dt, json
from sqlmodel import Session, SQLModel, create_engine
from actual.database import Accounts, Categories, CategoryGroups, Payees, Transactions
from integrations.connectors.actual import ActualConnector, ActualLogin, _ActualPyBudget
from contextlib import contextmanager

engine = create_engine("sqlite://")
SQLModel.metadata.create_all(engine)
with Session(engine) as s:
    s.add_all([
        Accounts(id="acc1", name="Checking"), Accounts(id="acc2", name="Savings"),
        CategoryGroups(id="g1", name="Food", is_income=0, tombstone=0),
        Categories(id="c1", name="Groceries", cat_group="g1", hidden=False, tombstone=0),
        Payees(id="p1", name="Lidl", tombstone=0),
        Payees(id="p2", name="", transfer_acct="acc2", tombstone=0),
        Payees(id="p3", name="Starting Balance", tombstone=0),
        Transactions(id="t1", acct="acc1", amount=-4599, date=20251031, payee_id="p1",
                     category_id="c1", notes="weekly", is_parent=0, is_child=0, tombstone=0),
        Transactions(id="t2", acct="acc1", amount=-10000, date=20251101, payee_id="p2",
                     transferred_id="t3", is_parent=0, is_child=0, tombstone=0),
        Transactions(id="t3", acct="acc2", amount=10000, date=20251101, transferred_id="t2",
                     is_parent=0, is_child=0, tombstone=1),
        Transactions(id="t4", acct="acc1", amount=-3000, date=20251102, payee_id="p1",
                     is_parent=1, is_child=0, tombstone=0),
        Transactions(id="t4a", acct="acc1", amount=-2000, date=20251102, payee_id="p1",
                     category_id="c1", parent_id="t4", is_parent=0, is_child=1, tombstone=0),
        Transactions(id="t4b", acct="acc1", amount=-1000, date=20251102, payee_id="p1",
                     parent_id="t4", is_parent=0, is_child=1, tombstone=0),
        Transactions(id="t0", acct="acc1", amount=100000, date=20250101, payee_id="p3",
                     starting_balance_flag=1, is_parent=0, is_child=0, tombstone=0),
        Transactions(id="told", acct="acc1", amount=-1, date=20240101, is_parent=0,
                     is_child=0, tombstone=0),
    ])
    s.commit()

    @contextmanager
    def opener(login):
        yield _ActualPyBudget(s)

    connector = ActualConnector(
        login=ActualLogin("http://actual.lan", "Household", "pw"),
        currency="EUR",
        start_date=dt.date(2025, 1, 1),
        today=lambda: dt.date(2025, 11, 5),
        opener=opener,
    )
    batch = connector.fetch(None)
print(json.dumps({
    "rows": sorted(
        [r.source_id, str(r.date), r.amount, r.kind.value, r.payee, r.memo, list(r.category),
         r.parent_id, r.counterparty, r.deleted]
        for r in batch.transactions
    ),
    "errors": [e.reason for e in batch.errors],
    "cursor": batch.cursor,
}))
"""


def test_actualpy_rows_become_leaf_transactions() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["errors"] == [] and out["cursor"] == "2025-11-05"
    assert out["rows"] == [
        [
            "t1",
            "2025-10-31",
            -4599,
            "expense",
            "Lidl",
            "weekly",
            ["Food", "Groceries"],
            None,
            None,
            False,
        ],
        ["t2", "2025-11-01", -10000, "transfer", None, None, [], "t2", "acc2", False],
        ["t3", "2025-11-01", 10000, "transfer", None, None, [], "t2", None, True],
        [
            "t4a",
            "2025-11-02",
            -2000,
            "expense",
            "Lidl",
            None,
            ["Food", "Groceries"],
            "t4",
            None,
            False,
        ],
        ["t4b", "2025-11-02", -1000, "expense", "Lidl", None, [], "t4", None, False],
    ]
