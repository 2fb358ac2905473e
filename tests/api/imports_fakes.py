"""Budgeting apps as `httpx.MockTransport` handlers, answering as their APIs document."""

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

TOKEN = "ynab-secret-token-123"
BUDGET = "budget-1"
CHECKING = "acct-checking"
SAVINGS = "acct-savings"


def ynab_transaction(
    id: str,
    day: str,
    milliunits: int,
    payee: str,
    *,
    account: str = CHECKING,
    deleted: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": id,
        "date": day,
        "amount": milliunits,
        "payee_name": payee,
        "memo": None,
        "account_id": account,
        "category_name": None,
        "category_group_name": None,
        "transfer_account_id": None,
        "transfer_transaction_id": None,
        "deleted": deleted,
        "subtransactions": [],
        **extra,
    }


@dataclass
class FakeYnab:
    """`pages[cursor]` is what a delta request from that cursor gets (None: the first)."""

    pages: dict[str | None, tuple[list[dict[str, Any]], int]] = field(default_factory=dict)
    status: int = 200
    body: bytes | None = None
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}" or self.status == 401:
            return httpx.Response(401, json={"error": {"id": "401", "name": "unauthorized"}})
        if self.body is not None:
            return httpx.Response(self.status, content=self.body)
        if request.url.path.endswith("/settings"):
            return httpx.Response(
                200, json={"data": {"settings": {"currency_format": {"iso_code": "EUR"}}}}
            )
        since = request.url.params.get("last_knowledge_of_server")
        transactions, knowledge = self.pages.get(since, ([], int(since or 0)))
        return httpx.Response(
            200,
            content=json.dumps(
                {"data": {"transactions": transactions, "server_knowledge": knowledge}}
            ),
        )

    @property
    def cursors(self) -> list[str | None]:
        return [
            r.url.params.get("last_knowledge_of_server")
            for r in self.requests
            if r.url.path.endswith("/transactions")
        ]


@dataclass
class FakeSplitwise:
    expenses: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        return httpx.Response(200, json={"expenses": self.expenses if offset == 0 else []})


def splitwise_expense(
    id: int, cost: str, users: list[tuple[int, str, str]], *, payment: bool = False
) -> dict[str, Any]:
    return {
        "id": id,
        "group_id": 77,
        "description": "Payment" if payment else "Groceries",
        "details": None,
        "payment": payment,
        "cost": cost,
        "currency_code": "EUR",
        "date": "2026-03-10T18:00:00Z",
        "updated_at": "2026-03-10T18:00:00Z",
        "deleted_at": None,
        "category": {"id": 12, "name": "Groceries"},
        "users": [
            {"user_id": user, "paid_share": paid, "owed_share": owed} for user, paid, owed in users
        ],
    }
