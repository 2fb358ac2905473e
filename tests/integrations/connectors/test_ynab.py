import datetime as dt
from dataclasses import replace

import httpx
import pytest

from domain.imports.records import ImportedTransaction, Kind, RowError, SourceFailed
from integrations.connectors.ynab import YnabConnector
from tests.integrations.connectors.fakes import FakeSleep, FakeSource, Reply, without_raw

BUDGET = "b1d9e6a2-0000-4000-8000-0000000000bb"
BASE = f"/v1/budgets/{BUDGET}"
CHECKING = "7f1d2e3c-aaaa-4b5c-8d9e-000000000001"
SAVINGS = "7f1d2e3c-bbbb-4b5c-8d9e-000000000002"
TOKEN = "ynab-pat-0123456789"


def by_knowledge(request: httpx.Request) -> Reply:
    """YNAB's answer depends on the knowledge the client already has."""
    knowledge = request.url.params.get("last_knowledge_of_server")
    return Reply.of(
        {
            None: "ynab/transactions_initial.json",
            "1042": "ynab/transactions_delta.json",
            "1057": "ynab/transactions_unchanged.json",
        }[knowledge]
    )


def ynab(
    transactions: object = by_knowledge,
    settings: str = "ynab/settings_usd.json",
    sleep: FakeSleep | None = None,
) -> tuple[YnabConnector, FakeSource]:
    source = FakeSource(
        {f"{BASE}/settings": Reply.of(settings), f"{BASE}/transactions": transactions}  # type: ignore[dict-item]
    )
    connector = YnabConnector(
        source.client(), token=TOKEN, budget_id=BUDGET, sleep=sleep or FakeSleep()
    )
    return connector, source


def leaf(source_id: str, day: int, amount: int, **fields: object) -> ImportedTransaction:
    defaults: dict[str, object] = {"account": CHECKING, "currency": "USD", "kind": Kind.EXPENSE}
    return ImportedTransaction(
        source_id=source_id,
        date=dt.date(2025, 11, day) if day else dt.date(2025, 10, 31),
        amount=amount,
        **{**defaults, **fields},  # type: ignore[arg-type]
    )


GROCERIES = leaf(
    "2b3c9a41-6f0e-4f55-9d3c-0a1e2f3b4c01",
    0,
    -8423,
    payee="Whole Foods",
    memo="weekly shop",
    category=("Groceries",),
)
SPLIT = "2b3c9a41-6f0e-4f55-9d3c-0a1e2f3b4c02"
SPLIT_FOOD = leaf(
    "5ub00001-0000-4000-8000-000000000001",
    1,
    -10000,
    payee="Costco",
    memo="Costco run",
    category=("Groceries",),
    parent_id=SPLIT,
)
SPLIT_HOUSEHOLD = leaf(
    "5ub00001-0000-4000-8000-000000000002",
    1,
    -5000,
    payee="Costco",
    memo="paper towels",
    category=("Household",),
    parent_id=SPLIT,
)
PAIR = "7a4f0000-0000-4000-8000-00000000000a"
TRANSFER_OUT = leaf(
    PAIR,
    2,
    -50000,
    kind=Kind.TRANSFER,
    payee="Transfer : Savings",
    memo="holiday fund",
    parent_id=PAIR,
    counterparty=SAVINGS,
)
TRANSFER_IN = leaf(
    "7a4f0000-0000-4000-8000-00000000000b",
    2,
    50000,
    account=SAVINGS,
    kind=Kind.TRANSFER,
    payee="Transfer : Joint Checking",
    memo="holiday fund",
    parent_id=PAIR,
    counterparty=CHECKING,
)
PAYCHECK = leaf(
    "2b3c9a41-6f0e-4f55-9d3c-0a1e2f3b4c05",
    3,
    250000,
    kind=Kind.INCOME,
    payee="ACME Payroll",
    category=("Internal Master Category", "Inflow: Ready to Assign"),
)


def test_first_fetch_reads_every_leaf_row_exactly() -> None:
    connector, _ = ynab()
    batch = connector.fetch(None)
    assert without_raw(batch.transactions) == [
        GROCERIES,
        SPLIT_FOOD,
        SPLIT_HOUSEHOLD,
        TRANSFER_OUT,
        TRANSFER_IN,
        PAYCHECK,
    ]
    assert batch.cursor == "1042"


def test_a_milliunit_amount_finer_than_a_cent_is_a_row_error_and_the_rest_still_land() -> None:
    connector, _ = ynab()
    batch = connector.fetch(None)
    assert batch.errors == [
        RowError(
            "amount -12345 milliunits is not exact in USD (2 decimals): "
            "YNAB holds a fraction of the smallest unit",
            source_id="2b3c9a41-6f0e-4f55-9d3c-0a1e2f3b4c06",
        )
    ]
    assert len(batch.transactions) == 6


def test_raw_keeps_the_source_row_of_each_leaf() -> None:
    connector, _ = ynab()
    groceries, split_food, *_ = connector.fetch(None).transactions
    assert groceries.raw["import_id"] == "YNAB:-84230:2025-10-31:1"
    assert split_food.raw["transaction_id"] == SPLIT


