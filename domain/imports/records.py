"""What every import source turns into, and what a source hands back.

Bank files and budgeting apps differ in everything; the import service sees only these
values. A connector (in `integrations/`) knows its source and nothing of our tables; the
import service (in `domain/imports/`) knows our tables and nothing of any source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


class Kind(StrEnum):
    EXPENSE = "expense"
    INCOME = "income"
    TRANSFER = "transfer"
    SETTLEMENT = "settlement"


@dataclass(frozen=True, slots=True)
class SourceShare:
    """A person's part of a transaction as the source records it (Splitwise users)."""

    person: str  # the source's own id for the person (user id or email)
    paid: int  # minor units
    owed: int  # minor units


@dataclass(frozen=True, slots=True)
class ImportedTransaction:
    """One leaf row of a source, normalised.

    `date` is the source's own calendar date, never shifted through UTC: a card payment
    booked on the 31st at 20:00 in New York stays on the 31st. `amount` is signed from the
    account's side: negative is money leaving the account. `source_id` is None when the
    source has no stable id (QIF, most CSV); the import service then keys the row on a hash
    of account, date, amount, currency and payee plus its occurrence number in the file.
    """

    source_id: str | None
    account: str
    date: dt.date
    amount: int
    currency: str
    kind: Kind = Kind.EXPENSE
    payee: str | None = None
    memo: str | None = None
    category: tuple[str, ...] = ()
    parent_id: str | None = None  # the split group or transfer pair this row belongs to
    counterparty: str | None = None  # the other account of a transfer, the other person
    shares: tuple[SourceShare, ...] = ()
    pending: bool = False
    deleted: bool = False
    line: int | None = None  # where the row is in a file (1-based), for errors and ordering
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be read: where, and why, in words a user can act on."""

    reason: str
    line: int | None = None
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """What one read of a source yields: the rows, the rows that failed, and where to resume.

    `cursor` is opaque to everyone but the connector that made it (YNAB's
    `server_knowledge`, a date window for Firefly III). It is stored only when the run
    succeeds, so a failed sync is retried from the same place.
    """

    transactions: list[ImportedTransaction]
    errors: list[RowError] = field(default_factory=list)
    cursor: str | None = None


class SourceFailed(Exception):
    """The source as a whole failed (timeout, 401, malformed payload): the run is `failed`
    with this reason and the cursor does not move."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Connector(Protocol):
    """A budgeting-app connection: fetch everything new since `cursor`."""

    def fetch(self, cursor: str | None) -> Batch: ...


@dataclass(frozen=True, slots=True)
class CsvMapping:
    """How to read one bank's CSV, saved per connection and never guessed per row."""

    date_column: str
    amount_column: str | None = None  # one signed column, or the two below
    debit_column: str | None = None
    credit_column: str | None = None
    payee_column: str | None = None
    memo_column: str | None = None
    id_column: str | None = None
    currency_column: str | None = None
    currency: str | None = None  # when the file has no currency column
    date_format: str = "%Y-%m-%d"  # strptime format
    decimal_separator: str = "."  # "," for decimal commas
    thousands_separator: str = ""  # "." or " " or "," (never equal to the decimal separator)
    skip_rows: int = 0  # preamble lines before the header
    delimiter: str | None = None  # None: detect
    encoding: str | None = None  # None: UTF-8 (with BOM), falling back to cp1252
