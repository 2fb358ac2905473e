"""QIF (Quicken Interchange Format) bank, cash and card registers.

A record is a run of lines, each a one-letter code and a value, ended by `^`: D date,
T (or U) amount, P payee, M memo, L category (or `[Account]` for a transfer), N number,
and splits as repeated S category / E memo / $ amount. A `!Account` block names the account
the following register belongs to. QIF carries no currency, so the caller must give one.

Rows: `line` is the line of the record's first field; a split transaction gives one row per
split, all with that line and `parent_id` "qif:<line>"; `source_id` is None (QIF has no ids:
the import service hashes the row). Dates are month-first (10/31/25, 10/31'25, 10/31/2025)
or, when asked, day-first; ISO dates (2025-10-31) are read either way. Two-digit years
00-69 are 20xx and 70-99 are 19xx, except after Quicken's apostrophe, which always means 20xx.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from domain.errors import InvalidInput
from domain.imports.records import Batch, ImportedTransaction, Kind, RowError
from domain.money import Money, format_major, is_known_currency
from integrations.files.amounts import minor_units
from integrations.files.rows import RowProblem, clean, kind_for
from integrations.files.text import decode_text

_REGISTERS = frozenset({"bank", "cash", "ccard", "oth a", "oth l"})
# Lists, not transactions: skipped. Any other section is refused, record by record.
_LISTS = frozenset(
    {
        "cat", "class", "memorized", "security", "prices", "invitem", "template",
        "tag", "payee", "bill", "invoice", "budget",
    }
)  # fmt: skip
_SPLIT_CODES = frozenset({"E", "$", "%"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_DATE = re.compile(r"(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*(['/.\-])\s*(\d{1,4})")


@dataclass(slots=True)
class _Record:
    section: str
    account: str | None
    line: int
    fields: list[tuple[str, str]]


def parse_qif(
    data: bytes,
    *,
    account: str = "default",
    currency: str | None = None,
    day_first: bool = False,
) -> Batch:
    """Every transaction of the file's bank, cash and card registers, splits as leaves."""
    code = _currency(currency)
    batch = Batch(transactions=[])
    text = decode_text(data)
    if not text.strip():
        raise InvalidInput("the file is empty", field="file")
    for record in _records(text):
        section = record.section.lower()
        if section in _LISTS:
            continue
        if section not in _REGISTERS:
            reason = f"{record.section} records are not supported, only bank, cash and card ones"
            batch.errors.append(RowError(reason, line=record.line))
            continue
        try:
            rows = _rows(
                record, account=record.account or account, currency=code, day_first=day_first
            )
        except RowProblem as problem:
            batch.errors.append(RowError(str(problem), line=record.line))
        else:
            batch.transactions.extend(rows)
    return batch


def _currency(currency: str | None) -> str:
    if currency is None or not currency.strip():
        raise InvalidInput("a QIF file names no currency: choose the account's", field="currency")
    code = currency.strip().upper()
    if not is_known_currency(code):
        raise InvalidInput(f"{currency!r} is not a known ISO 4217 currency", field="currency")
    return code


