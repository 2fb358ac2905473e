import datetime as dt

import httpx
import pytest

from domain.imports.records import ImportedTransaction, Kind, RowError, SourceFailed
from integrations.connectors.lunchmoney import LunchMoneyConnector
from tests.integrations.connectors.fakes import FakeSleep, FakeSource, Reply, without_raw

PATH = "/v1/transactions"
TOKEN = "lm-access-token-abcdef"
PAGE_SIZE = 4


def by_offset(request: httpx.Request) -> Reply:
    page = int(request.url.params["offset"]) // PAGE_SIZE + 1
    return Reply.of(f"lunchmoney/page{page}.json")


def lunchmoney(
    script: object = by_offset, today: dt.date = dt.date(2025, 11, 5), **options: object
) -> tuple[LunchMoneyConnector, FakeSource]:
    source = FakeSource({PATH: script})  # type: ignore[dict-item]
    connector = LunchMoneyConnector(
        source.client(),
        token=TOKEN,
        page_size=PAGE_SIZE,
        today=lambda: today,
        sleep=FakeSleep(),
        **options,  # type: ignore[arg-type]
    )
    return connector, source


def row(source_id: str, day: dt.date, amount: int, **fields: object) -> ImportedTransaction:
    defaults: dict[str, object] = {"account": "plaid:77", "currency": "USD", "kind": Kind.EXPENSE}
    return ImportedTransaction(
        source_id=source_id,
        date=day,
        amount=amount,
        **{**defaults, **fields},  # type: ignore[arg-type]
    )


DINNER = ("Food", "Dining out")


def test_reads_every_page_exactly_from_the_amount_strings() -> None:
    connector, _ = lunchmoney()
    batch = connector.fetch(None)
    assert without_raw(batch.transactions) == [
        row(
            "602",
            dt.date(2025, 10, 30),
            -450,
            payee="Starbucks",
            memo="Frappuccino",
            category=("Food", "Coffee"),
        ),
        row(
            "603",
            dt.date(2025, 10, 31),
            -2317,
            payee="Uber",
            category=("Transport", "Taxi"),
            pending=True,
        ),
        row(
            "701",
            dt.date(2025, 11, 1),
            -8000,
            payee="Trattoria Roma",
            category=DINNER,
            parent_id="700",
        ),
        row(
            "801",
            dt.date(2025, 11, 2),
            -3000,
            account="asset:5",
            payee="Target",
            memo="split 1 of 2",
            category=("Household",),
            parent_id="800",
        ),
        row(
            "802",
            dt.date(2025, 11, 2),
            -1299,
            account="asset:5",
            payee="Target",
            memo="split 2 of 2",
            category=("Clothes",),
            parent_id="800",
        ),
        row(
            "903",
            dt.date(2025, 11, 3),
            -1250,
            account="asset:5",
            currency="EUR",
            payee="Boulangerie Paul",
            category=("Food", "Coffee"),
        ),
        row(
            "905",
            dt.date(2025, 11, 3),
            250000,
            kind=Kind.INCOME,
            payee="ACME Corp",
            category=("Salary",),
        ),
        row(
            "702",
            dt.date(2025, 11, 2),
            2000,
            account="asset:5",
            kind=Kind.INCOME,
            payee="Venmo from Sam",
            category=DINNER,
            parent_id="700",
        ),
    ]
    assert batch.cursor == "2025-11-05"


def test_the_group_parent_is_skipped_for_its_children_each_read_once() -> None:
    connector, _ = lunchmoney()
    ids = [r.source_id for r in connector.fetch(None).transactions]
    assert "700" not in ids
    assert ids.count("701") == 1 and ids.count("702") == 1


def test_an_amount_finer_than_the_currency_is_a_row_error() -> None:
    connector, _ = lunchmoney()
    assert connector.fetch(None).errors == [
        RowError(
            "amount -1.2345 USD is not exact: -1.2345 has more decimals than USD allows (2)",
            source_id="904",
        )
    ]


def test_asks_for_negative_debits_pending_rows_and_pages_by_offset() -> None:
    connector, source = lunchmoney()
    connector.fetch(None)
    common = {
        "start_date": "1970-01-01",
        "end_date": "2025-11-05",
        "debit_as_negative": "true",
        "pending": "true",
        "limit": "4",
    }
    assert source.params() == [{**common, "offset": "0"}, {**common, "offset": "4"}]
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in source.requests)


def test_without_has_more_a_short_page_is_the_last() -> None:
    body: dict[str, object] = {"transactions": []}
    connector, source = lunchmoney(Reply(body=body))
    assert connector.fetch(None).transactions == []
    assert len(source.requests) == 1


def test_the_next_sync_rescans_the_overlap_and_sees_the_pending_row_booked() -> None:
    connector, source = lunchmoney(
        Reply.of("lunchmoney/window.json"),
        today=dt.date(2025, 11, 9),
        start_date=dt.date(2025, 1, 1),
    )
    batch = connector.fetch("2025-11-05")
    assert source.params()[0]["start_date"] == "2025-10-29"
    assert source.params()[0]["end_date"] == "2025-11-09"
    assert [(r.source_id, r.amount, r.pending) for r in batch.transactions] == [
        ("603", -2417, False),
        ("906", -6420, False),
    ]
    assert batch.cursor == "2025-11-09"


def test_a_start_date_bounds_the_first_sync() -> None:
    connector, source = lunchmoney(Reply(body={"transactions": []}), start_date=dt.date(2025, 6, 1))
    connector.fetch(None)
    assert source.params()[0]["start_date"] == "2025-06-01"


def test_an_unknown_currency_is_a_row_error() -> None:
    body = {
        "transactions": [
            {
                "id": 1,
                "date": "2025-11-01",
                "amount": "-1.0000",
                "currency": "zzz",
                "plaid_account_id": 7,
            }
        ],
        "has_more": False,
    }
    connector, _ = lunchmoney(Reply(body=body))
    assert connector.fetch(None).errors == [
        RowError("'zzz' is not a supported ISO 4217 currency", source_id="1")
    ]


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (
            Reply(status=401, body={"error": "Access token does not exist."}),
            "refused the credentials",
        ),
        (Reply(body=[]), "Lunch Money sent a page without a usable 'transactions' (list)"),
        (
            Reply(text="upstream connect error"),
            "Lunch Money sent a response that is not valid JSON",
        ),
        (httpx.ConnectTimeout("timed out"), "Lunch Money did not answer in time"),
    ],
)
def test_failures_end_the_run_with_a_reason(script: object, reason: str) -> None:
    connector, _ = lunchmoney(script)
    with pytest.raises(SourceFailed) as raised:
        connector.fetch("2025-11-01")
    assert reason in raised.value.reason


def test_an_empty_page_ends_the_scan_even_if_it_claims_more() -> None:
    connector, source = lunchmoney(Reply(body={"transactions": [], "has_more": True}))
    assert connector.fetch(None).transactions == []
    assert len(source.requests) == 1
