from pathlib import Path

import pytest

from domain.errors import InvalidInput
from domain.imports.records import CsvMapping
from integrations.files import parse_file

FIXTURES = Path(__file__).parent / "fixtures"
MAPPING = CsvMapping(
    date_column="Transaction Date",
    debit_column="Debit",
    credit_column="Credit",
    currency="GBP",
)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("ofx1_checking.ofx", 6),
        ("ofx2_creditcard.ofx", 3),
        ("qif_us_splits.qif", 5),
        ("csv_debit_credit.csv", 4),
        ("camt053_v02.xml", 6),
    ],
)
def test_the_format_is_detected_and_the_file_read(name: str, count: int) -> None:
    batch = parse_file((FIXTURES / name).read_bytes(), currency="USD", csv_mapping=MAPPING)
    assert len(batch.transactions) == count


def test_options_reach_the_parser() -> None:
    qif = parse_file(
        (FIXTURES / "qif_day_first.qif").read_bytes(), currency="EUR", qif_day_first=True
    )
    assert qif.errors == []
    camt = parse_file((FIXTURES / "camt053_v02.xml").read_bytes(), include_pending=True)
    assert any(row.pending for row in camt.transactions)


def test_an_explicit_format_skips_detection() -> None:
    headerless = b"D10/31/25\nT-1.00\n^\n"
    assert parse_file(headerless, format="qif", currency="USD").transactions[0].amount == -100


def test_a_csv_needs_a_mapping() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_file((FIXTURES / "csv_cp1252.csv").read_bytes())
    assert caught.value.field == "csv_mapping"


def test_an_unknown_format_name_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_file(b"x", format="xlsx")
    assert caught.value.field == "format"


def test_an_undetectable_file_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_file(b"\x00\x01")
    assert caught.value.field == "file"
