"""Import tables: connections, rules, runs, and every transaction a source has handed us.

`imported_transactions` is the memory that makes imports idempotent: one row per
(household, scope, key), where the scope is the connection (or `file` for uploads without
one) and the key is the source's id or, without one, a content hash with an occurrence
number. Inserting a key twice hits the unique constraint, so two concurrent imports of one
file cannot both create an expense.
"""

import datetime as dt
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field

FILE_SCOPE = "file"


class Connection(SQLModel, table=True):
    """A budgeting app (or a bank's file layout) the household imports from."""

    __tablename__ = "import_connections"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    provider: str = Field(max_length=32)
    name: str | None = Field(default=None, max_length=100)
    credentials: str | None = Field(
        default=None, sa_type=Text, description="Fernet token of the JSON credentials."
    )
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    account_map: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    member_map: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sync_interval_minutes: int | None = Field(default=None)
    next_sync_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    cursor: str | None = Field(default=None, sa_type=Text)
    last_synced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)


class ImportRule(SQLModel, table=True):
    """One rule; lower `position` is tried first (ties: older first)."""

    __tablename__ = "import_rules"
    __table_args__ = (Index("ix_import_rules_household_id_position", "household_id", "position"),)

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    position: int = Field(default=0)
    name: str | None = Field(default=None, max_length=100)
    payee: str | None = Field(default=None, max_length=200)
    memo: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=200)
    account: str | None = Field(default=None, max_length=200)
    regex: bool = Field(default=False)
    min_amount: int | None = Field(default=None, sa_type=BigInteger)
    max_amount: int | None = Field(default=None, sa_type=BigInteger)
    action: str = Field(max_length=32)
    goal_id: str | None = Field(
        default=None, foreign_key="goals.id", ondelete="RESTRICT", index=True, max_length=36
    )
    split_method: str | None = Field(default=None, max_length=16)
    split_participants: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    set_category: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_field()
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)


class ImportRun(SQLModel, table=True):
    """One file upload or one sync: what it read and what became of it."""

    __tablename__ = "import_runs"
    __table_args__ = (Index("ix_import_runs_household_id_id", "household_id", "id"),)

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    connection_id: str | None = Field(
        default=None,
        foreign_key="import_connections.id",
        ondelete="SET NULL",
        index=True,
        max_length=36,
    )
    source: str = Field(max_length=16)  # file | sync
    format: str | None = Field(default=None, max_length=32)
    filename: str | None = Field(default=None, max_length=255)
    status: str = Field(max_length=16)  # running | succeeded | failed
    reason: str | None = Field(default=None, max_length=2000)
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    errors: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    errors_truncated: bool = Field(default=False)
    cursor_before: str | None = Field(default=None, sa_type=Text)
    cursor_after: str | None = Field(default=None, sa_type=Text)
    created_by_member_id: str | None = Field(default=None, max_length=36)
    started_at: datetime = created_field()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ImportedRow(SQLModel, table=True):
    """A source row we have seen, what we decided, and the ledger entry it became."""

    __tablename__ = "imported_transactions"
    __table_args__ = (
        UniqueConstraint("household_id", "scope", "key"),
        # The cross-source duplicate check looks rows up by day and amount.
        Index("ix_imported_transactions_household_id_date", "household_id", "date"),
        Index("ix_imported_transactions_household_id_outcome", "household_id", "outcome"),
    )

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    scope: str = Field(max_length=36)  # the connection id, or "file"
    key: str = Field(max_length=80)
    content_hash: str = Field(max_length=64)
    connection_id: str | None = Field(
        default=None, foreign_key="import_connections.id", ondelete="SET NULL", max_length=36
    )
    source_id: str | None = Field(default=None, max_length=255)
    parent_id: str | None = Field(default=None, max_length=255)
    account: str = Field(max_length=200)
    date: dt.date
    amount: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    kind: str = Field(max_length=16)
    payee: str | None = Field(default=None, max_length=500)
    memo: str | None = Field(default=None, max_length=2000)
    category: str | None = Field(default=None, max_length=500)
    line: int | None = Field(default=None)
    raw: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    outcome: str = Field(max_length=32)
    reason: str | None = Field(default=None, max_length=500)
    rule_id: str | None = Field(
        default=None, foreign_key="import_rules.id", ondelete="SET NULL", max_length=36
    )
    expense_id: str | None = Field(
        default=None, foreign_key="expenses.id", ondelete="SET NULL", index=True, max_length=36
    )
    settlement_id: str | None = Field(
        default=None, foreign_key="settlements.id", ondelete="SET NULL", index=True, max_length=36
    )
    pot_contribution_id: str | None = Field(
        default=None,
        foreign_key="pot_contributions.id",
        ondelete="SET NULL",
        index=True,
        max_length=36,
    )
    member_income_id: str | None = Field(
        default=None, foreign_key="member_incomes.id", ondelete="SET NULL", max_length=36
    )
    duplicate_of_id: str | None = Field(default=None, max_length=36)
    run_id: str | None = Field(
        default=None, foreign_key="import_runs.id", ondelete="SET NULL", index=True, max_length=36
    )
    revision: int = Field(default=1)
    reviewed_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)


# The Core table behind ImportedRow, typed (SQLModel does not declare `__table__`): bulk
# inserts and updates of imported rows go through it.
IMPORTED_ROWS: Table = SQLModel.metadata.tables[ImportedRow.__tablename__]
