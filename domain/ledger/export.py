"""Ledger export: one row per expense with a share column per member. Pure: rows in, text out.

CSV cells of free text that start with = + - @ (or a tab or carriage return) are prefixed
with an apostrophe, so a spreadsheet never runs a description as a formula (CSV injection).
Amounts we generate ourselves are numbers and stay as they are.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.ledger.values import MemberAmount
from domain.money import Money, format_major

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportRow:
    id: str
    date: date
    description: str
    category: str | None
    amount: int
    currency: str
    original_amount: int
    original_currency: str
    exchange_rate: str | None
    payers: Sequence[MemberAmount]
    shares: Sequence[MemberAmount]


def escape_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(rows: Sequence[ExportRow], members: Sequence[tuple[str, str]]) -> str:
    """`members` are (id, display name) in column order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "id",
            "date",
            "description",
            "category",
            "amount",
            "currency",
            "original_amount",
            "original_currency",
            "exchange_rate",
            "paid_by",
        ]
        + [f"share {escape_cell(name)}" for _, name in members]
    )
    names = dict(members)
    for row in rows:
        shares = {s.member_id: s.amount for s in row.shares}
        writer.writerow(
            [
                row.id,
                row.date.isoformat(),
                escape_cell(row.description),
                escape_cell(row.category or ""),
                _major(row.amount, row.currency),
                row.currency,
                _major(row.original_amount, row.original_currency),
                row.original_currency,
                row.exchange_rate or "",
                escape_cell(
                    "; ".join(
                        f"{names.get(p.member_id, p.member_id)} {_major(p.amount, row.currency)}"
                        for p in row.payers
                    )
                ),
            ]
            + [_major(shares[m], row.currency) if m in shares else "" for m, _ in members]
        )
    return out.getvalue()


def _major(amount: int, currency: str) -> str:
    return format_major(Money(amount, currency))
