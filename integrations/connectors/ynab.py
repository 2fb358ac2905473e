"""YNAB (API v1): delta sync with `server_knowledge`, amounts in milliunits.

The first fetch reads every transaction of the budget; YNAB then hands back a
`server_knowledge` number, and every later fetch asks only for what changed since it —
deletions included, as rows with `deleted: true`. The cursor is that number as text.

A split transaction becomes one leaf row per subtransaction (each with its own id, and the
split's id as `parent_id`). The two sides of a transfer are two transactions linked by
`transfer_transaction_id`; each becomes a `transfer` row from its own account, the other
account as counterparty, and both share the smaller of the two ids as `parent_id` so the
pair can be matched. A deleted split may arrive without its subtransactions: it is then one
deleted row with the split's id, which the import service applies to its children.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import partial
from typing import Any
from urllib.parse import quote

import httpx

from domain.imports.records import Batch, ImportedTransaction, Kind, SourceFailed
from domain.money import exponent, is_known_currency
from integrations.connectors.http import JsonClient, RetryPolicy, Sleep
from integrations.connectors.values import (
    RowProblem,
    Rows,
    calendar_date,
    identifier,
    page_field,
    power_of_ten,
    required_text,
    text,
)

DEFAULT_BASE_URL = "https://api.ynab.com/v1"
SOURCE = "YNAB"


def milliunits_to_minor(milliunits: int, currency: str) -> int:
    """YNAB's milliunits (1/1000 of the major unit) as exact minor units of `currency`.

    USD (exponent 2) divides by 10, JPY (0) by 1000, BHD (3) keeps the value as it is. An
    amount that would need rounding is a row error: an import never invents or loses a cent.
    """
    places = exponent(currency)
    if places >= 3:
        return milliunits * power_of_ten(places - 3)
    divisor = power_of_ten(3 - places)
    if milliunits % divisor:
        raise RowProblem(
            f"amount {milliunits} milliunits is not exact in {currency} "
            f"({places} decimals): YNAB holds a fraction of the smallest unit"
        )
    return milliunits // divisor


class YnabConnector:
    """One YNAB budget, read with a personal access token."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        token: str,
        budget_id: str,
        base_url: str = DEFAULT_BASE_URL,
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
        self._budget_url = f"{base_url.rstrip('/')}/budgets/{quote(budget_id, safe='')}"

    def fetch(self, cursor: str | None) -> Batch:
        params: dict[str, str | int] = {}
        if cursor is not None:
            if not cursor.isdigit():
                raise SourceFailed(
                    f"the stored YNAB cursor {cursor!r} is not a server_knowledge number; "
                    "reset the connection's cursor"
                )
            params["last_knowledge_of_server"] = cursor
        currency = self._currency()
        body = self._http.get(f"{self._budget_url}/transactions", params)
        data = page_field(body, "data", dict, source=SOURCE)
        transactions = page_field(data, "transactions", list, source=SOURCE)
        knowledge = page_field(data, "server_knowledge", int, source=SOURCE)
        rows = Rows()
        for transaction in transactions:
            _add_leaves(rows, transaction, currency)
        return rows.batch(cursor=str(knowledge))

    def _currency(self) -> str:
        """The budget's currency, read once per fetch from its settings."""
        body = self._http.get(f"{self._budget_url}/settings")
        settings = page_field(
            page_field(body, "data", dict, source=SOURCE), "settings", dict, source=SOURCE
        )
        currency_format = settings.get("currency_format")
        code = currency_format.get("iso_code") if isinstance(currency_format, dict) else None
        if not isinstance(code, str) or not is_known_currency(code.upper()):
            raise SourceFailed(
                f"the YNAB budget's currency {code!r} is not a supported ISO 4217 currency"
            )
        return code.upper()


def _add_leaves(rows: Rows, transaction: object, currency: str) -> None:
    if not isinstance(transaction, dict):
        rows.fail(None, f"a transaction is not an object: {transaction!r:.80}")
        return
    subtransactions = transaction.get("subtransactions") or []
    if not isinstance(subtransactions, list):
        rows.fail(identifier(transaction), "subtransactions is not a list")
        return
    if not subtransactions:
        rows.add(identifier(transaction), partial(_whole, transaction, currency))
    for sub in subtransactions:
        sub_id = identifier(sub) if isinstance(sub, dict) else None
        rows.add(sub_id, partial(_sub, transaction, sub, currency))


def _whole(transaction: Mapping[str, Any], currency: str) -> ImportedTransaction:
    source_id = required_text(transaction, "id")
    other_side = text(transaction, "transfer_transaction_id")
    return _leaf(
        transaction,
        transaction,
        currency,
        source_id=source_id,
        parent_id=min(source_id, other_side) if other_side else None,
    )


def _sub(transaction: Mapping[str, Any], sub: object, currency: str) -> ImportedTransaction:
    if not isinstance(sub, dict):
        raise RowProblem(f"a subtransaction is not an object: {sub!r:.80}")
    return _leaf(
        transaction,
        sub,
        currency,
        source_id=required_text(sub, "id"),
        parent_id=required_text(transaction, "id"),
    )


def _leaf(
    transaction: Mapping[str, Any],
    row: Mapping[str, Any],
    currency: str,
    *,
    source_id: str,
    parent_id: str | None,
) -> ImportedTransaction:
    """A leaf row: the transaction itself, or one subtransaction of it (`row`), which takes
    the date and account of its transaction and falls back to its payee and memo."""
    milliunits = row.get("amount")
    if not isinstance(milliunits, int) or isinstance(milliunits, bool):
        raise RowProblem(f"amount {milliunits!r} is not a whole number of milliunits")
    amount = milliunits_to_minor(milliunits, currency)
    transfer_account = text(row, "transfer_account_id")
    kind = Kind.TRANSFER if transfer_account else Kind.INCOME if amount > 0 else Kind.EXPENSE
    category_name = text(row, "category_name")
    group_name = text(row, "category_group_name")
    category = tuple(name for name in (group_name, category_name) if name) if category_name else ()
    return ImportedTransaction(
        source_id=source_id,
        account=required_text(transaction, "account_id"),
        date=calendar_date(transaction.get("date")),
        amount=amount,
        currency=currency,
        kind=kind,
        payee=text(row, "payee_name") or text(transaction, "payee_name"),
        memo=text(row, "memo") or text(transaction, "memo"),
        category=category,
        parent_id=parent_id,
        counterparty=transfer_account,
        deleted=transaction.get("deleted") is True or row.get("deleted") is True,
        raw=row,
    )
