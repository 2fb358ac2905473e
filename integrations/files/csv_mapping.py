"""A CSV mapping is checked once, before the file is read, so a wrong setting fails the
whole import with the setting's name instead of failing every row."""

from __future__ import annotations

from domain.errors import InvalidInput
from domain.imports.records import CsvMapping
from domain.money import is_known_currency

_DECIMAL_SEPARATORS = frozenset({".", ","})
_THOUSANDS_SEPARATORS = frozenset({"", ".", ",", " ", "'"})


def check_mapping(mapping: CsvMapping) -> None:
    """Raise `InvalidInput` naming the first setting that cannot work."""
    has_pair = mapping.debit_column is not None or mapping.credit_column is not None
    if (mapping.amount_column is None) == (not has_pair):
        raise InvalidInput(
            "name either one signed amount column or debit and credit columns",
            field="csv_mapping.amount_column",
        )
    if mapping.decimal_separator not in _DECIMAL_SEPARATORS:
        raise InvalidInput(
            "the decimal separator is '.' or ','", field="csv_mapping.decimal_separator"
        )
    if (
        mapping.thousands_separator not in _THOUSANDS_SEPARATORS
        or mapping.thousands_separator == mapping.decimal_separator
    ):
        raise InvalidInput(
            "the thousands separator is none, '.', ',', ' ' or \"'\", and not the decimal one",
            field="csv_mapping.thousands_separator",
        )
    if mapping.currency is None and mapping.currency_column is None:
        raise InvalidInput(
            "the file has no currency column: choose the account's currency",
            field="csv_mapping.currency",
        )
    if mapping.currency is not None and not is_known_currency(mapping.currency.strip().upper()):
        raise InvalidInput(
            f"{mapping.currency!r} is not a known ISO 4217 currency", field="csv_mapping.currency"
        )
    if "%" not in mapping.date_format:
        raise InvalidInput(
            f"{mapping.date_format!r} is not a date format like %d.%m.%Y",
            field="csv_mapping.date_format",
        )
    if mapping.delimiter is not None and (
        len(mapping.delimiter) != 1 or mapping.delimiter in '"\r\n'
    ):
        raise InvalidInput(
            "the delimiter is one character, not a quote or line break",
            field="csv_mapping.delimiter",
        )
    if mapping.skip_rows < 0:
        raise InvalidInput("skip_rows cannot be negative", field="csv_mapping.skip_rows")
