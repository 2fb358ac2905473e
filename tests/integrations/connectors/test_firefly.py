import datetime as dt

import httpx
import pytest

from domain.imports.records import ImportedTransaction, Kind, RowError, SourceFailed
from integrations.connectors.firefly import FireflyConnector
from tests.integrations.connectors.fakes import FakeSleep, FakeSource, Reply, without_raw

PATH = "/api/v1/transactions"
TOKEN = "firefly-pat-eyJ0eXAiOiJKV1Qi"


def by_page(request: httpx.Request) -> Reply:
    return Reply.of(f"firefly/page{request.url.params['page']}.json")


def firefly(
    script: object = by_page, today: dt.date = dt.date(2025, 11, 5), **options: object
) -> tuple[FireflyConnector, FakeSource]:
    source = FakeSource({PATH: script})  # type: ignore[dict-item]
    connector = FireflyConnector(
        source.client(),
        token=TOKEN,
        base_url="https://firefly.example.home/",
        today=lambda: today,
        sleep=FakeSleep(),
        **options,  # type: ignore[arg-type]
    )
    return connector, source


def split(
    journal: str, group: str, day: dt.date, amount: int, **fields: object
) -> ImportedTransaction:
    return ImportedTransaction(
        source_id=journal,
        account="1",
        date=day,
        amount=amount,
        currency="EUR",
        parent_id=group,
        **fields,  # type: ignore[arg-type]
    )


HALLOWEEN = split(
    "201",
    "101",
    dt.date(2025, 10, 31),  # 20:00 in New York on the 31st is still the 31st
    -4512,
    payee="Chez Panisse",
    memo="Dinner on Halloween",
    category=("Dining out",),
)


def test_reads_every_page_and_each_split_is_a_leaf_with_its_sign_from_the_type() -> None:
    connector, _ = firefly()
    batch = connector.fetch(None)
    assert without_raw(batch.transactions) == [
        HALLOWEEN,
        split(
            "202",
            "102",
            dt.date(2025, 11, 1),
            -6000,
            payee="Albert Heijn",
            memo="Food",
            category=("Groceries",),
        ),
        split(
            "203",
            "102",
            dt.date(2025, 11, 1),
            -1995,
            payee="Albert Heijn",
            memo="Detergent",
            category=("Household",),
        ),
        split(
            "205",
            "104",
            dt.date(2025, 11, 3),
            250000,
            kind=Kind.INCOME,
            payee="ACME B.V.",
            memo="Salary November",
            category=("Salary",),
        ),
        split(
            "206",
            "105",
            dt.date(2025, 11, 4),
            -20000,
            kind=Kind.TRANSFER,
            payee="Holiday savings",
            memo="Holiday fund",
            counterparty="3",
        ),
    ]
    assert batch.cursor == "2025-11-05"


def test_an_inexact_amount_is_a_row_error_and_the_opening_balance_is_not_imported() -> None:
    connector, _ = firefly()
    batch = connector.fetch(None)
    assert batch.errors == [
        RowError(
            "amount 3.333 EUR is not exact: 3.333 has more decimals than EUR allows (2)",
            source_id="207",
        )
    ]
    assert "200" not in {row.source_id for row in batch.transactions}


def test_first_sync_reads_up_to_today_page_by_page_with_the_token() -> None:
    connector, source = firefly()
    connector.fetch(None)
    assert source.params() == [
        {"type": "all", "end": "2025-11-05", "page": "1"},
        {"type": "all", "end": "2025-11-05", "page": "2"},
    ]
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in source.requests)
    assert source.requests[0].headers["Accept"] == "application/vnd.api+json"


def test_a_start_date_bounds_the_first_sync() -> None:
    connector, source = firefly(start_date=dt.date(2025, 1, 1))
    connector.fetch(None)
    assert source.params()[0]["start"] == "2025-01-01"


def test_the_next_sync_rescans_the_overlap_window_and_moves_the_cursor() -> None:
    connector, source = firefly(Reply.of("firefly/window.json"), today=dt.date(2025, 11, 12))
    batch = connector.fetch("2025-11-05")
    assert source.params() == [
        {"type": "all", "start": "2025-10-29", "end": "2025-11-12", "page": "1"},
    ]
    assert [row.source_id for row in batch.transactions] == ["208", "201"]
    assert without_raw(batch.transactions)[1] == HALLOWEEN
    assert batch.cursor == "2025-11-12"


def test_overlap_days_is_configurable() -> None:
    connector, source = firefly(Reply.of("firefly/window.json"), overlap_days=0)
    connector.fetch("2025-11-01")
    assert source.params()[0]["start"] == "2025-11-01"


def test_without_pagination_meta_the_absence_of_a_next_link_ends_the_scan() -> None:
    body = {"data": [], "links": {"self": "https://firefly.example.home/api/v1/transactions"}}
    connector, source = firefly(Reply(body=body))
    assert connector.fetch(None).transactions == []
    assert len(source.requests) == 1


def test_an_unknown_type_is_a_row_error() -> None:
    page = {
        "data": [
            {
                "type": "transactions",
                "id": "9",
                "attributes": {
                    "transactions": [
                        {"transaction_journal_id": "19", "type": "barter", "amount": "1.00"}
                    ]
                },
            }
        ],
        "meta": {"pagination": {"current_page": 1, "total_pages": 1}},
    }
    connector, _ = firefly(Reply(body=page))
    assert connector.fetch(None).errors == [
        RowError("unknown Firefly III transaction type 'barter'", source_id="19")
    ]


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (Reply.of("common/error_401_firefly.json", 401), "Firefly III refused the credentials"),
        (Reply(body={"data": "nope"}), "Firefly III sent a page without a usable 'data' (list)"),
        (Reply(text='{"data": ['), "Firefly III sent a response that is not valid JSON"),
        (httpx.ReadTimeout("slow"), "Firefly III did not answer in time"),
    ],
)
def test_failures_end_the_run_with_a_reason(script: object, reason: str) -> None:
    connector, _ = firefly(script)
    with pytest.raises(SourceFailed) as raised:
        connector.fetch("2025-11-01")
    assert reason in raised.value.reason


def test_a_failure_on_the_second_page_fails_the_whole_run() -> None:
    connector, _ = firefly([Reply.of("firefly/page1.json"), Reply(status=401)])
    with pytest.raises(SourceFailed, match="refused the credentials"):
        connector.fetch(None)


def test_a_stored_cursor_that_is_not_a_date_fails_the_run() -> None:
    connector, source = firefly()
    with pytest.raises(SourceFailed, match="cursor '1042' is not a date"):
        connector.fetch("1042")
    assert source.requests == []


def test_an_empty_page_ends_the_scan_whatever_the_page_count_says() -> None:
    body = {"data": [], "meta": {"pagination": {"current_page": 1, "total_pages": 40}}}
    connector, source = firefly(Reply(body=body))
    connector.fetch(None)
    assert len(source.requests) == 1
