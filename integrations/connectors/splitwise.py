"""Splitwise (API v3.0): expenses with each person's paid and owed share, delta by update time.

Every expense carries its people: `users[]` with `paid_share` and `owed_share` as decimal
strings, which become `shares` (the person is the Splitwise user id, as text). The row's
`amount` is the whole cost, negative (money the payers paid out), in the expense's own
currency; `account` is the Splitwise group (`group:<id>`), or the friendship for an
expense outside any group. A payment between two people (`payment: true`) is a
`settlement` whose counterparty is the person paid. A deleted expense comes back with
`deleted_at` and becomes a row with `deleted=True`.

The cursor is the latest `updated_at` seen, as Splitwise wrote it; the next fetch asks for
`updated_after` it, which brings back new, edited and deleted expenses alike.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from functools import partial
from typing import Any

import httpx

from domain.imports.records import Batch, ImportedTransaction, Kind, SourceFailed, SourceShare
from integrations.connectors.http import JsonClient, RetryPolicy, Sleep
from integrations.connectors.values import (
    RowProblem,
    Rows,
    calendar_date,
    currency_code,
    identifier,
    minor_units,
    page_field,
    required_text,
    text,
)

DEFAULT_BASE_URL = "https://secure.splitwise.com/api/v3.0"
SOURCE = "Splitwise"
MAX_PAGES = 10_000


class SplitwiseConnector:
    """The expenses one Splitwise user can see, optionally only those of one group."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        group_id: str | None = None,
        page_size: int = 100,
        sleep: Sleep = time.sleep,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        self._http = JsonClient(
            client,
            source=SOURCE,
            headers={"Authorization": f"Bearer {api_key}"},
            sleep=sleep,
            policy=retry,
        )
        self._url = f"{base_url.rstrip('/')}/get_expenses"
        self._group_id = group_id
        self._page_size = page_size

    def fetch(self, cursor: str | None) -> Batch:
        params: dict[str, str | int] = {"limit": self._page_size}
        if cursor is not None:
            params["updated_after"] = cursor
        if self._group_id is not None:
            params["group_id"] = self._group_id
        rows = Rows()
        latest = _Latest(cursor)
        for page in range(MAX_PAGES):
            body = self._http.get(self._url, {**params, "offset": page * self._page_size})
            expenses = page_field(body, "expenses", list, source=SOURCE)
            for expense in expenses:
                latest.see(expense)
                rows.add(
                    identifier(expense) if isinstance(expense, dict) else None,
                    partial(_expense, expense),
                )
            if len(expenses) < self._page_size:
                return rows.batch(cursor=latest.value)
        raise SourceFailed(f"{SOURCE} returned more than {MAX_PAGES} pages")


class _Latest:
    """The greatest `updated_at` seen, compared as instants but kept as written."""

    def __init__(self, cursor: str | None) -> None:
        self.value = cursor
        self._instant = _instant(cursor) if cursor is not None else None

    def see(self, expense: object) -> None:
        written = expense.get("updated_at") if isinstance(expense, dict) else None
        instant = _instant(written) if isinstance(written, str) else None
        if instant is not None and (self._instant is None or instant > self._instant):
            self.value, self._instant = written, instant


def _instant(written: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(written)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _expense(expense: object) -> ImportedTransaction:
    if not isinstance(expense, dict):
        raise RowProblem(f"an expense is not an object: {expense!r:.80}")
    currency = currency_code(expense.get("currency_code"))
    cost = minor_units(expense.get("cost"), currency, what="cost")
    shares = _shares(expense.get("users"), currency)
    for part in ("paid", "owed"):
        total = sum(getattr(share, part) for share in shares)
        if total != cost:
            raise RowProblem(f"the {part} shares add up to {total}, not the cost {cost}")
    payment = expense.get("payment") is True
    category = expense.get("category")
    category_name = text(category, "name") if isinstance(category, dict) else None
    return ImportedTransaction(
        source_id=required_text(expense, "id"),
        account=_account(expense),
        date=calendar_date(expense.get("date")),
        amount=-cost,
        currency=currency,
        kind=Kind.SETTLEMENT if payment else Kind.EXPENSE,
        payee=text(expense, "description"),
        memo=text(expense, "details"),
        category=(category_name,) if category_name and not payment else (),
        counterparty=next((s.person for s in shares if s.owed > 0), None) if payment else None,
        shares=shares,
        deleted=expense.get("deleted_at") is not None,
        raw=expense,
    )


def _shares(users: object, currency: str) -> tuple[SourceShare, ...]:
    if not isinstance(users, list) or not users:
        raise RowProblem("the expense lists no users")
    shares = []
    for user in users:
        if not isinstance(user, dict):
            raise RowProblem(f"a user entry is not an object: {user!r:.80}")
        nested = user.get("user")
        person = text(user, "user_id") or (text(nested, "id") if isinstance(nested, dict) else None)
        if person is None:
            raise RowProblem("a user entry has no user id")
        shares.append(
            SourceShare(
                person=person,
                paid=minor_units(user.get("paid_share"), currency, what="paid_share"),
                owed=minor_units(user.get("owed_share"), currency, what="owed_share"),
            )
        )
    return tuple(shares)


def _account(expense: Mapping[str, Any]) -> str:
    group = expense.get("group_id")
    if group:  # Splitwise writes 0 or null for an expense outside any group
        return f"group:{group}"
    friendship = expense.get("friendship_id")
    return f"friendship:{friendship}" if friendship else "non-group"