def _records(text: str) -> Iterator[_Record]:
    """Every record with its section; `#` comment lines are skipped, and while Quicken's
    AutoSwitch option is on an `!Account` section is a list of accounts, not a switch."""
    section, account = "Bank", None
    fields: list[tuple[str, str]] = []
    start = 0
    auto_switch = False
    # The closing "^" is often missing after the last record: add one.
    for number, line in enumerate([*_LINE_BREAK.split(text), "^"], 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not stripped.startswith(("!", "^")):
            start = start if fields else number
            fields.append((stripped[0], stripped[1:].strip()))
            continue
        if fields and section == "Account":
            if not auto_switch:
                account = next((value for code, value in fields if code == "N"), account)
        elif fields:
            yield _Record(section, account, start, fields)
        fields = []
        header, _, value = stripped[1:].partition(":")
        directive = header.strip().lower() if stripped.startswith("!") else ""
        if directive == "type":
            section = value.strip()
        elif directive == "account":
            section = "Account"
        elif directive in ("option", "clear") and value.strip().lower() == "autoswitch":
            auto_switch = directive == "option"


def _rows(
    record: _Record, *, account: str, currency: str, day_first: bool
) -> list[ImportedTransaction]:
    single: dict[str, str] = {}
    address: list[str] = []
    splits: list[dict[str, str]] = []
    for code, value in record.fields:
        if code == "S":
            splits.append({"S": value})
        elif code in _SPLIT_CODES:
            if not splits or code in splits[-1]:
                splits.append({})
            splits[-1][code] = value
        elif code == "A":
            address.append(value)
        else:
            single.setdefault(code, value)
    raw: dict[str, Any] = {"type": record.section, **single}
    if address:
        raw["A"] = address
    if splits:
        raw["splits"] = splits
    date = _date(single.get("D"), day_first=day_first)
    total = single.get("T") or single.get("U")
    if not splits:
        if total is None:
            raise RowProblem("the transaction has no amount (T)")
        parts = [(_minor(total, currency), single.get("L"), single.get("M"))]
    else:
        parts = [_split(split, number, currency) for number, split in enumerate(splits, 1)]
        if total is not None:
            _check_total(sum(amount for amount, _, _ in parts), total, currency)
    rows = []
    for number, (amount, category, memo) in enumerate(parts, 1):
        path, other_account = _category(category)
        rows.append(
            ImportedTransaction(
                source_id=None,
                account=account,
                date=date,
                amount=amount,
                currency=currency,
                kind=Kind.TRANSFER if other_account else kind_for(amount),
                payee=clean(single.get("P")),
                memo=clean(memo or single.get("M")),
                category=path,
                parent_id=f"qif:{record.line}" if splits else None,
                counterparty=other_account,
                line=record.line,
                raw={**raw, "split": number} if splits else raw,
            )
        )
    return rows


def _split(split: dict[str, str], number: int, currency: str) -> tuple[int, str | None, str | None]:
    if "$" not in split:
        raise RowProblem(f"split {number} has no amount ($)")
    return (
        _minor(split["$"], currency),
        split.get("S"),
        split.get("E"),
    )


def _check_total(split_sum: int, total: str, currency: str) -> None:
    if split_sum != _minor(total, currency):
        shown = format_major(Money(split_sum, currency))
        raise RowProblem(f"the splits add up to {shown}, but the transaction's total is {total}")


def _minor(text: str, currency: str) -> int:
    return minor_units(text, currency, decimal_separator=".", thousands_separator=",")


def _category(text: str | None) -> tuple[tuple[str, ...], str | None]:
    """("Food", "Groceries") from "Food:Groceries/Class"; the account of "[Savings]"."""
    name = (text or "").split("/", 1)[0].strip()
    if name.startswith("[") and name.endswith("]"):
        return (), clean(name[1:-1])
    return tuple(part.strip() for part in name.split(":") if part.strip()), None


@lru_cache(maxsize=4096)
def _date(text: str | None, *, day_first: bool) -> dt.date:
    """Cached: a register has many records per day."""
    if not text:
        raise RowProblem("the transaction has no date (D)")
    example = "31/10/25" if day_first else "10/31/25"
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise RowProblem(f"{text!r} is not a date like {example}")
    first, second, separator, third = match.groups()
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    else:
        month, day = (int(second), int(first)) if day_first else (int(first), int(second))
        year = int(third)
        if len(third) <= 2:
            year += 2000 if separator == "'" or year < 70 else 1900
    try:
        if len(third) == 3 or (len(first) == 4 and len(third) > 2):
            raise ValueError
        return dt.date(year, month, day)
    except ValueError:
        hint = "; are the dates day-first?" if not day_first and month > 12 else ""
        raise RowProblem(f"{text!r} is not a date like {example}{hint}") from None
