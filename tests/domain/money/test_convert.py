from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.money import convert


@pytest.mark.parametrize(
    ("minor", "rate", "expected"),
    [
        (1, "0.5", 0),  # 0.5 cent rounds to the even 0
        (3, "0.5", 2),  # 1.5 cents rounds to the even 2
        (5, "0.5", 2),  # 2.5 cents rounds to the even 2
        (7, "0.5", 4),  # 3.5 cents rounds to the even 4
        (-5, "0.5", -2),
        (-3, "0.5", -2),
        (11, "0.5", 6),  # 5.5 cents rounds to the even 6
    ],
)
def test_conversion_rounds_half_to_even(minor: int, rate: str, expected: int) -> None:
    assert convert(minor, "EUR", Decimal(rate), "USD") == expected


def test_conversion_respects_both_exponents() -> None:
    # 19.99 EUR at 160.5 JPY per EUR is 3208.395 JPY
    assert convert(1999, "EUR", Decimal("160.5"), "JPY") == 3208
    # 1.00 USD at 0.376 BHD per USD is 0.376 BHD
    assert convert(100, "USD", Decimal("0.376"), "BHD") == 376
    # 1000 JPY at 0.00625 EUR per JPY is 6.25 EUR
    assert convert(1000, "JPY", Decimal("0.00625"), "EUR") == 625


def test_conversion_rounds_only_once() -> None:
    # 0.001 BHD at 134.996 EUR per BHD is 13.4996 cents: 13. Rounding first to the
    # source's 3 decimals (0.135 EUR) and then to cents would give 14.
    assert convert(1, "BHD", Decimal("134.996"), "EUR") == 13


@pytest.mark.parametrize("rate", ["0", "-1", "-0.5", "NaN", "sNaN", "Infinity", "-Infinity"])
def test_rate_must_be_finite_and_positive(rate: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        convert(100, "EUR", Decimal(rate), "USD")
    assert caught.value.field == "exchange_rate"


def test_rate_must_not_be_a_float() -> None:
    with pytest.raises(InvalidInput):
        convert(100, "EUR", 1.1, "USD")  # type: ignore[arg-type]


RATES = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(10000), places=6)


@given(st.integers(min_value=-(10**12), max_value=10**12), RATES)
def test_conversion_is_within_half_a_minor_unit(minor: int, rate: Decimal) -> None:
    exact = Fraction(minor) * Fraction(rate) * Fraction(1, 100)  # EUR 2 decimals to JPY 0
    assert abs(convert(minor, "EUR", rate, "JPY") - exact) <= Fraction(1, 2)


@given(st.integers(min_value=-(10**12), max_value=10**12), RATES)
def test_converting_a_refund_mirrors_the_expense(minor: int, rate: Decimal) -> None:
    assert convert(-minor, "USD", rate, "EUR") == -convert(minor, "USD", rate, "EUR")


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_rate_one_between_same_exponents_is_the_identity(minor: int) -> None:
    assert convert(minor, "EUR", Decimal(1), "USD") == minor
