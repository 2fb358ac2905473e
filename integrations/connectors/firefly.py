"""Firefly III (API v1): JSON:API pages of transaction groups, re-scanned by date window.

Firefly III has no change cursor, so each fetch re-reads a date window (see `DateWindow`):
from `overlap_days` before the last sync up to today, following `meta.pagination` to the
last page. Each split of a group (`attributes.transactions[]`) is a leaf row keyed on its
`transaction_journal_id`, with the group id as `parent_id`.

Firefly writes every amount as a positive string; the sign comes from the type and our side
of it: a withdrawal leaves its source (asset) account, a deposit enters its destination
account, and a transfer is one row from the source account's side with the destination as
counterparty. Opening balances, reconciliations and liability credits are bookkeeping
entries, not spending, and are not imported. The date is the date part of `date` as written
— "2025-10-31T20:00:00-05:00" stays on the 31st.
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

SOURCE = "Firefly III"
NOT_IMPORTED = frozenset({"opening balance", "reconciliation", "liability credit"})
# type: (the side whose account is ours, the sign from our side, kind)
SIDES = {
    "withdrawal": ("source", -1, Kind.EXPENSE),
    "deposit": ("destination", 1, Kind.INCOME),
    "transfer": ("source", -1, Kind.TRANSFER),
}
MAX_PAGES = 10_000  # a server that never reports its last page must not loop forever


class FireflyConnector:
    """One Firefly III instance, read with a personal access token."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        token: str,
        base_url: str,
        overlap_days: int = 7,
        start_date: dt.date | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        sleep: Sleep = time.sleep,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        self._http = JsonClient(
            client,
            source=SOURCE,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.api+json",
            },
            sleep=sleep,
            policy=retry,
        )
        self._url = f"{base_url.rstrip('/')}/api/v1/transactions"
        self._overlap_days = overlap_days
        self._start_date = start_date
        self._today = today

    def fetch(self, cursor: str | None) -> Batch:
        window = date_window(
            cursor,
            overlap_days=self._overlap_days,
            initial_start=self._start_date,
            today=self._today(),
        )
        params: dict[str, str | int] = {"type": "all", "end": window.end.isoformat()}
        if window.start is not None:
            params["start"] = window.start.isoformat()
        rows = Rows()
        page = 1
        while True:
            body = self._http.get(self._url, {**params, "page": page})
            groups = page_field(body, "data", list, source=SOURCE)
            for group in groups:
                _add_group(rows, group)
            if not groups or _is_last_page(body, page):
                return rows.batch(cursor=window.cursor)
            if page >= MAX_PAGES:
                raise SourceFailed(f"{SOURCE} reported more than {MAX_PAGES} pages")
            page += 1


def _is_last_page(body: Mapping[str, Any], page: int) -> bool:
    meta = body.get("meta")
    pagination = meta.get("pagination") if isinstance(meta, dict) else None
    total = pagination.get("total_pages") if isinstance(pagination, dict) else None
    if isinstance(total, int):
        current = pagination.get("current_page") if isinstance(pagination, dict) else None
        return (current if isinstance(current, int) else page) >= total
    links = body.get("links")
    return not (isinstance(links, dict) and links.get("next"))


def _add_group(rows: Rows, group: object) -> None:
    attributes = group.get("attributes") if isinstance(group, dict) else None
    splits = attributes.get("transactions") if isinstance(attributes, dict) else None
    group_id = identifier(group) if isinstance(group, dict) else None
    if group_id is None or not isinstance(splits, list):
        rows.fail(group_id, "a transaction group without an id or splits")
        return
    for split in splits:
        journal_id = (
            identifier(split, "transaction_journal_id") if isinstance(split, dict) else None
        )
        rows.add(journal_id, partial(_split, group_id, split))


def _split(group_id: str, split: object) -> ImportedTransaction | None:
    if not isinstance(split, dict):
        raise RowProblem(f"a split is not an object: {split!r:.80}")
    kind_name = required_text(split, "type").lower()
    if kind_name in NOT_IMPORTED:
        return None
    if kind_name not in SIDES:
        raise RowProblem(f"unknown {SOURCE} transaction type {kind_name!r}")
    ours, sign, kind = SIDES[kind_name]
    theirs = "destination" if ours == "source" else "source"
    currency = currency_code(split.get("currency_code"))
    amount = sign * abs(minor_units(split.get("amount"), currency))
    category_name = text(split, "category_name")
    return ImportedTransaction(
        source_id=required_text(split, "transaction_journal_id"),
        account=required_text(split, f"{ours}_id"),
        date=calendar_date(split.get("date")),
        amount=amount,
        currency=currency,
        kind=kind,
        payee=text(split, f"{theirs}_name"),
        memo=text(split, "description"),
        category=(category_name,) if category_name else (),
        parent_id=group_id,
        counterparty=required_text(split, f"{theirs}_id") if kind is Kind.TRANSFER else None,
        raw=split,
    )
