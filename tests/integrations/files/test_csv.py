import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.imports.records import Batch, CsvMapping, Kind, RowError
from integrations.files import parse_csv
from integrations.files.csv_file import _columns, _reader, _row
from integrations.files.rows import RowProblem

FIXTURES = Path(__file__).parent / "fixtures"
GERMAN = CsvMapping(
    date_column="Buchungstag",
    amount_column="Betrag",
    payee_column="Empfänger",
    memo_column="Verwendungszweck",
    currency_column="Währung",
    date_format="%d.%m.%Y",
    decimal_separator=",",
    thousands_separator=".",
    skip_rows=3,
)
US = CsvMapping(
    date_column="Date",
    amount_column="Amount",
    payee_column="Description",
    currency="USD",
    date_format="%m/%d/%Y",
    thousands_separator=",",
)
DEBIT_CREDIT = CsvMapping(
    date_column="Transaction Date",
    debit_column="Debit",
    credit_column="Credit",
    payee_column="Details",
    id_column="Reference",
    currency="GBP",
)


def rows(batch: Batch) -> list[tuple[object, ...]]:
    return [
        (row.line, row.source_id, row.date, row.amount, row.currency, row.payee, row.memo)
        for row in batch.transactions
    ]


def test_semicolons_decimal_commas_and_a_three_line_preamble() -> None:
    batch = parse_csv((FIXTURES / "csv_decimal_comma.csv").read_bytes(), mapping=GERMAN)
    assert rows(batch) == [
        (5, None, dt.date(2025, 10, 31), -123456, "EUR", "Stadtwerke München", "Strom Oktober"),
        (6, None, dt.date(2025, 10, 30), 345678, "EUR", "Arbeitgeber GmbH", "Gehalt Oktober"),
        (
            7,
            None,
            dt.date(2025, 10, 29),
            -420,
            "EUR",
            "Bäckerei Schmidt; Filiale 2",
            "Brötchen und Kaffee",
        ),
    ]
    # The quoted memo spans lines 7 and 8, so the next row starts on line 9.
    assert batch.errors == [
        RowError("-1,234 has more decimals than EUR allows (2)", line=9),
        RowError("'32.10.2025' is not a date in the format %d.%m.%Y", line=10),
        RowError("'abc' is not an amount like 1.234,56", line=11),
        RowError("'XYZ' is not a known ISO 4217 currency", line=12),
    ]
    assert [row.kind for row in batch.transactions] == [Kind.EXPENSE, Kind.INCOME, Kind.EXPENSE]


def test_raw_is_the_row_keyed_by_the_header() -> None:
    batch = parse_csv((FIXTURES / "csv_decimal_comma.csv").read_bytes(), mapping=GERMAN)
    assert batch.transactions[0].raw == {
        "Buchungstag": "31.10.2025",
        "Valuta": "31.10.2025",
        "Empfänger": "Stadtwerke München",
        "Verwendungszweck": "Strom Oktober",
        "Betrag": "-1.234,56",
        "Währung": "EUR",
    }


def test_a_cp1252_file_is_decoded_as_cp1252() -> None:
    batch = parse_csv((FIXTURES / "csv_cp1252.csv").read_bytes(), mapping=US, account="card")
    assert batch.errors == []
    assert rows(batch) == [
        (2, None, dt.date(2025, 10, 31), -450, "USD", "Café Olé", None),
        (3, None, dt.date(2025, 11, 1), 2000, "USD", "Smith, John", None),
        (4, None, dt.date(2025, 11, 2), -100525, "USD", "Naïve Bakery – Main St", None),
    ]
    assert {row.account for row in batch.transactions} == {"card"}


def test_debit_and_credit_columns_give_the_sign() -> None:
    data = (FIXTURES / "csv_debit_credit.csv").read_bytes()
    batch = parse_csv(data, mapping=DEBIT_CREDIT)
    assert rows(batch) == [
        (2, "TX-1001", dt.date(2025, 10, 30), -12000, "GBP", "Electricity", None),
        (3, "TX-1002", dt.date(2025, 10, 31), 200000, "GBP", "Salary", None),
        (4, "TX-1003", dt.date(2025, 10, 31), -1550, "GBP", "Card payment", None),
        (5, None, dt.date(2025, 11, 1), 1, "GBP", "Interest", None),
    ]
    assert batch.errors == [
        RowError("the row has neither a debit nor a credit amount", line=6, source_id="TX-1005")
    ]


