"""Fairness tables: proposals and the responses to them, check-ins, and the last score a
household was told about. The agreement's versions live in `domain.agreement.models`.
"""

import datetime as dt
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class Proposal(SQLModel, table=True):
    __tablename__ = "fairness_proposals"
    __table_args__ = (Index("ix_fairness_proposals_household_id_status", "household_id", "status"),)

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    kind: str = Field(max_length=32)
    status: str = Field(default="open", max_length=16)
    period_from: dt.date | None = Field(default=None)
    period_to: dt.date | None = Field(default=None)
    rationale: str = Field(max_length=4000)
    affected_member_ids: list[str] = Field(sa_column=Column(JSON, nullable=False))
    expected: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    details: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # A hash of the data the proposal was computed from: different at acceptance means
    # the proposal is stale and is superseded instead of applied.
    fingerprint: str = Field(max_length=64)
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)


class ProposalResponse(SQLModel, table=True):
    __tablename__ = "fairness_proposal_responses"

    proposal_id: str = Field(
        foreign_key="fairness_proposals.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    member_id: str = Field(
        foreign_key="members.id", ondelete="CASCADE", primary_key=True, index=True, max_length=36
    )
    response: str = Field(max_length=8)
    note: str | None = Field(default=None, max_length=2000)
    # The admin who answered for a managed member; None when the member answered.
    responded_by_member_id: str | None = Field(default=None, max_length=36)
    responded_at: datetime = Field(sa_type=UTCDateTime)
    version: int = Field(default=1)


class CheckIn(SQLModel, table=True):
    __tablename__ = "check_ins"
    __table_args__ = (Index("ix_check_ins_household_id_date", "household_id", "date"),)

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    member_id: str = Field(foreign_key="members.id", ondelete="CASCADE", index=True, max_length=36)
    fairness: int
    heard: int
    note: str | None = Field(default=None, max_length=2000)
    share_note: bool = Field(default=False)
    date: dt.date  # the household's day it was made
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()


class FairnessScore(SQLModel, table=True):
    """The overall score last recorded for the household's current period: the reference
    that decides whether `fairness.changed` fires."""

    __tablename__ = "fairness_scores"

    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    overall_score: float | None = Field(default=None)
    period_from: dt.date
    period_to: dt.date
    recorded_at: datetime = Field(sa_type=UTCDateTime)
