import pytest

from domain.errors import InvalidInput
from domain.money import CurrencyMismatch, Money, UnknownCurrency, exponent, is_known_currency


@pytest.mark.parametrize(("code", "places"), [("EUR", 2), ("JPY", 0), ("BHD", 3), ("CLF", 4)])
def test_exponent_comes_from_the_iso_table(code: str, places: int) -> None:
    assert exponent(code) == places


@pytest.mark.parametrize("code", ["XAU", "XTS", "XXX", "ZZZ", "eur", "", "EURO"])
def test_codes_without_a_minor_unit_or_unknown_are_unsupported(code: str) -> None:
    assert not is_known_currency(code)
    with pytest.raises(UnknownCurrency) as caught:
        exponent(code)
    assert caught.value.field == "currency"


def test_known_currency_is_recognised() -> None:
    assert is_known_currency("EUR")


def test_money_refuses_an_unknown_currency() -> None:
    with pytest.raises(UnknownCurrency):
        Money(100, "XAU")


@pytest.mark.parametrize("amount", [1.5, "100", True])
def test_money_refuses_anything_but_an_int_amount(amount: object) -> None:
    with pytest.raises(InvalidInput):
        Money(amount, "EUR")  # type: ignore[arg-type]


def test_money_adds_subtracts_and_negates_in_one_currency() -> None:
    assert Money(1999, "EUR") + Money(1, "EUR") == Money(2000, "EUR")
    assert Money(1999, "EUR") - Money(2000, "EUR") == Money(-1, "EUR")
    assert -Money(5, "JPY") == Money(-5, "JPY")


def test_adding_two_currencies_raises() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(100, "EUR") + Money(100, "USD")


def test_subtracting_two_currencies_raises() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(100, "EUR") - Money(100, "JPY")


def test_money_is_immutable() -> None:
    money = Money(100, "EUR")
    with pytest.raises(AttributeError):
        money.amount = 5  # type: ignore[misc]
