"""What every file parser shares: the per-row failure and small field helpers."""

from __future__ import annotations

from domain.imports.records import Kind


class RowProblem(ValueError):
    """One row cannot be imported; the message says why, in words a user can act on.

    Parsers raise it while reading a row and turn it into a `RowError` with the row's
    line, so one bad row never stops the rest of the file.
    """


def kind_for(amount: int) -> Kind:
    """Money in is income, money out an expense: the import rules refine this later."""
    return Kind.INCOME if amount > 0 else Kind.EXPENSE


def clean(value: str | None) -> str | None:
    """A text field with surrounding and repeated blanks removed; None when empty."""
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None
