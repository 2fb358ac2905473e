"""How the engine words numbers for people: percentages, hours, money, lists of names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from domain.money import Money, format_major

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


def percent(share: Fraction) -> str:
    """A share as a whole percentage, halves rounded up: 0.645 is "65%"."""
    return f"{_half_up(share * 100)}%"


def one_decimal(value: Fraction) -> str:
    return f"{_half_up(value * 10) / 10:.1f}"


def hours(weighted_minutes: Fraction) -> str:
    """Weighted minutes as hours with one decimal: 210 is "3.5 weighted hours"."""
    value = one_decimal(weighted_minutes / 60)
    return f"{value} weighted hour" + ("" if value == "1.0" else "s")


def money(amount: int, currency: str) -> str:
    return f"{format_major(Money(amount, currency))} {currency}"


def names_of(member_ids: Sequence[str], names: Mapping[str, str]) -> str:
    """ "Sam", "Sam and Alex", "Sam, Alex and Robin"."""
    shown = [names.get(m, m) for m in member_ids]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())
