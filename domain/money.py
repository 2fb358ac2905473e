"""Money as a value: integer minor units and an ISO 4217 code, never a float.

The exponent of each currency (EUR 2, JPY 0, BHD 3) comes from the maintained `iso4217`
table, so a currency change by ISO is a package upgrade, not a code change. Codes without
a minor unit (gold XAU, the test code XTS) cannot be held in minor units and are refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from iso4217 import Currency

from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

_MAJOR_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class UnknownCurrency(InvalidInput):
    """Not an ISO 4217 code we can hold in minor units."""


class CurrencyMismatch(InvalidInput):
    """Two amounts in different currencies were combined."""


def is_known_currency(code: str) -> bool:
    """True for an upper-case ISO 4217 code with a defined minor unit."""
    try:
        return Currency(code).exponent is not None
    except ValueError:
        return False


def exponent(code: str) -> int:
    """Number of decimals of the currency's minor unit: EUR 2, JPY 0, BHD 3."""
    try:
        value = Currency(code).exponent
    except ValueError:
        value = None
    if value is None:
        raise UnknownCurrency(f"{code!r} is not a supported ISO 4217 currency", field="currency")
    return value


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (cents, yen, fils) of one currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.amount) is not int:
            raise InvalidInput("an amount is an integer of minor units", field="amount")
        exponent(self.currency)

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same_currency(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same_currency(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def _same_currency(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"cannot combine {self.currency} and {other.currency}", field="currency"
            )
        return other


def parse_major(text: str, currency: str, *, field: str = "amount") -> Money:
    """Read a plain decimal string in major units ("19.99" EUR is 1999 cents).

    Only digits, an optional leading minus and one decimal point are accepted: no
    exponents, thousands separators or spaces, so what a user typed is what is stored.
    Trailing zeros past the exponent ("1500.00" JPY) are fine because the value is
    exact; a digit that would need rounding ("19.999" EUR) is an error.
    """
    if not _MAJOR_AMOUNT.fullmatch(text):
        raise InvalidInput(f"{text!r} is not a decimal amount like 19.99", field=field)
    places = exponent(currency)
    minor = Fraction(text) * 10**places
    if minor.denominator != 1:
        raise InvalidInput(
            f"{text} has more decimals than {currency} allows ({places})", field=field
        )
    return Money(minor.numerator, currency)


def to_major(money: Money) -> Decimal:
    """The amount in major units as an exact Decimal (1999 EUR is Decimal("19.99"))."""
    sign = 1 if money.amount < 0 else 0
    digits = tuple(int(d) for d in str(abs(money.amount)))
    return Decimal((sign, digits, -exponent(money.currency)))


def format_major(money: Money) -> str:
    """The amount in major units with exactly the currency's decimals: "19.99", "-0.50"."""
    places = exponent(money.currency)
    return f"{to_major(money):.{places}f}"


def allocate(total: int, weights: Sequence[int | Fraction]) -> list[int]:
    """Split `total` in proportion to `weights` so that the parts sum exactly to it.

    Largest-remainder method: every part is the floor of its exact share, and the units
    left over go one each to the largest fractional remainders, ties to the earlier index
    (the order the request listed the participants in). A negative total is allocated as
    its absolute value and negated, so a refund takes back exactly what the expense gave.
    A zero weight always gets zero.
    """
    if not weights:
        raise InvalidInput("there is nothing to allocate to", field="weights")
    for index, weight in enumerate(weights):
        if weight < 0:
            raise InvalidInput(f"weight {weight} is negative", field=f"weights.{index}")
    integral = all(type(weight) is int for weight in weights)
    weight_sum = sum(weights) if integral else sum(weights, Fraction(0))
    if weight_sum == 0:
        raise InvalidInput("weights sum to 0", field="weights")
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    if integral:
        # The same allocation in integers (imports split thousands of rows): floor and
        # remainder of total·w / Σw; the largest remainders first, ties to the earlier index.
        whole = int(weight_sum)
        divided = [divmod(total * int(weight), whole) for weight in weights]
        parts = [part for part, _ in divided]
        left_over = total - sum(parts)
        by_remainder = sorted(range(len(parts)), key=lambda i: (-divided[i][1], i))
        for index in by_remainder[:left_over]:
            parts[index] += 1
        return parts
    exact = [total * Fraction(weight) / weight_sum for weight in weights]
    parts = [share.numerator // share.denominator for share in exact]
    left_over = total - sum(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return parts


def convert(amount_minor: int, from_currency: str, rate: Decimal, to_currency: str) -> int:
    """Convert minor units at `rate` target units per one source unit, rounding once.

    The product is computed exactly (as a fraction) and rounded a single time to the
    target's minor unit with banker's rounding (half to even), so converting many
    expenses does not drift in one direction.
    """
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
        raise InvalidInput(f"exchange rate {rate} must be a positive number", field="exchange_rate")
    shift = exponent(to_currency) - exponent(from_currency)
    exact = Fraction(amount_minor) * Fraction(rate) * Fraction(10) ** shift
    return round(exact)
