import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from domain.imports.records import ImportedTransaction, Kind, RowError, SourceFailed
from integrations.connectors.actual import (
    ActualConnector,
    ActualLogin,
    ActualRow,
    cents_to_minor,
    open_actualpy_budget,
)
from integrations.connectors.values import RowProblem
from tests.integrations.connectors.fakes import without_raw

LOGIN = ActualLogin(
    server_url="http://actual.lan:5006", file="Household", password="hunter2-actual"
)
OCT_31 = dt.date(2025, 10, 31)
NOV_1 = dt.date(2025, 11, 1)

ROWS = [
    ActualRow(
        "t-lidl",
        "acc-checking",
        OCT_31,
        -4599,
        payee="Lidl",
        notes="weekly",
        category=("Food", "Groceries"),
    ),
    ActualRow(
        "t-ikea-1",
        "acc-checking",
        NOV_1,
        -12000,
        payee="IKEA",
        category=("Home", "Furniture"),
        parent_id="t-ikea",
    ),
    ActualRow(
        "t-ikea-2",
        "acc-checking",
        NOV_1,
        -3050,
        payee="IKEA",
        notes="meatballs",
        category=("Food", "Eating out"),
        parent_id="t-ikea",
    ),
    ActualRow(
        "t-out", "acc-checking", NOV_1, -50000, transfer_id="t-in", transfer_account="acc-savings"
    ),
    ActualRow(
        "t-in", "acc-savings", NOV_1, 50000, transfer_id="t-out", transfer_account="acc-checking"
    ),
    ActualRow("t-gone", "acc-checking", NOV_1, -999, payee="Cinema", deleted=True),
    ActualRow("t-card", "acc-card", NOV_1, -1250, payee="Bakery", pending=True),
    ActualRow(
        "t-start",
        "acc-checking",
        dt.date(2025, 1, 1),
        150000,
        payee="Starting Balance",
        starting_balance=True,
    ),
]


class FakeBudget:
    def __init__(self, rows: list[ActualRow]) -> None:
        self._rows = rows
        self.asked: list[dt.date | None] = []
        self.logins: list[ActualLogin] = []

    def rows(self, since: dt.date | None) -> list[ActualRow]:
        self.asked.append(since)
        return [row for row in self._rows if since is None or row.date >= since]

    @contextmanager
    def open(self, login: ActualLogin) -> Iterator["FakeBudget"]:
        self.logins.append(login)
        yield self


def actual(
    rows: list[ActualRow] = ROWS,
    currency: str = "EUR",
    today: dt.date = dt.date(2025, 11, 5),
    **options: object,
) -> tuple[ActualConnector, FakeBudget]:
    budget = FakeBudget(rows)
    connector = ActualConnector(
        login=LOGIN,
        currency=currency,
        today=lambda: today,
        opener=budget.open,
        **options,  # type: ignore[arg-type]
    )
    return connector, budget


def leaf(source_id: str, day: dt.date, amount: int, **fields: object) -> ImportedTransaction:
    defaults: dict[str, object] = {
        "account": "acc-checking",
        "currency": "EUR",
        "kind": Kind.EXPENSE,
    }
    return ImportedTransaction(
        source_id=source_id,
        date=day,
        amount=amount,
        **{**defaults, **fields},  # type: ignore[arg-type]
    )


def test_reads_leaf_rows_splits_transfers_deletions_and_pending_rows() -> None:
    connector, budget = actual()
    batch = connector.fetch(None)
    assert without_raw(batch.transactions) == [
        leaf("t-lidl", OCT_31, -4599, payee="Lidl", memo="weekly", category=("Food", "Groceries")),
        leaf(
            "t-ikea-1",
            NOV_1,
            -12000,
            payee="IKEA",
            category=("Home", "Furniture"),
            parent_id="t-ikea",
        ),
        leaf(
            "t-ikea-2",
            NOV_1,
            -3050,
            payee="IKEA",
            memo="meatballs",
            category=("Food", "Eating out"),
            parent_id="t-ikea",
        ),
        leaf(
            "t-out", NOV_1, -50000, kind=Kind.TRANSFER, parent_id="t-in", counterparty="acc-savings"
        ),
        leaf(
            "t-in",
            NOV_1,
            50000,
            account="acc-savings",
            kind=Kind.TRANSFER,
            parent_id="t-in",
            counterparty="acc-checking",
        ),
        leaf("t-gone", NOV_1, -999, payee="Cinema", deleted=True),
        leaf("t-card", NOV_1, -1250, account="acc-card", payee="Bakery", pending=True),
    ]
    assert batch.errors == []
    assert batch.cursor == "2025-11-05"
    assert budget.asked == [None] and budget.logins == [LOGIN]


def test_the_next_sync_rereads_the_overlap_window() -> None:
    connector, budget = actual(overlap_days=3)
    batch = connector.fetch("2025-11-04")
    assert budget.asked == [dt.date(2025, 11, 1)]
    assert "t-lidl" not in {row.source_id for row in batch.transactions}
    assert batch.cursor == "2025-11-05"


def test_a_start_date_bounds_the_first_sync() -> None:
    connector, budget = actual(start_date=dt.date(2025, 6, 1))
    connector.fetch(None)
    assert budget.asked == [dt.date(2025, 6, 1)]


def test_hundredths_are_converted_exactly_for_the_connections_currency() -> None:
    rows = [ActualRow("yen", "acc", NOV_1, 150000), ActualRow("half-yen", "acc", NOV_1, 150050)]
    connector, _ = actual(rows, currency="JPY")
    batch = connector.fetch(None)
    assert [(r.source_id, r.amount, r.currency) for r in batch.transactions] == [
        ("yen", 1500, "JPY")
    ]
    assert batch.errors == [
        RowError("amount 1500.5 is not exact in JPY (0 decimals)", source_id="half-yen")
    ]


@pytest.mark.parametrize(
    ("cents", "currency", "minor"),
    [(-4599, "EUR", -4599), (150000, "JPY", 1500), (1234, "BHD", 12340)],
)
def test_cents_to_minor(cents: int, currency: str, minor: int) -> None:
    assert cents_to_minor(cents, currency) == minor


def test_a_fraction_of_a_yen_is_refused() -> None:
    with pytest.raises(RowProblem, match="not exact in JPY"):
        cents_to_minor(1, "JPY")


def test_a_failing_budget_fails_the_run() -> None:
    @contextmanager
    def refuse(login: ActualLogin) -> Iterator[FakeBudget]:
        raise SourceFailed("Actual Budget refused the password")
        yield  # pragma: no cover

    connector = ActualConnector(login=LOGIN, currency="EUR", opener=refuse)
    with pytest.raises(SourceFailed, match="refused the password"):
        connector.fetch(None)


def test_the_passwords_never_show_in_the_login_repr() -> None:
    login = ActualLogin("http://actual.lan", "Household", "hunter2-actual", "key-material")
    assert "hunter2" not in repr(login) and "key-material" not in repr(login)


def test_without_the_actual_extra_the_run_fails_with_a_clear_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "actual", None)  # makes `import actual` raise ImportError
    opened = open_actualpy_budget(LOGIN)
    with pytest.raises(SourceFailed, match="Actual Budget support is not installed"):
        opened.__enter__()
