"""Plain-language pieces shared by every method's explanation."""

from collections.abc import Sequence
from fractions import Fraction

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

STATUS_QUO = "the status quo stands"


def names(labels: Sequence[str]) -> str:
    """'Sea', 'Sea and Lake', 'Sea, Lake and Hills'."""
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def count(n: int, noun: str) -> str:
    """'1 vote', '3 votes'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def decimal(value: Fraction) -> str:
    """A mean for people to read: exact when it fits two decimals, else 'about 2.33'."""
    hundredths = round(value * 100)
    text = f"{hundredths // 100}.{hundredths % 100:02d}".rstrip("0").rstrip(".")
    return text if Fraction(hundredths, 100) == value else f"about {text}"
