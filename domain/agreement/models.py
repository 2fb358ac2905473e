"""The agreement's table: its versions.

An agreement is never edited in place: each change is a new numbered version with the day
it took effect, so a past period is always measured against what was agreed then.
"""

import datetime as dt
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.tables import created_field, id_field


class AgreementVersion(SQLModel, table=True):
    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("household_id", "number"),)

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    number: int
    effective_from: dt.date
    terms: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # The accepted agreement_change proposal it came from; None when applied at once.
    proposal_id: str | None = Field(default=None, max_length=36)
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