@pytest.mark.parametrize(
    ("mapping", "field"),
    [
        (dataclasses.replace(GERMAN, payee_column="Payee"), "csv_mapping.payee_column"),
        (dataclasses.replace(GERMAN, date_column="Datum"), "csv_mapping.date_column"),
        (dataclasses.replace(GERMAN, id_column="Ref"), "csv_mapping.id_column"),
    ],
)
def test_a_mapped_column_missing_from_the_header_fails_the_whole_file(
    mapping: CsvMapping, field: str
) -> None:
    with pytest.raises(InvalidInput, match="is not in the file's header") as caught:
        parse_csv((FIXTURES / "csv_decimal_comma.csv").read_bytes(), mapping=mapping)
    assert caught.value.field == field


def test_a_wrong_preamble_length_is_a_missing_column_not_garbage() -> None:
    mapping = dataclasses.replace(GERMAN, skip_rows=0)
    with pytest.raises(InvalidInput) as caught:
        parse_csv((FIXTURES / "csv_decimal_comma.csv").read_bytes(), mapping=mapping)
    assert caught.value.field == "csv_mapping.date_column"


@pytest.mark.parametrize(
    ("mapping", "field"),
    [
        (CsvMapping(date_column="Date", currency="EUR"), "csv_mapping.amount_column"),
        (
            CsvMapping(date_column="D", amount_column="A", debit_column="X", currency="EUR"),
            "csv_mapping.amount_column",
        ),
        (CsvMapping(date_column="D", amount_column="A"), "csv_mapping.currency"),
        (CsvMapping(date_column="D", amount_column="A", currency="EURO"), "csv_mapping.currency"),
        (
            CsvMapping(date_column="D", amount_column="A", currency="EUR", decimal_separator=";"),
            "csv_mapping.decimal_separator",
        ),
        (
            CsvMapping(
                date_column="D",
                amount_column="A",
                currency="EUR",
                decimal_separator=",",
                thousands_separator=",",
            ),
            "csv_mapping.thousands_separator",
        ),
        (
            CsvMapping(date_column="D", amount_column="A", currency="EUR", date_format="dd.mm"),
            "csv_mapping.date_format",
        ),
        (
            CsvMapping(date_column="D", amount_column="A", currency="EUR", delimiter=";;"),
            "csv_mapping.delimiter",
        ),
        (
            CsvMapping(date_column="D", amount_column="A", currency="EUR", skip_rows=-1),
            "csv_mapping.skip_rows",
        ),
        (
            CsvMapping(date_column="D", amount_column="A", currency="EUR", encoding="klingon"),
            "csv_mapping.encoding",
        ),
    ],
)
def test_a_mapping_that_cannot_work_is_refused_naming_the_setting(
    mapping: CsvMapping, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_csv(b"D,A\n2025-10-31,1.00\n", mapping=mapping)
    assert caught.value.field == field


def test_a_file_with_only_a_preamble_has_no_header() -> None:
    with pytest.raises(InvalidInput, match="no header row") as caught:
        parse_csv(b"Statement\nAccount 1\n", mapping=dataclasses.replace(US, skip_rows=2))
    assert caught.value.field == "csv_mapping.skip_rows"


def test_a_byte_order_mark_is_not_part_of_the_first_column_name() -> None:
    data = "\ufeffDate,Description,Amount\n10/31/2025,A,1.00\n".encode()
    assert parse_csv(data, mapping=US).transactions[0].raw["Date"] == "10/31/2025"


def test_the_mapping_encoding_overrides_detection() -> None:
    data = "Date,Description,Amount\n10/31/2025,Ærø Ø,-1.00\n".encode("latin-1")
    mapping = dataclasses.replace(US, encoding="latin-1")
    assert parse_csv(data, mapping=mapping).transactions[0].payee == "Ærø Ø"


def test_a_utf16_tab_separated_excel_export() -> None:
    data = "Date\tDescription\tAmount\r\n10/31/2025\tZoë\t-1,000.00\r\n".encode("utf-16")
    batch = parse_csv(data, mapping=US)
    assert rows(batch) == [(2, None, dt.date(2025, 10, 31), -100000, "USD", "Zoë", None)]


def test_the_mapping_delimiter_is_used_as_given() -> None:
    data = b"Date|Description|Amount\n10/31/2025|A, B|-1.00\n"
    mapping = dataclasses.replace(US, delimiter="|")
    assert parse_csv(data, mapping=mapping).transactions[0].payee == "A, B"


def test_parentheses_and_trailing_minus_are_negative() -> None:
    data = b"Date,Description,Amount\n10/31/2025,A,(1.50)\n10/31/2025,B,2.25-\n"
    assert [row.amount for row in parse_csv(data, mapping=US).transactions] == [-150, -225]


def test_short_rows_and_blank_lines() -> None:
    data = b"Date,Description,Amount\n\n10/31/2025,only two\n,,\n10/31/2025,ok,1.00\n"
    batch = parse_csv(data, mapping=US)
    assert [row.line for row in batch.transactions] == [5]
    assert batch.errors == [RowError("the row has 2 fields, the header 3", line=3)]


def test_a_currency_column_with_a_blank_cell_falls_back_to_the_mapping_currency() -> None:
    data = b"Date,Amount,Currency\n2025-10-31,1.00,chf\n2025-10-31,2.00,\n"
    mapping = CsvMapping(
        date_column="Date", amount_column="Amount", currency_column="Currency", currency="EUR"
    )
    batch = parse_csv(data, mapping=mapping)
    assert [(row.amount, row.currency) for row in batch.transactions] == [
        (100, "CHF"),
        (200, "EUR"),
    ]


def _german(value: Decimal) -> str:
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    return f"{'-' if value < 0 else ''}{int(whole):,}".replace(",", ".") + "," + fraction


@given(
    values=st.lists(
        st.decimals(
            allow_nan=False, allow_infinity=False, places=2, min_value=-(10**8), max_value=10**8
        ),
        min_size=1,
        max_size=5,
    ),
    decimal_comma=st.booleans(),
)
def test_every_amount_written_in_the_mapped_format_reads_back_exactly(
    values: list[Decimal], decimal_comma: bool
) -> None:
    if decimal_comma:
        mapping = dataclasses.replace(GERMAN, skip_rows=0)
        lines = ["Buchungstag;Empfänger;Verwendungszweck;Betrag;Währung"]
        lines += [f"31.10.2025;X;Y;{_german(value)};EUR" for value in values]
    else:
        mapping = US
        lines = ["Date,Description,Amount"]
        lines += [f'10/31/2025,X,"{value:,.2f}"' for value in values]
    batch = parse_csv("\n".join(lines).encode(), mapping=mapping)
    assert batch.errors == []
    assert [row.amount for row in batch.transactions] == [int(value * 100) for value in values]


def read_cells(read: Callable[[], object]) -> object:
    try:
        return read()
    except RowProblem as problem:
        return f"problem: {problem}"


cell_texts = st.sampled_from(
    ["", " ", "EUR", "usd", "JPY", "XYZ", "-12.50", "12,50", "1.234,56", "7", "(3.00)", "x"]
) | st.text(alphabet="0123456789-.,/ aEU", max_size=10)
READER_MAPPINGS = [
    CsvMapping(date_column="D", amount_column="A", payee_column="P", currency="EUR"),
    CsvMapping(
        date_column="D",
        amount_column="A",
        memo_column="P",
        id_column="I",
        currency_column="C",
        currency="eur ",
        decimal_separator=",",
        thousands_separator=".",
        date_format="%d.%m.%Y",
    ),
    CsvMapping(date_column="D", debit_column="A", credit_column="C", currency="GBP"),
]


@given(
    st.sampled_from(READER_MAPPINGS),
    st.lists(cell_texts | st.dates().map(str), min_size=0, max_size=6),
)
def test_each_row_reads_as_the_general_row_reader_reads_it(
    mapping: CsvMapping, cells: list[str]
) -> None:
    """The per-file reader (mapping worked out once) gives the same row, or the same
    problem, as reading the row through the mapping from scratch."""
    names = ["D", "A", "P", "I", "C", "X"]
    columns = _columns(names, mapping)
    read = _reader(columns, mapping, account="giro", names=names)
    assert read_cells(lambda: read(cells, 7)) == read_cells(
        lambda: _row(cells, columns, mapping, account="giro", line=7, names=names)
    )
