"""The household page's amounts and ratings: typed in the reader's locale, read exactly in
minor units (never through a float), and shown back the same way."""

from decimal import Decimal

import pytest
from babel.numbers import format_decimal, get_currency_precision
from hypothesis import given
from hypothesis import strategies as st

from api.web.forms import FormErrors, amount, whole_number
from api.web.templating import money

LOCALES = ["en", "de_DE", "fr_FR", "de_CH", "ja_JP", "ar_BH"]
CURRENCIES = ["EUR", "JPY", "BHD", "USD"]


@given(
    minor=st.integers(min_value=-(10**12), max_value=10**12),
    locale=st.sampled_from(LOCALES),
    currency=st.sampled_from(CURRENCIES),
)
def test_an_amount_as_the_locale_writes_it_reads_back_exactly(
    minor: int, locale: str, currency: str
) -> None:
    exponent = get_currency_precision(currency)
    value = Decimal(minor).scaleb(-exponent)
    typed = format_decimal(value, format="#,##0." + "0" * exponent if exponent else "#,##0",
                           locale=locale)  # fmt: skip
    assert amount(typed, currency=currency, locale=locale, field="amount") == minor


@pytest.mark.parametrize(
    ("typed", "currency", "locale", "minor"),
    [
        ("12.50", "EUR", "en", 1250),
        ("12,50", "EUR", "de_DE", 1250),
        ("1.234,5", "EUR", "de_DE", 123450),
        ("1,234.5", "EUR", "en", 123450),
        ("1500", "JPY", "ja_JP", 1500),
        ("1.250", "BHD", "en", 1250),
        ("-3.10", "EUR", "en", -310),
    ],
)
def test_amounts_in_several_locales(typed: str, currency: str, locale: str, minor: int) -> None:
    assert amount(typed, currency=currency, locale=locale, field="amount") == minor


@pytest.mark.parametrize(
    ("typed", "currency"),
    [("12.505", "EUR"), ("12.5", "JPY"), ("abc", "EUR"), (None, "EUR"), ("1e400", "EUR"),
     ("99999999999999999999", "EUR"), ("NaN", "EUR"), ("Infinity", "EUR")],
)  # fmt: skip
def test_amounts_that_are_not_exact_minor_units_are_refused(
    typed: str | None, currency: str
) -> None:
    with pytest.raises(FormErrors) as refused:
        amount(typed, currency=currency, locale="en", field="amount")
    assert set(refused.value.errors) == {"amount"}


@pytest.mark.parametrize(
    ("minor", "currency", "locale", "shown"),
    [
        (1234, "EUR", "en", "€12.34"),
        (1234, "EUR", "de_DE", "12,34\xa0€"),
        (1234, "JPY", "ja_JP", "￥1,234"),
        (1234, "BHD", "en", "BHD1.234"),  # three decimals: BHD's exponent
        (-1500, "EUR", "en", "-€15.00"),
    ],
)
def test_money_is_shown_in_the_readers_locale(
    minor: int, currency: str, locale: str, shown: str
) -> None:
    assert money(minor, currency, locale) == shown


@pytest.mark.parametrize(
    ("typed", "read"), [("3", 3), ("-2", -2), ("2.5", "2.5"), ("", ""), (None, None),
                        ("1" * 30, "1" * 30)],
)  # fmt: skip
def test_whole_numbers_are_read_and_anything_else_left_for_the_schema(
    typed: str | None, read: int | str | None
) -> None:
    assert whole_number(typed) == read
