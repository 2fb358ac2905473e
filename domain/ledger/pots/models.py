"""Pot tables: a joint account or shared wallet, and what members put in or take out.

A contribution keeps three amounts: as given (`original_*`), in the pot's currency
(`amount`, what the pot's balance and stakes are counted in) and in the household's
currency (`household_amount`, what the fairness report counts as the member's payment).
"""

import datetime as dt
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class Pot(SQLModel, table=True):
    __tablename__ = "pots"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    name: str = Field(max_length=100)
    currency: str = Field(max_length=3)
    archived: bool = Field(default=False)
    # What each member agreed to pay in a month, set by an accepted contribution_adjustment
    # proposal: [{member_id, amount}] in the pot's currency.
    monthly_plan: list[dict[str, Any]] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    created_at: datetime = created_field()
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)


class PotContribution(SQLModel, table=True):
    __tablename__ = "pot_contributions"
    __table_args__ = (Index("ix_pot_contributions_pot_id_date", "pot_id", "date"),)

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    pot_id: str = Field(foreign_key="pots.id", ondelete="CASCADE", max_length=36)
    member_id: str = Field(foreign_key="members.id", ondelete="RESTRICT", max_length=36)
    amount: int = Field(sa_type=BigInteger)
    household_amount: int = Field(sa_type=BigInteger)
    original_amount: int = Field(sa_type=BigInteger)
    original_currency: str = Field(max_length=3)
    exchange_rate: str | None = Field(default=None, max_length=40)
    date: dt.date
    note: str | None = Field(default=None, max_length=2000)
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
    version: int = Field(default=1)


class PotDay(SQLModel, table=True):
    """The pot's state after the last entry of a day that has entries (`PotState.snapshot`):
    a change dated D replays the pot from the day before D's state, not from its start, and
    the pot's balance and stakes are read from its latest day. Kept in the same transaction
    as every change to the pot (domain/ledger/pots/timeline.py `reallocate`), checked and
    repaired by `fairstead verify`."""

    __tablename__ = "pot_days"

    pot_id: str = Field(foreign_key="pots.id", ondelete="CASCADE", primary_key=True, max_length=36)
    date: dt.date = Field(primary_key=True)
    state: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
