from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.money import Money, format_major, parse_major, to_major

CURRENCIES = st.sampled_from(["EUR", "JPY", "BHD", "CLF", "USD"])


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("19.99", "EUR", 1999),
        ("19.9", "EUR", 1990),
        ("19", "EUR", 1900),
        ("-0.50", "EUR", -50),
        ("1999", "JPY", 1999),
        ("1500.00", "JPY", 1500),
        ("1.999", "BHD", 1999),
        ("0.001", "BHD", 1),
    ],
)
def test_parse_major_reads_minor_units(text: str, currency: str, minor: int) -> None:
    assert parse_major(text, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("text", "currency"), [("19.999", "EUR"), ("0.5", "JPY"), ("1.0001", "BHD")]
)
def test_parse_major_refuses_more_decimals_than_the_currency_has(text: str, currency: str) -> None:
    with pytest.raises(InvalidInput, match="more decimals") as caught:
        parse_major(text, currency, field="exchange.amount")
    assert caught.value.field == "exchange.amount"


@pytest.mark.parametrize("text", ["", "1e3", "1,50", " 1.50", "+1", ".5", "5.", "NaN", "Infinity"])
def test_parse_major_refuses_anything_but_a_plain_decimal(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_major(text, "EUR")
    assert caught.value.field == "amount"


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (1999, "EUR", "19.99"),
        (-50, "EUR", "-0.50"),
        (0, "EUR", "0.00"),
        (5, "EUR", "0.05"),
        (1999, "JPY", "1999"),
        (1999, "BHD", "1.999"),
        (-1, "BHD", "-0.001"),
    ],
)
def test_format_major_writes_exactly_the_currency_decimals(
    minor: int, currency: str, text: str
) -> None:
    assert format_major(Money(minor, currency)) == text


def test_to_major_is_an_exact_decimal() -> None:
    assert to_major(Money(1999, "EUR")) == Decimal("19.99")
    assert to_major(Money(1999, "JPY")) == Decimal(1999)
    assert to_major(Money(-1, "BHD")) == Decimal("-0.001")


@given(st.integers(min_value=-(10**30), max_value=10**30), CURRENCIES)
def test_format_then_parse_is_the_identity(minor: int, currency: str) -> None:
    money = Money(minor, currency)
    assert parse_major(format_major(money), currency) == money


@given(st.integers(min_value=-(10**30), max_value=10**30), CURRENCIES)
def test_to_major_scaled_back_is_the_minor_amount(minor: int, currency: str) -> None:
    major = to_major(Money(minor, currency))
    assert parse_major(str(major), currency).amount == minor
