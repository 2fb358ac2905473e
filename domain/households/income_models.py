"""A member's monthly income as a dated history: each row is in force from its date until
the next one. `members.monthly_income_*` mirrors the latest row in force."""

import datetime as dt
from datetime import datetime

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.tables import created_field, id_field


class MemberIncome(SQLModel, table=True):
    __tablename__ = "member_incomes"
    __table_args__ = (UniqueConstraint("member_id", "effective_from"),)

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    member_id: str = Field(foreign_key="members.id", ondelete="CASCADE", max_length=36)
    amount: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    effective_from: dt.date
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()
