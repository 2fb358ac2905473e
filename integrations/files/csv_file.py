"""CSV exports, read with the column mapping and number format saved on the connection.

Nothing about a row is guessed: the mapping names the columns, the date format and the
number format, so "1.234,56" is never read as 1.234 because one row happened to look
American. Only the layout is detected: the delimiter and quote character by `csv.Sniffer`,
checked against the header (a semicolon file full of decimal commas often sniffs as
comma-separated), unless the mapping fixes the delimiter.

Rows: `line` is the physical line the row starts on, counting the preamble and the header
(so it matches what a spreadsheet shows); `source_id` is the id column's value, or None for
the import service to hash; `raw` is the row keyed by the header's names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from functools import lru_cache

from domain.errors import InvalidInput
from domain.imports.records import Batch, CsvMapping, ImportedTransaction, Kind, RowError
from integrations.files.amounts import minor_units, parse_decimal, to_minor
from integrations.files.csv_mapping import check_mapping
from integrations.files.rows import RowProblem, clean, kind_for
from integrations.files.text import decode_text

_DELIMITERS = ",;\t|"
_SAMPLE_LINES = 50


def parse_csv(data: bytes, *, mapping: CsvMapping, account: str = "default") -> Batch:
    """Every data row of the file; a column the mapping names but the header lacks fails
    the whole file before any row is read."""
    check_mapping(mapping)
    text = decode_text(data, mapping.encoding, field="csv_mapping.encoding")
    body = list(io.StringIO(text, newline=""))[mapping.skip_rows :]
    delimiter, quotechar = _layout(body, mapping)
    reader = csv.reader(body, delimiter=delimiter, quotechar=quotechar, doublequote=True)
    header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header is None:
        raise InvalidInput(
            f"the file has no header row after the {mapping.skip_rows} preamble lines",
            field="csv_mapping.skip_rows",
        )
    names = [name.strip() for name in header]
    columns = _columns(names, mapping)
    read_row = _reader(columns, mapping, account=account, names=names)
    batch = Batch(transactions=[])
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = mapping.skip_rows + start, reader.line_num + 1
            if not "".join(cells).strip():
                continue
            try:
                row = read_row(cells, line)
            except RowProblem as problem:
                source_id = _id_of(cells, columns)
                batch.errors.append(RowError(str(problem), line=line, source_id=source_id))
            else:
                batch.transactions.append(row)
    except csv.Error as error:
        reason = f"the file is not readable CSV from here on: {error}"
        batch.errors.append(RowError(reason, line=mapping.skip_rows + start))
    return batch


def _layout(body: list[str], mapping: CsvMapping) -> tuple[str, str]:
    """Delimiter and quote character: the sniffed delimiter if the header it gives holds
    every mapped column, else the first candidate whose header does."""
    if mapping.delimiter is not None:
        return mapping.delimiter, '"'
    sample = "".join(body[:_SAMPLE_LINES])
    header_line = next((line for line in body if line.strip()), "")
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
        delimiter, quotechar = dialect.delimiter, dialect.quotechar or '"'
    except csv.Error:
        delimiter, quotechar = ",", '"'
    wanted = set(_named_columns(mapping).values())
    for candidate in [delimiter, *_DELIMITERS.replace(delimiter, "")]:
        first = next(csv.reader([header_line], delimiter=candidate, quotechar=quotechar), [])
        if wanted <= {name.strip() for name in first}:
            return candidate, quotechar
    return delimiter, quotechar


def _named_columns(mapping: CsvMapping) -> dict[str, str]:
    """The mapping's column settings that are set: {"date_column": "Buchungstag", ...}."""
    return {
        item.name: value
        for item in dataclass_fields(mapping)
        if item.name.endswith("_column") and isinstance(value := getattr(mapping, item.name), str)
    }


def _columns(names: list[str], mapping: CsvMapping) -> dict[str, int]:
    positions = {name: index for index, name in reversed(list(enumerate(names)))}
    columns: dict[str, int] = {}
    for setting, name in _named_columns(mapping).items():
        if name.strip() not in positions:
            shown = ", ".join(repr(name) for name in names)
            raise InvalidInput(
                f"column {name!r} is not in the file's header ({shown})",
                field=f"csv_mapping.{setting}",
            )
        columns[setting] = positions[name.strip()]
    return columns


