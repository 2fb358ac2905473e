"""Actual Budget, through the `actualpy` library (the optional extra `[actual]`).

Actual has no REST API: `actualpy` logs in to the server, downloads the budget file and
reads its SQLite database. The connector sees the budget only through the small
`ActualBudget` interface below, so it is tested with a fake budget and `actualpy` is
imported only when a real budget is opened. `actualpy` brings its own HTTP client, so this
connector takes no `httpx.Client`.

Actual stores every amount as an integer of hundredths of the major unit, whatever the
currency, and budgets carry no currency code: the connection says which one (`currency`),
and amounts are converted exactly (a JPY budget's 150000 is 1500 yen). Leaf rows are the
plain transactions and the children of splits (`parent_id` = the split); a transfer is a
`transfer` row with the other account as counterparty, both sides sharing the smaller id
as `parent_id`; deleted rows (tombstones) come back as `deleted`; starting balances are
not imported. There is no change cursor: each fetch re-reads a date window (`DateWindow`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from domain.imports.records import Batch, ImportedTransaction, Kind, SourceFailed
from domain.money import exponent
from integrations.connectors.values import RowProblem, Rows, date_window, power_of_ten

SOURCE = "Actual Budget"


@dataclass(frozen=True, slots=True)
class ActualRow:
    """One leaf transaction of an Actual budget, as the adapter reads it."""

    id: str
    account: str
    date: dt.date
    amount: int  # hundredths of the major unit, whatever the currency
    payee: str | None = None
    notes: str | None = None
    category: tuple[str, ...] = ()  # (group, category)
    parent_id: str | None = None  # the split this row is a part of
    transfer_id: str | None = None  # the other side of a transfer
    transfer_account: str | None = None
    pending: bool = False
    deleted: bool = False
    starting_balance: bool = False


class ActualBudget(Protocol):
    def rows(self, since: dt.date | None) -> Iterable[ActualRow]:
        """Leaf transactions dated `since` or later (all when None), deleted ones included."""
        ...


@dataclass(frozen=True, slots=True)
class ActualLogin:
    server_url: str
    file: str  # the budget's name or id on the server
    password: str = field(repr=False)
    encryption_password: str | None = field(default=None, repr=False)


BudgetOpener = Callable[[ActualLogin], AbstractContextManager[ActualBudget]]


def cents_to_minor(cents: int, currency: str) -> int:
    """Actual's hundredths as exact minor units of `currency`; rounding is a row error."""
    places = exponent(currency)
    if places >= 2:
        return cents * power_of_ten(places - 2)
    divisor = power_of_ten(2 - places)
    if cents % divisor:
        raise RowProblem(f"amount {cents / 100} is not exact in {currency} ({places} decimals)")
    return cents // divisor


class ActualConnector:
    """One budget file on an Actual server."""

    def __init__(
        self,
        *,
        login: ActualLogin,
        currency: str,
        overlap_days: int = 7,
        start_date: dt.date | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        opener: BudgetOpener | None = None,
    ) -> None:
        exponent(currency)  # an unknown currency is refused here, not row by row
        self._login = login
        self._currency = currency
        self._overlap_days = overlap_days
        self._start_date = start_date
        self._today = today
        self._open = opener or open_actualpy_budget

    def fetch(self, cursor: str | None) -> Batch:
        window = date_window(
            cursor,
            overlap_days=self._overlap_days,
            initial_start=self._start_date,
            today=self._today(),
        )
        rows = Rows()
        with self._open(self._login) as budget:
            for row in budget.rows(window.start):
                rows.add(row.id, partial(self._leaf, row))
        return rows.batch(cursor=window.cursor)

    def _leaf(self, row: ActualRow) -> ImportedTransaction | None:
        if row.starting_balance:
            return None
        amount = cents_to_minor(row.amount, self._currency)
        transfer = row.transfer_id is not None or row.transfer_account is not None
        pair = min(row.id, row.transfer_id) if row.transfer_id else None
        return ImportedTransaction(
            source_id=row.id,
            account=row.account,
            date=row.date,
            amount=amount,
            currency=self._currency,
            kind=Kind.TRANSFER if transfer else Kind.INCOME if amount > 0 else Kind.EXPENSE,
            payee=row.payee,
            memo=row.notes,
            category=row.category,
            parent_id=row.parent_id or pair,
            counterparty=row.transfer_account,
            pending=row.pending,
            deleted=row.deleted,
            raw={"id": row.id, "account": row.account, "amount": row.amount},
        )


@contextmanager
def open_actualpy_budget(login: ActualLogin) -> Iterator[ActualBudget]:
    """Log in, download the budget and read it with `actualpy`; its failures become
    `SourceFailed` with a reason a user can act on."""
    try:
        import httpx
        from actual import Actual
        from actual.exceptions import (
            ActualDecryptionError,
            ActualError,
            AuthorizationError,
            UnknownFileId,
        )
    except ImportError as exc:
        raise SourceFailed(
            "Actual Budget support is not installed on this server (the `actual` extra)"
        ) from exc
    try:
        with Actual(
            base_url=login.server_url,
            password=login.password,
            file=login.file,
            encryption_password=login.encryption_password,
        ) as actual:
            yield _ActualPyBudget(actual.session)
    except AuthorizationError as exc:
        raise SourceFailed(f"{SOURCE} refused the password") from exc
    except UnknownFileId as exc:
        raise SourceFailed(f"{SOURCE} has no single budget file named {login.file!r}") from exc
    except ActualDecryptionError as exc:
        raise SourceFailed(f"{SOURCE} budget could not be decrypted: check the key") from exc
    except ActualError as exc:
        raise SourceFailed(f"{SOURCE} failed: {str(exc)[:200]}") from exc
    except httpx.TimeoutException as exc:
        raise SourceFailed(f"{SOURCE} did not answer in time") from exc
    except httpx.HTTPError as exc:
        raise SourceFailed(f"could not read from {SOURCE} ({type(exc).__name__})") from exc


class _ActualPyBudget:
    def __init__(self, session: Any) -> None:
        self._session = session

    def rows(self, since: dt.date | None) -> Iterator[ActualRow]:
        from actual.queries import get_transactions

        for t in get_transactions(self._session, start_date=since, include_deleted=True):
            category = t.category
            group = category.group if category is not None else None
            yield ActualRow(
                id=t.id,
                account=t.acct,
                date=t.get_date(),
                amount=t.amount or 0,
                payee=(t.payee.name or None) if t.payee is not None else None,
                notes=t.notes or None,
                category=tuple(
                    name
                    for name in (group.name if group else None, category.name if category else None)
                    if name
                ),
                parent_id=t.parent_id,
                transfer_id=t.transferred_id,
                transfer_account=t.payee.transfer_acct if t.payee is not None else None,
                pending=bool(t.pending),
                deleted=bool(t.tombstone),
                starting_balance=bool(t.starting_balance_flag),
            )