def test_requests_carry_the_token_and_read_the_currency_once_per_fetch() -> None:
    connector, source = ynab()
    connector.fetch(None)
    assert source.paths() == [f"{BASE}/settings", f"{BASE}/transactions"]
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in source.requests)
    assert source.params(f"{BASE}/transactions") == [{}]


def test_delta_sync_asks_for_changes_since_the_cursor_and_moves_it() -> None:
    connector, source = ynab()
    first = connector.fetch(None)
    second = connector.fetch(first.cursor)
    assert source.params(f"{BASE}/transactions")[1] == {"last_knowledge_of_server": "1042"}
    assert second.cursor == "1057"
    assert without_raw(second.transactions) == [
        leaf(
            GROCERIES.source_id or "",
            0,
            -9123,
            payee="Whole Foods",
            memo="weekly shop + wine",
            category=("Groceries",),
        ),
        _deleted(SPLIT_FOOD),
        _deleted(SPLIT_HOUSEHOLD),
        _deleted(PAYCHECK),
        leaf(
            "2b3c9a41-6f0e-4f55-9d3c-0a1e2f3b4c07",
            4,
            -450,
            payee="Blue Bottle Coffee",
            category=("Dining Out",),
        ),
    ]
    third = connector.fetch(second.cursor)
    assert third.transactions == [] and third.errors == [] and third.cursor == "1057"


def _deleted(row: ImportedTransaction) -> ImportedTransaction:
    return replace(row, deleted=True)


def test_a_deleted_split_without_its_subtransactions_is_one_deleted_row() -> None:
    body = {
        "data": {
            "transactions": [
                {
                    "id": SPLIT,
                    "date": "2025-11-01",
                    "amount": -150000,
                    "account_id": CHECKING,
                    "payee_name": "Costco",
                    "category_name": "Split",
                    "deleted": True,
                    "subtransactions": [],
                }
            ],
            "server_knowledge": 2000,
        }
    }
    connector, _ = ynab(Reply(body=body))
    (row,) = connector.fetch("1057").transactions
    assert (row.source_id, row.deleted, row.amount, row.parent_id) == (SPLIT, True, -15000, None)


def test_a_jpy_budget_divides_milliunits_by_a_thousand() -> None:
    connector, _ = ynab(Reply.of("ynab/transactions_jpy.json"), settings="ynab/settings_jpy.json")
    batch = connector.fetch(None)
    assert [(r.amount, r.currency) for r in batch.transactions] == [(-1500, "JPY")]
    assert [e.source_id for e in batch.errors] == ["9e000000-0000-4000-8000-000000000002"]
    assert "not exact in JPY (0 decimals)" in batch.errors[0].reason


def test_a_budget_in_an_unknown_currency_fails_the_run() -> None:
    settings = {"data": {"settings": {"currency_format": {"iso_code": "XAU"}}}}
    source = FakeSource({f"{BASE}/settings": Reply(body=settings)})
    connector = YnabConnector(source.client(), token=TOKEN, budget_id=BUDGET)
    with pytest.raises(SourceFailed, match="currency 'XAU' is not a supported"):
        connector.fetch(None)


def test_a_cursor_that_is_not_server_knowledge_fails_before_any_request() -> None:
    connector, source = ynab()
    with pytest.raises(SourceFailed, match="not a server_knowledge number"):
        connector.fetch("2025-11-01")
    assert source.requests == []


def test_a_base_url_of_its_own_is_honoured() -> None:
    source = FakeSource(
        {
            f"/ynab-proxy/v1/budgets/{BUDGET}/settings": Reply.of("ynab/settings_usd.json"),
            f"/ynab-proxy/v1/budgets/{BUDGET}/transactions": by_knowledge,
        }
    )
    connector = YnabConnector(
        source.client(), token=TOKEN, budget_id=BUDGET, base_url="http://proxy.lan/ynab-proxy/v1/"
    )
    assert connector.fetch(None).cursor == "1042"


def test_429_with_retry_after_is_waited_out(caplog: pytest.LogCaptureFixture) -> None:
    sleep = FakeSleep()
    limited = Reply.of("common/error_429_ynab.json", 429, **{"Retry-After": "30"})
    connector, _ = ynab([limited, Reply.of("ynab/transactions_initial.json")], sleep=sleep)
    assert connector.fetch(None).cursor == "1042"
    assert sleep.delays == [30.0]
    assert TOKEN not in caplog.text


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (Reply.of("common/error_401_ynab.json", 401), "YNAB refused the credentials (HTTP 401)"),
        (Reply(text="<html>Bad Gateway"), "YNAB sent a response that is not valid JSON"),
        (httpx.ConnectTimeout("timed out"), "YNAB did not answer in time (ConnectTimeout)"),
        (Reply(body={"data": {"transactions": []}}), "without a usable 'server_knowledge'"),
        (Reply.of("common/error_404_ynab.json", 404), f"HTTP 404 for {BASE}/transactions"),
    ],
)
def test_failures_end_the_run_with_a_reason(script: object, reason: str) -> None:
    connector, _ = ynab(script)
    with pytest.raises(SourceFailed) as raised:
        connector.fetch("1042")
    assert reason in raised.value.reason
