"""Goal tables. Amounts are BigInteger minor units of the household's currency; a
contribution made in another currency keeps its original amount, currency and rate."""

import datetime as dt
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class Goal(SQLModel, table=True):
    __tablename__ = "goals"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    name: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    target_amount: int | None = Field(default=None, sa_type=BigInteger)
    currency: str = Field(max_length=3)
    due_on: dt.date | None = Field(default=None)
    split_method: str = Field(max_length=16)
    split_participants: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Remembered so `goal.reached` and `goal.off_track` fire on the change, not on every write.
    reached_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    off_track: bool = Field(default=False)
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)


class GoalContribution(SQLModel, table=True):
    """Money a member put towards a goal (negative: taken out, with a note saying why)."""

    __tablename__ = "goal_contributions"
    __table_args__ = (Index("ix_goal_contributions_goal_id_date", "goal_id", "date"),)

    id: str = id_field()
    goal_id: str = Field(foreign_key="goals.id", ondelete="CASCADE", max_length=36)
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    member_id: str = Field(foreign_key="members.id", ondelete="RESTRICT", index=True, max_length=36)
    amount: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    original_amount: int = Field(sa_type=BigInteger)
    original_currency: str = Field(max_length=3)
    exchange_rate: str | None = Field(default=None, max_length=40)
    date: dt.date
    note: str | None = Field(default=None, max_length=2000)
    imported_row_id: str | None = Field(
        default=None,
        foreign_key="imported_transactions.id",
        ondelete="SET NULL",
        unique=True,
        max_length=36,
    )
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