def _id_of(cells: list[str], columns: dict[str, int]) -> str | None:
    index = columns.get("id_column")
    return clean(cells[index]) if index is not None and index < len(cells) else None


def _reader(
    columns: dict[str, int], mapping: CsvMapping, *, account: str, names: list[str]
) -> Callable[[list[str], int], ImportedTransaction]:
    """`_row` for this file, with what is the same on every row worked out once: a row
    with all the mapped columns and one signed amount column is read here; any other
    (a short row, debit and credit columns) goes through `_row`, so the errors are its."""
    amount_at = columns.get("amount_column")
    date_at = columns["date_column"]
    currency_at = columns.get("currency_column")
    id_at, payee_at, memo_at = (columns.get(f"{name}_column") for name in ("id", "payee", "memo"))
    width = max(columns.values()) + 1
    fallback_currency = mapping.currency or ""
    fixed_currency = fallback_currency.strip().upper() if currency_at is None else None
    decimal, thousands = mapping.decimal_separator, mapping.thousands_separator

    def read(cells: list[str], line: int) -> ImportedTransaction:
        if amount_at is None or len(cells) < width:
            return _row(cells, columns, mapping, account=account, line=line, names=names)
        currency = fixed_currency
        if currency_at is not None:
            currency = (cells[currency_at].strip() or fallback_currency).strip().upper()
        if not currency:
            raise RowProblem("the row has no currency")
        text = cells[amount_at].strip()
        if not text:
            raise RowProblem("the row has no amount")
        amount = minor_units(
            text, currency, decimal_separator=decimal, thousands_separator=thousands
        )
        return ImportedTransaction(
            source_id=None if id_at is None else clean(cells[id_at]),
            account=account,
            date=_date(cells[date_at].strip(), mapping.date_format),
            amount=amount,
            currency=currency,
            kind=Kind.INCOME if amount > 0 else Kind.EXPENSE,  # as `kind_for`
            payee=None if payee_at is None else clean(cells[payee_at]),
            memo=None if memo_at is None else clean(cells[memo_at]),
            line=line,
            raw=dict(zip(names, cells, strict=False)),
        )

    return read


def _row(
    cells: list[str],
    columns: dict[str, int],
    mapping: CsvMapping,
    *,
    account: str,
    line: int,
    names: list[str],
) -> ImportedTransaction:
    def cell(setting: str) -> str | None:
        if setting not in columns:
            return None
        if columns[setting] >= len(cells):
            raise RowProblem(f"the row has {len(cells)} fields, the header {len(names)}")
        return cells[columns[setting]].strip()

    currency = (cell("currency_column") or mapping.currency or "").strip().upper()
    if not currency:
        raise RowProblem("the row has no currency")
    value, written = _value(cell, mapping)
    amount = to_minor(value, currency, written=written)
    return ImportedTransaction(
        source_id=clean(cell("id_column")),
        account=account,
        date=_date(cell("date_column") or "", mapping.date_format),
        amount=amount,
        currency=currency,
        kind=kind_for(amount),
        payee=clean(cell("payee_column")),
        memo=clean(cell("memo_column")),
        line=line,
        raw=dict(zip(names, cells, strict=False)),
    )


def _value(cell: Callable[[str], str | None], mapping: CsvMapping) -> tuple[Decimal, str]:
    """The signed amount, and the text it was read from."""

    def number(text: str) -> Decimal:
        return parse_decimal(
            text,
            decimal_separator=mapping.decimal_separator,
            thousands_separator=mapping.thousands_separator,
        )

    if mapping.amount_column is not None:
        text = cell("amount_column")
        if not text:
            raise RowProblem("the row has no amount")
        return number(text), text
    debit, credit = cell("debit_column"), cell("credit_column")
    if not debit and not credit:
        raise RowProblem("the row has neither a debit nor a credit amount")
    # Banks disagree on whether debits are written negative; a debit is money out either way.
    value = abs(number(credit or "0")) - abs(number(debit or "0"))
    return value, " / ".join(filter(None, (debit, credit)))


@lru_cache(maxsize=4096)
def _date(text: str, date_format: str) -> dt.date:
    """Cached: `strptime` is slow, and a statement has many rows per day."""
    try:
        return dt.datetime.strptime(text, date_format).date()
    except ValueError:
        raise RowProblem(f"{text!r} is not a date in the format {date_format}") from None
