import datetime as dt

import httpx
import pytest

from domain.imports.records import ImportedTransaction, Kind, RowError, SourceFailed, SourceShare
from integrations.connectors.splitwise import SplitwiseConnector
from tests.integrations.connectors.fakes import FakeSleep, FakeSource, Reply, without_raw

PATH = "/api/v3.0/get_expenses"
API_KEY = "splitwise-api-key-0987"
PAGE_SIZE = 3
FIRST_CURSOR = "2025-11-02T23:10:00Z"


def by_cursor(request: httpx.Request) -> Reply:
    params = request.url.params
    if "updated_after" not in params:
        return Reply.of(f"splitwise/page{int(params['offset']) // PAGE_SIZE + 1}.json")
    if params["updated_after"] == FIRST_CURSOR:
        return Reply.of("splitwise/delta.json")
    return Reply.of("splitwise/empty.json")


def splitwise(
    script: object = by_cursor, **options: object
) -> tuple[SplitwiseConnector, FakeSource]:
    source = FakeSource({PATH: script})  # type: ignore[dict-item]
    connector = SplitwiseConnector(
        source.client(),
        api_key=API_KEY,
        page_size=PAGE_SIZE,
        sleep=FakeSleep(),
        **options,  # type: ignore[arg-type]
    )
    return connector, source


def shares(*parts: tuple[str, int, int]) -> tuple[SourceShare, ...]:
    return tuple(SourceShare(person=p, paid=paid, owed=owed) for p, paid, owed in parts)


def expense(source_id: str, day: dt.date, amount: int, **fields: object) -> ImportedTransaction:
    defaults: dict[str, object] = {"account": "group:555", "currency": "EUR", "kind": Kind.EXPENSE}
    return ImportedTransaction(
        source_id=source_id,
        date=day,
        amount=amount,
        **{**defaults, **fields},  # type: ignore[arg-type]
    )


def test_reads_each_persons_paid_and_owed_share_payments_and_deletions() -> None:
    connector, _ = splitwise()
    batch = connector.fetch(None)
    assert without_raw(batch.transactions) == [
        expense(
            "3001",
            dt.date(2025, 10, 31),  # the date part as written, not shifted
            -10000,
            payee="Groceries",
            memo="Lidl + market",
            category=("Groceries",),
            shares=shares(("11", 6000, 4550), ("12", 4000, 3025), ("13", 0, 2425)),
        ),
        expense(
            "3002",
            dt.date(2025, 11, 1),
            -2500,
            kind=Kind.SETTLEMENT,
            payee="Payment",
            counterparty="11",
            shares=shares(("13", 2500, 0), ("11", 0, 2500)),
        ),
        expense(
            "3003",
            dt.date(2025, 10, 20),
            -9000,
            payee="Concert tickets",
            category=("Entertainment",),
            shares=shares(("11", 9000, 3000), ("12", 0, 3000), ("13", 0, 3000)),
            deleted=True,
        ),
        expense(
            "3004",
            dt.date(2025, 11, 2),
            -4500,
            account="friendship:9876",
            currency="JPY",
            payee="Ramen in Tokyo",
            category=("Dining out",),
            shares=shares(("11", 4500, 2250), ("12", 0, 2250)),
        ),
    ]


def test_an_inexact_share_is_a_row_error_and_the_rest_still_land() -> None:
    connector, _ = splitwise()
    assert connector.fetch(None).errors == [
        RowError(
            "owed_share 3.334 EUR is not exact: 3.334 has more decimals than EUR allows (2)",
            source_id="3005",
        )
    ]


def test_pages_by_offset_until_a_short_page_and_the_cursor_is_the_latest_update() -> None:
    connector, source = splitwise()
    batch = connector.fetch(None)
    assert source.params() == [{"limit": "3", "offset": "0"}, {"limit": "3", "offset": "3"}]
    assert all(r.headers["Authorization"] == f"Bearer {API_KEY}" for r in source.requests)
    assert batch.cursor == FIRST_CURSOR


def test_delta_sync_asks_for_updates_after_the_cursor_and_moves_it() -> None:
    connector, source = splitwise()
    first = connector.fetch(None)
    second = connector.fetch(first.cursor)
    assert source.params()[-1] == {"limit": "3", "offset": "0", "updated_after": FIRST_CURSOR}
    assert [(r.source_id, r.amount) for r in second.transactions] == [
        ("3001", -11000),
        ("3006", -3600),
    ]
    assert second.transactions[0].shares == shares(
        ("11", 7000, 5050), ("12", 4000, 3525), ("13", 0, 2425)
    )
    assert second.cursor == "2025-11-05T08:15:00Z"
    third = connector.fetch(second.cursor)
    assert third.transactions == [] and third.cursor == second.cursor


def test_a_group_can_be_chosen() -> None:
    connector, source = splitwise(Reply.of("splitwise/empty.json"), group_id="555")
    connector.fetch(None)
    assert source.params()[0]["group_id"] == "555"


def test_shares_that_do_not_add_up_to_the_cost_are_a_row_error() -> None:
    body = {
        "expenses": [
            {
                "id": 1,
                "cost": "10.00",
                "currency_code": "EUR",
                "date": "2025-11-01T10:00:00Z",
                "updated_at": "2025-11-01T10:00:00Z",
                "users": [
                    {"user_id": 11, "paid_share": "10.00", "owed_share": "5.00"},
                    {"user_id": 12, "paid_share": "0.0", "owed_share": "4.00"},
                ],
            }
        ]
    }
    connector, _ = splitwise(Reply(body=body))
    batch = connector.fetch(None)
    assert batch.errors == [
        RowError("the owed shares add up to 900, not the cost 1000", source_id="1")
    ]
    assert batch.cursor == "2025-11-01T10:00:00Z"


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (Reply.of("common/error_401_splitwise.json", 401), "Splitwise refused the credentials"),
        (Reply(body={"errors": {"base": ["Invalid request"]}}), "without a usable 'expenses'"),
        (Reply(text="<!DOCTYPE html>"), "Splitwise sent a response that is not valid JSON"),
        (httpx.ReadTimeout("slow"), "Splitwise did not answer in time"),
    ],
)
def test_failures_end_the_run_with_a_reason(script: object, reason: str) -> None:
    connector, _ = splitwise(script)
    with pytest.raises(SourceFailed) as raised:
        connector.fetch(FIRST_CURSOR)
    assert reason in raised.value.reason
