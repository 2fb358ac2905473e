import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.imports.records import Batch, Kind, RowError
from integrations.files import parse_qif

FIXTURES = Path(__file__).parent / "fixtures"


def rows(batch: Batch) -> list[tuple[object, ...]]:
    return [
        (row.line, row.date, row.amount, row.kind, row.payee, row.memo, row.category, row.parent_id)
        for row in batch.transactions
    ]


def test_us_dates_splits_and_a_transfer() -> None:
    batch = parse_qif((FIXTURES / "qif_us_splits.qif").read_bytes(), currency="USD")
    assert rows(batch) == [
        (
            6,
            dt.date(2025, 10, 31),
            -123456,
            Kind.EXPENSE,
            "LANDLORD LLC",
            "Rent November",
            ("Housing", "Rent"),
            None,
        ),
        (
            14,
            dt.date(2025, 11, 2),
            -6210,
            Kind.EXPENSE,
            "SAFEWAY #1234",
            "Food",
            ("Food", "Groceries"),
            "qif:14",
        ),
        (
            14,
            dt.date(2025, 11, 2),
            -2430,
            Kind.EXPENSE,
            "SAFEWAY #1234",
            "Cleaning",
            ("Household", "Cleaning"),
            "qif:14",
        ),
        (26, dt.date(2025, 11, 3), 50000, Kind.TRANSFER, "Transfer from savings", None, (), None),
        (
            31,
            dt.date(2025, 11, 4),
            -30,
            Kind.EXPENSE,
            "COFFEE CORNER",
            None,
            ("Food", "Coffee"),
            None,
        ),
    ]
    assert batch.transactions[3].counterparty == "Savings"
    assert {row.source_id for row in batch.transactions} == {None}
    assert {(row.account, row.currency) for row in batch.transactions} == {
        ("Joint Checking", "USD")
    }
    assert batch.errors == [
        RowError("'13/04/25' is not a date like 10/31/25; are the dates day-first?", line=37),
        RowError("the splits add up to -9.00, but the transaction's total is -10.00", line=41),
    ]


def test_split_rows_carry_the_whole_record_and_their_number_in_raw() -> None:
    batch = parse_qif((FIXTURES / "qif_us_splits.qif").read_bytes(), currency="USD")
    second_split = batch.transactions[2]
    assert second_split.raw["split"] == 2
    assert second_split.raw["splits"][1] == {
        "S": "Household:Cleaning/Joint",
        "E": "Cleaning",
        "$": "-24.30",
    }
    assert second_split.raw["T"] == "-86.40"


def test_day_first_dates_on_a_card_register_without_a_final_caret() -> None:
    data = (FIXTURES / "qif_day_first.qif").read_bytes()
    batch = parse_qif(data, account="visa", currency="eur", day_first=True)
    assert batch.errors == []
    assert rows(batch) == [
        (
            2,
            dt.date(2025, 10, 31),
            -1999,
            Kind.EXPENSE,
            "AMAZON EU SARL",
            "Order 302-1234567",
            (),
            None,
        ),
        (7, dt.date(2025, 11, 1), 4500, Kind.INCOME, "REFUND BOULANGERIE", None, (), None),
        (11, dt.date(2025, 11, 2), -750, Kind.EXPENSE, "CAFÉ DU COIN", None, ("Dining",), None),
    ]
    assert {(row.account, row.currency) for row in batch.transactions} == {("visa", "EUR")}


def test_day_first_dates_read_month_first_are_wrong_which_is_why_it_is_a_setting() -> None:
    batch = parse_qif((FIXTURES / "qif_day_first.qif").read_bytes(), currency="EUR")
    assert [row.date for row in batch.transactions] == [dt.date(2025, 1, 11), dt.date(2025, 2, 11)]
    assert [error.line for error in batch.errors] == [2]


@pytest.mark.parametrize(
    ("written", "day_first", "expected"),
    [
        ("10/31/25", False, dt.date(2025, 10, 31)),
        ("10/31'25", False, dt.date(2025, 10, 31)),
        ("1/ 5' 5", False, dt.date(2005, 1, 5)),
        ("12/31/99", False, dt.date(1999, 12, 31)),
        ("10/31/2025", False, dt.date(2025, 10, 31)),
        ("10-31-2025", False, dt.date(2025, 10, 31)),
        ("31/10/25", True, dt.date(2025, 10, 31)),
        ("31.10.2025", True, dt.date(2025, 10, 31)),
        ("2025-10-31", False, dt.date(2025, 10, 31)),
        ("2025-10-31", True, dt.date(2025, 10, 31)),
    ],
)
def test_quicken_date_spellings(written: str, day_first: bool, expected: dt.date) -> None:
    data = f"!Type:Bank\nD{written}\nT-1.00\n^\n".encode()
    assert parse_qif(data, currency="USD", day_first=day_first).transactions[0].date == expected


@pytest.mark.parametrize("written", ["31/31/25", "10/31/025", "yesterday", "2025-10-310"])
def test_impossible_dates_are_row_errors(written: str) -> None:
    data = f"!Type:Bank\nD{written}\nT-1.00\n^\nD10/30/25\nT-2.00\n^\n".encode()
    batch = parse_qif(data, currency="USD")
    assert [row.amount for row in batch.transactions] == [-200]
    assert batch.errors[0].line == 2
    assert "is not a date like 10/31/25" in batch.errors[0].reason


