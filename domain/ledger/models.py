"""Ledger tables. Amounts are BigInteger minor units of the household's currency; an entry
made in another currency keeps its original amount, currency and rate beside them."""

import datetime as dt
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


def _money(**kw: Any) -> Any:
    return Field(sa_type=BigInteger, **kw)


class Expense(SQLModel, table=True):
    __tablename__ = "expenses"
    __table_args__ = (
        # One expense per recurring template and occurrence date: materialising twice (two
        # requests, two workers) hits this constraint instead of creating a duplicate.
        UniqueConstraint("recurring_id", "occurrence_date"),
        Index("ix_expenses_household_id_date", "household_id", "date"),
        # A change to a pot replays its expenses from the change's date on (pots/timeline.py).
        Index("ix_expenses_pot_id_date", "pot_id", "date"),
    )

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    description: str = Field(max_length=200)
    amount: int = _money()
    currency: str = Field(max_length=3)
    original_amount: int = _money()
    original_currency: str = Field(max_length=3)
    exchange_rate: str | None = Field(default=None, max_length=40)
    date: dt.date
    category: str | None = Field(default=None, max_length=64, index=True)
    notes: str | None = Field(default=None, max_length=2000)
    split_method: str = Field(max_length=16)
    split_participants: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    payment: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSON, nullable=False),
        description="Who paid, as given: {paid_by} or {payers} in the original currency.",
    )
    recurring_id: str | None = Field(
        default=None, foreign_key="recurring_expenses.id", ondelete="SET NULL", max_length=36
    )
    occurrence_date: dt.date | None = Field(default=None)
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)
    # Paid from a pot: its payers are then derived from the pot's stakes (domain/ledger/
    # ledger/pots/replay.py), and `pot_amount` is the amount in the pot's currency.
    pot_id: str | None = Field(
        default=None, foreign_key="pots.id", ondelete="RESTRICT", index=True, max_length=36
    )
    pot_amount: int | None = Field(default=None, sa_type=BigInteger)


class ExpenseShare(SQLModel, table=True):
    """What a member bears of an expense: stored, so later changes never rewrite history."""

    __tablename__ = "expense_shares"
    # Covering: a member's balance sums straight from the index, never visiting the table.
    __table_args__ = (Index("ix_expense_shares_member_id_amount", "member_id", "amount"),)

    expense_id: str = Field(
        foreign_key="expenses.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    member_id: str = Field(
        foreign_key="members.id", ondelete="RESTRICT", primary_key=True, max_length=36
    )
    position: int
    amount: int = _money()


class ExpensePayer(SQLModel, table=True):
    __tablename__ = "expense_payers"
    # Covering: a member's balance sums straight from the index, never visiting the table.
    __table_args__ = (Index("ix_expense_payers_member_id_amount", "member_id", "amount"),)

    expense_id: str = Field(
        foreign_key="expenses.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    member_id: str = Field(
        foreign_key="members.id", ondelete="RESTRICT", primary_key=True, max_length=36
    )
    position: int
    amount: int = _money()


class Settlement(SQLModel, table=True):
    __tablename__ = "settlements"
    __table_args__ = (Index("ix_settlements_household_id_date", "household_id", "date"),)

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    from_member_id: str = Field(foreign_key="members.id", ondelete="RESTRICT", max_length=36)
    to_member_id: str = Field(foreign_key="members.id", ondelete="RESTRICT", max_length=36)
    amount: int = _money()
    currency: str = Field(max_length=3)
    original_amount: int = _money()
    original_currency: str = Field(max_length=3)
    exchange_rate: str | None = Field(default=None, max_length=40)
    date: dt.date
    note: str | None = Field(default=None, max_length=2000)
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
    version: int = Field(default=1)


class ExchangeRate(SQLModel, table=True):
    """The household's own rate table: household currency per unit of `currency`, by day."""

    __tablename__ = "exchange_rates"

    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    currency: str = Field(primary_key=True, max_length=3)
    date: dt.date = Field(primary_key=True)
    rate: str = Field(max_length=40)


class RecurringExpense(SQLModel, table=True):
    """A template with an RRULE; each occurrence up to today becomes one expense."""

    __tablename__ = "recurring_expenses"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    template: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    rrule: str = Field(max_length=500)
    starts_on: dt.date
    ends_on: dt.date | None = Field(default=None)
    active: bool = Field(default=True)
    created_at: datetime = created_field()
    version: int = Field(default=1)
    # The household-local day up to which occurrences were last made: a read that finds it
    # at today knows there is nothing to do without expanding the rule or touching expenses.
    materialised_through: dt.date | None = Field(default=None)


class SettleUpPlan(SQLModel, table=True):
    """The plan last served, kept so that paying one transfer never reshuffles the rest."""

    __tablename__ = "settle_up_plans"

    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    transfers: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = created_field()


class MemberTotal(SQLModel, table=True):
    """A member's running totals, kept by database triggers (domain/ledger/totals.py)."""

    __tablename__ = "member_totals"

    member_id: str = Field(
        foreign_key="members.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    paid: int = _money()
    owed: int = _money()
    sent: int = _money()
    received: int = _money()


class MemberDayTotal(SQLModel, table=True):
    """Money a member contributed and owes on one day, kept by database triggers (migration
    0016_member_day_totals): the fairness report sums a period from these rows."""

    __tablename__ = "member_day_totals"

    member_id: str = Field(
        foreign_key="members.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    day: dt.date = Field(primary_key=True)
    contributed: int = _money()
    owed: int = _money()


class DeferredTotals(SQLModel, table=True):
    """While a row is here, inserting expense payers and shares leaves the kept totals to
    the writer (migration 0020_deferred_totals, SQLite): a bulk insert of a chunk of
    expenses adds them in a few statements instead of three upserts per row. Only ever
    filled and emptied again inside one savepoint (`domain.ledger.totals.deferred`), so no
    other transaction ever sees a row."""

    __tablename__ = "deferred_totals"

    token: str = Field(primary_key=True, max_length=36)
