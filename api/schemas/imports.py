"""Imports: runs, connections (credentials write-only), rules and the review queue."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt

from api.schemas.common import Day, Id, PatchModel, RequestModel
from api.schemas.ledger import Category, SplitIn, SplitOut

Provider = Literal["file", "ynab", "firefly", "lunchmoney", "splitwise", "actual"]
RuleAction = Literal["shared", "personal", "ignore", "goal_contribution", "income"]
Outcome = Literal[
    "shared",
    "settlement",
    "personal",
    "ignored",
    "transfer",
    "needs_review",
    "deleted",
    "goal_contribution",
    "contribution",
    "income",
]
Account = Annotated[str, Field(min_length=1, max_length=200)]
Pattern = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="A case-insensitive substring, or a regular expression with `regex: true`.",
    ),
]
MapTarget = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        description="A member id, `joint`, or `pot:<pot id>` (kept; treated as joint for now).",
    ),
]
AccountMap = Annotated[
    dict[Account, MapTarget],
    Field(max_length=200, description="Account → who pays from it."),
]
MemberMap = Annotated[
    dict[Annotated[str, Field(min_length=1, max_length=200)], Id],
    Field(max_length=200, description="The source's person id (Splitwise user) → member id."),
]
Credentials = Annotated[
    dict[
        Annotated[str, Field(min_length=1, max_length=64)],
        Annotated[str, Field(min_length=1, max_length=4096)],
    ],
    Field(max_length=10, description="Write-only: stored encrypted, never returned."),
]
Config = Annotated[dict[str, Any], Field(max_length=30)]
Interval = Annotated[StrictInt, Field(ge=5, le=7 * 24 * 60, description="Minutes; null: manual.")]
Amount = Annotated[StrictInt, Field(ge=0, le=10**15, description="Minor units, absolute.")]
Position = Annotated[StrictInt, Field(ge=0, le=1_000_000)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class Counts(BaseModel):
    read: int
    created: int = Field(description="Expenses and settlements made.")
    updated: int = Field(description="Rows the source changed since the last import.")
    deleted: int
    duplicates: int = Field(description="Rows already imported, unchanged.")
    skipped: int = Field(description="Personal, ignored, transfers and pending rows.")
    needs_review: int
    failed: int


class RowError(BaseModel):
    line: int | None
    reason: str
    source_id: str | None


class ImportRun(BaseModel):
    id: str
    connection_id: str | None
    source: Literal["file", "sync"]
    format: str | None
    filename: str | None
    status: Literal["running", "succeeded", "failed"]
    reason: str | None = Field(description="Why a failed run failed.")
    counts: Counts
    errors: list[RowError]
    errors_truncated: bool
    created_by_member_id: str | None
    started_at: datetime
    finished_at: datetime | None


class ConnectionCreate(RequestModel):
    provider: Provider
    name: Name | None = None
    credentials: Credentials | None = None
    config: Config = Field(
        default_factory=dict,
        description="Provider settings (`budget_id`, `base_url` …); for `file`: `csv_mapping`, "
        "`qif_day_first`, `include_pending`, `currency`, `account`, `format`.",
    )
    account_map: AccountMap = Field(default_factory=dict)
    member_map: MemberMap = Field(default_factory=dict)
    sync_interval_minutes: Interval | None = None


class ConnectionUpdate(PatchModel):
    nullable = frozenset({"name", "credentials", "sync_interval_minutes"})

    name: Name | None = None
    credentials: Credentials | None = None
    config: Config | None = None
    account_map: AccountMap | None = None
    member_map: MemberMap | None = None
    sync_interval_minutes: Interval | None = None


class Connection(BaseModel):
    id: str
    provider: Provider
    name: str | None
    has_credentials: bool
    config: dict[str, Any]
    account_map: dict[str, str]
    member_map: dict[str, str]
    sync_interval_minutes: int | None
    next_sync_at: datetime | None
    last_synced_at: datetime | None
    created_at: datetime
    updated_at: datetime | None


class RuleFields(RequestModel):
    name: Name | None = None
    payee: Pattern | None = None
    memo: Pattern | None = None
    category: Pattern | None = Field(
        default=None, description="Matched against the category path joined with ' / '."
    )
    account: Account | None = Field(default=None, description="Exact, case-insensitive.")
    regex: StrictBool = False
    min_amount: Amount | None = None
    max_amount: Amount | None = None
    split: SplitIn | None = Field(
        default=None, description="`shared` only; default: the household agreement."
    )
    set_category: Category | None = None
    goal_id: Id | None = Field(
        default=None,
        description="`goal_contribution` only: the goal a matched transaction is paid into, "
        "as a contribution of the member whose account sent it.",
    )


class ImportRuleCreate(RuleFields):
    action: RuleAction
    position: Position | None = Field(
        default=None, description="Lower runs first; default: after the last rule."
    )


class ImportRuleUpdate(PatchModel):
    nullable = frozenset(
        {
            "name",
            "payee",
            "memo",
            "category",
            "account",
            "min_amount",
            "max_amount",
            "split",
            "set_category",
            "goal_id",
        }
    )

    action: RuleAction | None = None
    position: Position | None = None
    name: Name | None = None
    payee: Pattern | None = None
    memo: Pattern | None = None
    category: Pattern | None = None
    account: Account | None = None
    regex: StrictBool | None = None
    min_amount: Amount | None = None
    max_amount: Amount | None = None
    split: SplitIn | None = None
    set_category: Category | None = None
    goal_id: Id | None = None


class ImportRule(BaseModel):
    id: str
    position: int
    name: str | None
    action: RuleAction
    payee: str | None
    memo: str | None
    category: str | None
    account: str | None
    regex: bool
    min_amount: int | None
    max_amount: int | None
    split: SplitOut | None
    set_category: str | None
    goal_id: str | None
    created_at: datetime
    updated_at: datetime | None


class ImportedTransaction(BaseModel):
    id: str
    connection_id: str | None
    run_id: str | None
    source_id: str | None
    account: str
    date: Day
    amount: int = Field(description="Signed from the account's side: negative left it.")
    currency: str
    kind: str
    payee: str | None
    memo: str | None
    category: str | None
    line: int | None
    outcome: Outcome
    reason: str | None
    rule_id: str | None
    expense_id: str | None
    settlement_id: str | None
    pot_contribution_id: str | None = Field(default=None, description="`contribution` rows.")
    member_income_id: str | None = Field(default=None, description="`income` rows.")
    duplicate_of_id: str | None = Field(description="The other source's row it may duplicate.")
    revision: int
    created_at: datetime
    updated_at: datetime | None


class ReviewResolve(RequestModel):
    action: Literal["shared", "personal", "ignore", "duplicate"]
    paid_by: Id | None = Field(
        default=None, description="`shared`: who paid; default: the account map's member."
    )
    split: SplitIn | None = Field(default=None, description="`shared`: default the agreement.")
    category: Category | None = None