def test_rows_without_date_or_amount_and_with_inexact_amounts_are_reported() -> None:
    data = (
        b"!Type:Bank\nT-1.00\n^\nD10/31/25\nPNO AMOUNT\n^\n"
        b"D10/31/25\nT-1.005\n^\nD10/31/25\nT12,50\n^\n"
    )
    batch = parse_qif(data, currency="USD")
    assert batch.transactions == []
    assert [(error.line, error.reason) for error in batch.errors] == [
        (2, "the transaction has no date (D)"),
        (4, "the transaction has no amount (T)"),
        (7, "-1.005 has more decimals than USD allows (2)"),
        (10, "'12,50' is not an amount like 1,234.56"),
    ]


def test_a_split_without_an_amount_fails_its_transaction() -> None:
    data = b"!Type:Bank\nD10/31/25\nT-3.00\nSFood\n$-3.00\nSFees\n^\n"
    assert parse_qif(data, currency="USD").errors == [RowError("split 2 has no amount ($)", line=2)]


def test_splits_without_a_total_are_taken_as_they_are() -> None:
    data = b"!Type:Bank\nD10/31/25\nPSHOP\nSFood\n$-3.00\nS[Savings]\n$-2.00\n^\n"
    batch = parse_qif(data, currency="USD")
    assert [(row.amount, row.kind, row.counterparty) for row in batch.transactions] == [
        (-300, Kind.EXPENSE, None),
        (-200, Kind.TRANSFER, "Savings"),
    ]


def test_splits_of_a_tenth_and_two_tenths_add_up_to_three_tenths_exactly() -> None:
    data = b"!Type:Bank\nD10/31/25\nT-0.30\nSA\n$-0.10\nSB\n$-0.20\n^\n"
    batch = parse_qif(data, currency="USD")
    assert batch.errors == []
    assert [row.amount for row in batch.transactions] == [-10, -20]


def test_investment_records_are_refused_and_lists_skipped() -> None:
    data = (
        b"!Type:Cat\nNFood\nE\n^\n!Type:Invst\nD10/31/25\nNBuy\nYACME\nT100.00\n^\n"
        b"!Type:Bank\nD10/31/25\nT-1.00\n^\n"
    )
    batch = parse_qif(data, currency="USD")
    assert [row.line for row in batch.transactions] == [12]
    assert batch.errors == [
        RowError("Invst records are not supported, only bank, cash and card ones", line=6)
    ]


def test_a_file_without_a_type_header_is_read_as_a_bank_register() -> None:
    batch = parse_qif(b"D10/31/25\r\nT-1.00\r\n^\r\n", currency="USD")
    assert [row.amount for row in batch.transactions] == [-100]


@pytest.mark.parametrize("currency", [None, "", "  "])
def test_a_currency_is_required(currency: str | None) -> None:
    with pytest.raises(InvalidInput, match="QIF file names no currency") as caught:
        parse_qif(b"!Type:Bank\nD10/31/25\nT-1.00\n^\n", currency=currency)
    assert caught.value.field == "currency"


def test_an_unknown_currency_is_refused_for_the_whole_file() -> None:
    with pytest.raises(InvalidInput, match="not a known ISO 4217") as caught:
        parse_qif(b"!Type:Bank\nD10/31/25\nT-1.00\n^\n", currency="EURO")
    assert caught.value.field == "currency"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        parse_qif(b"\r\n", currency="USD")


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**7), max_value=10**7
    )
)
def test_amounts_with_thousands_commas_are_exact(value: Decimal) -> None:
    data = f"!Type:Bank\nD10/31/25\nT{value:,.2f}\n^\n".encode()
    assert parse_qif(data, currency="USD").transactions[0].amount == int(value * 100)


COMMENTED = b"""# Exported by HomeBank
# two comment lines
!Option:AutoSwitch
!Account
NChecking
TBank
^
NSavings
TBank
^
!Clear:AutoSwitch
!Type:Class
NHome
DHousehold things
^
!Type:Cat
NFood
DFood and drink
E
^
!Type:Tag
NHoliday
^
!Type:Payee
NCity Market
^
!Account
NChecking
TBank
^
!Type:Bank
D10/31/25
T-12.50
PCity Market
^
"""


def test_comments_options_and_lists_are_skipped_not_failed() -> None:
    batch = parse_qif(COMMENTED, currency="EUR")
    assert batch.errors == []
    assert [(row.account, row.amount, row.payee) for row in batch.transactions] == [
        ("Checking", -1250, "City Market")
    ]


def test_an_account_list_under_autoswitch_does_not_switch_the_account() -> None:
    data = b"!Option:AutoSwitch\n!Account\nNSavings\nTBank\n^\n!Clear:AutoSwitch\n"
    data += b"!Type:Bank\nD10/31/25\nT-1.00\n^\n"
    assert [row.account for row in parse_qif(data, currency="EUR").transactions] == ["default"]
