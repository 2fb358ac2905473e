"""Lunch Money (API v1): transactions by date window, amounts read from the raw JSON strings.

Amounts are requested with `debit_as_negative=true` (money out is negative, as in our
records) and read from the JSON strings ("-4.5000") exactly; the float-based client models
are not used. Currencies come lower-case ("usd") and are upper-cased. Pending rows are
asked for (`pending=true`) and marked `pending`.

Groups: a group parent (`is_group`) is a user-made bundle whose amount is a total in the
primary currency and which belongs to no account, so it is skipped in favour of its
children — the real bank rows — each with the group id as `parent_id`. Children come as
rows of their own (with `group_id`) or only inside the parent's `children`; both are read,
each child once. Split children carry their original's id in `parent_id` (the original
itself is not returned by Lunch Money).

Like Firefly III it has no change cursor: each fetch re-reads a date window (`DateWindow`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import httpx

from domain.imports.records import Batch, ImportedTransaction, Kind, SourceFailed
from integrations.connectors.http import JsonClient, RetryPolicy, Sleep
from integrations.connectors.values import (
    RowProblem,
    Rows,
    calendar_date,
    currency_code,
    date_window,
    identifier,
    minor_units,
    page_field,
    required_text,
    text,
)

DEFAULT_BASE_URL = "https://dev.lunchmoney.app"
SOURCE = "Lunch Money"
# Lunch Money requires a start date: "from the beginning" on the first sync.
EARLIEST = dt.date(1970, 1, 1)
MAX_PAGES = 10_000


class LunchMoneyConnector:
    """One Lunch Money account, read with an access token."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        overlap_days: int = 7,
        start_date: dt.date | None = None,
        page_size: int = 500,
        today: Callable[[], dt.date] = dt.date.today,
        sleep: Sleep = time.sleep,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        self._http = JsonClient(
            client,
            source=SOURCE,
            headers={"Authorization": f"Bearer {token}"},
            sleep=sleep,
            policy=retry,
        )
        self._url = f"{base_url.rstrip('/')}/v1/transactions"
        self._overlap_days = overlap_days
        self._start_date = start_date
        self._page_size = page_size
        self._today = today

    def fetch(self, cursor: str | None) -> Batch:
        window = date_window(
            cursor,
            overlap_days=self._overlap_days,
            initial_start=self._start_date,
            today=self._today(),
        )
        params: dict[str, str | int] = {
            "start_date": (window.start or EARLIEST).isoformat(),
            "end_date": window.end.isoformat(),
            "debit_as_negative": "true",
            "pending": "true",
            "limit": self._page_size,
        }
        listed: list[object] = []
        for page in range(MAX_PAGES):
            body = self._http.get(self._url, {**params, "offset": page * self._page_size})
            transactions = page_field(body, "transactions", list, source=SOURCE)
            listed.extend(transactions)
            more = body.get("has_more")
            full = len(transactions) >= self._page_size
            if not transactions or not (more if isinstance(more, bool) else full):
                return _read(listed).batch(cursor=window.cursor)
        raise SourceFailed(f"{SOURCE} returned more than {MAX_PAGES} pages")


def _read(listed: list[object]) -> Rows:
    rows = Rows()
    groups = {
        identifier(item): item
        for item in listed
        if isinstance(item, dict) and item.get("is_group") is True
    }
    seen: set[str | None] = set()
    for item in listed:
        if not isinstance(item, dict):
            rows.fail(None, f"a transaction is not an object: {item!r:.80}")
        elif item.get("is_group") is not True:
            seen.add(identifier(item))
            group = groups.get(identifier(item, "group_id"))
            rows.add(identifier(item), partial(_transaction, item, group))
    for group in groups.values():
        children = group.get("children") or []
        if not isinstance(children, list):
            rows.fail(identifier(group), "the group's children is not a list")
            continue
        for child in children:
            child_id = identifier(child) if isinstance(child, dict) else None
            if child_id is None or child_id not in seen:
                seen.add(child_id)
                rows.add(child_id, partial(_transaction, child, group))
    return rows


def _transaction(row: object, group: Mapping[str, Any] | None) -> ImportedTransaction:
    """A leaf row. A child of a group takes the group's id as `parent_id`, and its status
    and category where it has none of its own (children inside `children` carry neither)."""
    if not isinstance(row, dict):
        raise RowProblem(f"a transaction is not an object: {row!r:.80}")
    fallback: Mapping[str, Any] = group or {}
    currency = currency_code(row.get("currency") or fallback.get("currency"))
    amount = minor_units(row.get("amount"), currency)
    status = row.get("status") or fallback.get("status")
    parent = (
        required_text(group, "id") if group else text(row, "group_id") or text(row, "parent_id")
    )
    categorised = row if text(row, "category_name") else fallback
    category_name = text(categorised, "category_name")
    group_name = text(categorised, "category_group_name")
    return ImportedTransaction(
        source_id=required_text(row, "id"),
        account=_account(row),
        date=calendar_date(row.get("date")),
        amount=amount,
        currency=currency,
        kind=Kind.INCOME if amount > 0 else Kind.EXPENSE,
        payee=text(row, "payee"),
        memo=text(row, "notes"),
        category=tuple(n for n in (group_name, category_name) if n) if category_name else (),
        parent_id=parent,
        pending=status == "pending" or row.get("is_pending") is True,
        raw=row,
    )


def _account(row: Mapping[str, Any]) -> str:
    """Manual accounts (assets) and bank-synced accounts (Plaid) number their ids apart, so
    the kind is part of the reference; a cash row without an account is `none`."""
    asset = text(row, "asset_id")
    if asset:
        return f"asset:{asset}"
    plaid = text(row, "plaid_account_id")
    return f"plaid:{plaid}" if plaid else "none"
