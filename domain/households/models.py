from datetime import datetime

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class Household(SQLModel, table=True):
    __tablename__ = "households"

    id: str = id_field()
    name: str = Field(max_length=100)
    currency: str = Field(max_length=3)
    timezone: str = Field(max_length=64)
    # Days between check-ins the household asks of each member; None: no `check_in.due`.
    check_in_every_days: int | None = Field(default=None)
    created_at: datetime = created_field()
    version: int = Field(default=1)


class Member(SQLModel, table=True):
    __tablename__ = "members"
    # One row per account and household; managed members (no account) have NULL user_ids,
    # which never collide.
    __table_args__ = (
        Index("uq_members_household_id_user_id", "household_id", "user_id", unique=True),
    )

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    user_id: str | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True, max_length=36
    )
    display_name: str = Field(max_length=100)
    role: str = Field(default="member", max_length=10)
    active: bool = Field(default=True)
    weekly_available_minutes: int | None = Field(default=None)
    monthly_income_amount: int | None = Field(default=None, sa_column=Column(BigInteger))
    monthly_income_currency: str | None = Field(default=None, max_length=3)
    income_visibility: str = Field(default="private", max_length=10)
    created_at: datetime = created_field()
    version: int = Field(default=1)


class Invitation(SQLModel, table=True):
    __tablename__ = "invitations"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    code_hash: str = Field(max_length=64, unique=True)
    role: str = Field(default="member", max_length=10)
    member_id: str | None = Field(
        default=None, foreign_key="members.id", ondelete="CASCADE", max_length=36
    )
    created_by_member_id: str = Field(max_length=36)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    accepted_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()


class HouseholdVersion(SQLModel, table=True):
    """Bumped by every write transaction of the household (domain/households/versions.py)."""

    __tablename__ = "household_versions"

    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    version: int = Field(sa_type=BigInteger)
