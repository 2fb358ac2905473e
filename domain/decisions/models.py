"""Decision tables: the decision, who voted, and (for secret ballots) the anonymous ballots.

A secret ballot is split in two rows that share only the decision: `decision_voters` says
who voted and when, `decision_ballots` holds what was voted with a random id, no member,
no timestamp, and (on SQLite) no rowid, so neither a key, a clock nor the insertion order
joins one to the other. An open ballot's content sits on its voter row instead.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class Decision(SQLModel, table=True):
    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_household_id_status", "household_id", "status"),
        Index("ix_decisions_status_closes_at", "status", "closes_at"),
    )

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    method: str = Field(max_length=16)
    options: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False),
        description="[{id, label}] in the order given; empty for consensus.",
    )
    ballot: str = Field(max_length=8, description="open or secret")
    quorum_count: int | None = Field(default=None)
    quorum_fraction: str | None = Field(
        default=None, max_length=40, description="A Fraction as text ('2/3')."
    )
    category: str | None = Field(default=None, max_length=64)
    closes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default="open", max_length=8)
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_member_id: str | None = Field(
        default=None, max_length=36, description="None when the deadline closed it."
    )
    proposed_by_member_id: str = Field(max_length=36)
    created_at: datetime = created_field()
    version: int = Field(default=1)


class DecisionVoter(SQLModel, table=True):
    """A member has voted. `ballot` is their ballot for an open decision, None for a
    secret one; `cast_by_member_id` is the admin who voted for a managed member."""

    __tablename__ = "decision_voters"

    decision_id: str = Field(
        foreign_key="decisions.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    member_id: str = Field(
        foreign_key="members.id",
        ondelete="RESTRICT",
        primary_key=True,
        max_length=36,
        index=True,
    )
    ballot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    cast_by_member_id: str | None = Field(default=None, max_length=36)
    voted_at: datetime = Field(sa_type=UTCDateTime)
    version: int = Field(default=1)


class DecisionBallot(SQLModel, table=True):
    """One anonymous ballot of a secret decision: nothing here says whose it is or when."""

    __tablename__ = "decision_ballots"
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(primary_key=True, max_length=36, description="Random (UUIDv4), not v7.")
    decision_id: str = Field(
        foreign_key="decisions.id", ondelete="CASCADE", index=True, max_length=36
    )
    ballot: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
