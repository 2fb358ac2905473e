"""Amount text to exact minor units, in the number format the file uses.

Everything goes through `Decimal` and exact integer ratios, never `float`: "0.1" is one
tenth, and an amount with more decimals than its currency has is an error, not a rounding.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from domain.money import exponent, is_known_currency
from integrations.files.rows import RowProblem

# An amount in minor units is stored as a signed 64-bit integer.
_LARGEST = 2**63 - 1
_MAX_DIGITS = 30
_SYMBOLS = "$€£¥₹₽₩₪₺"
_MINUS = "-\u2212"  # hyphen-minus and the typographic minus sign
_SIGNS = _MINUS + "+"
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class AmountError(RowProblem):
    """Text that is not an amount, or an amount its currency cannot hold; the message says
    which, in words for the user."""


def parse_decimal(
    text: str, *, decimal_separator: str = ".", thousands_separator: str = ""
) -> Decimal:
    """Read "1.234,56", "(12.50)", "12.50-", "€ 4,20" in the given number format.

    Thousands separators must sit between groups of three digits, so a decimal comma read
    with the wrong format ("12,50" as thousands) is an error rather than 1250.
    """
    body = text.strip()
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1]
    body = body.strip().strip(_SYMBOLS).strip()
    if body and body[0] in _SIGNS:
        negative, body = negative or body[0] != "+", body[1:].lstrip().lstrip(_SYMBOLS).strip()
    elif body and body[-1] in _MINUS:
        negative, body = True, body[:-1].rstrip()
    if thousands_separator.isspace():
        body = _SPACES.sub(" ", body)
    whole, dot, fraction = body.partition(decimal_separator)
    if thousands_separator and thousands_separator in whole:
        groups = whole.split(thousands_separator)
        if not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])):
            raise AmountError(_example(text, decimal_separator, thousands_separator))
        whole = "".join(groups)
    digits = whole + fraction
    if (
        not digits.isascii()
        or not digits.isdigit()
        or (dot and not fraction)
        or len(digits) > _MAX_DIGITS
    ):
        raise AmountError(_example(text, decimal_separator, thousands_separator))
    value = Decimal(f"{whole or '0'}.{fraction or '0'}")
    return -value if negative else value


def minor_units(
    text: str, currency: str, *, decimal_separator: str = ".", thousands_separator: str = ""
) -> int:
    """`text` in the given number format as minor units of `currency`: the same as
    `to_minor(parse_decimal(text, ...), currency, written=text)`, and the same errors, but a
    plain amount ("-12.50", "7") is read with integers alone: a file has one on every row."""
    places = _places(currency)
    if places is not None:
        negative = text[:1] == "-"
        whole, dot, fraction = (text[1:] if negative else text).partition(decimal_separator)
        digits = whole + fraction
        if (
            whole
            and (fraction or not dot)
            and len(fraction) <= places
            and digits.isdigit()
            and digits.isascii()
            and len(digits) <= _MAX_DIGITS
        ):
            minor = int(digits + "0" * (places - len(fraction)))
            if minor <= _LARGEST:
                return -minor if negative else minor
    value = parse_decimal(
        text, decimal_separator=decimal_separator, thousands_separator=thousands_separator
    )
    return to_minor(value, currency, written=text)


def to_minor(value: Decimal, currency: str, *, written: str | None = None) -> int:
    """`value` major units of `currency` as an exact integer of minor units; errors quote
    the amount as `written` in the file when given."""
    places = _places(currency)
    if places is None:
        raise AmountError(f"{currency!r} is not a known ISO 4217 currency")
    shown = (written or str(value)).strip()
    if not value.is_finite():
        raise AmountError(f"{shown} is not an amount")
    numerator, denominator = value.as_integer_ratio()
    scale: int = 10**places
    minor, remainder = divmod(numerator * scale, denominator)
    if remainder:
        raise AmountError(f"{shown} has more decimals than {currency} allows ({places})")
    if abs(minor) > _LARGEST:
        raise AmountError(f"{shown} {currency} is too large an amount")
    return minor


@lru_cache(maxsize=512)
def _places(currency: str) -> int | None:
    """The currency's exponent, None for an unknown code; cached, as a file has few."""
    return exponent(currency) if is_known_currency(currency) else None


def _example(text: str, decimal_separator: str, thousands_separator: str) -> str:
    sample = f"1{thousands_separator}234{decimal_separator}56"
    return f"{text.strip()!r} is not an amount like {sample}"
