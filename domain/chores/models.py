"""Chore tables: definitions, their occurrences, unplanned time, preferences and absences.

A completed occurrence keeps the minutes, effort and load it was done with, so editing a
chore later never rewrites the time a member has already put in.
"""

import datetime as dt
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class Status(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


class Chore(SQLModel, table=True):
    __tablename__ = "chores"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    name: str = Field(max_length=100)
    estimated_minutes: int
    effort: int
    load: str = Field(max_length=16)
    recurrence: str | None = Field(default=None, max_length=500)
    starts_on: dt.date
    strategy: str = Field(max_length=16)
    fixed_member_id: str | None = Field(
        default=None, foreign_key="members.id", ondelete="SET NULL", max_length=36
    )
    # No rows in chore_eligible_members means every active member, including later ones.
    everyone_eligible: bool = Field(default=True)
    created_at: datetime = created_field()
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Deleting a chore archives it: its completed occurrences stay in everyone's history.
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)


class ChoreEligibleMember(SQLModel, table=True):
    """The members who may take a chore, in rotation order."""

    __tablename__ = "chore_eligible_members"

    chore_id: str = Field(
        foreign_key="chores.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    member_id: str = Field(
        foreign_key="members.id", ondelete="CASCADE", primary_key=True, index=True, max_length=36
    )
    position: int


class ChorePreference(SQLModel, table=True):
    __tablename__ = "chore_preferences"

    chore_id: str = Field(
        foreign_key="chores.id", ondelete="CASCADE", primary_key=True, max_length=36
    )
    member_id: str = Field(
        foreign_key="members.id", ondelete="CASCADE", primary_key=True, index=True, max_length=36
    )
    preference: str = Field(max_length=8)
    version: int = Field(default=1)


class ChoreOccurrence(SQLModel, table=True):
    __tablename__ = "chore_occurrences"
    __table_args__ = (
        # One occurrence per chore and day: materialising twice (a read, a write and the
        # worker at once) hits this constraint instead of planning the day twice.
        UniqueConstraint("chore_id", "due_on"),
        Index("ix_chore_occurrences_household_id_due_on", "household_id", "due_on"),
        Index("ix_chore_occurrences_household_id_completed_on", "household_id", "completed_on"),
    )

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    chore_id: str = Field(foreign_key="chores.id", ondelete="CASCADE", max_length=36)
    due_on: dt.date
    status: str = Field(default=Status.OPEN.value, max_length=8)
    assigned_member_id: str | None = Field(
        default=None, foreign_key="members.id", ondelete="SET NULL", index=True, max_length=36
    )
    # No ON DELETE action: a member who has done chores cannot vanish from the history
    # (deactivate them instead), yet deleting the whole household still cascades.
    completed_by_member_id: str | None = Field(
        default=None, foreign_key="members.id", index=True, max_length=36
    )
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # completed_at as a day in the household's zone: stats and loads group by it in SQL.
    completed_on: dt.date | None = Field(default=None)
    minutes: int | None = Field(default=None)
    effort: int | None = Field(default=None)
    load: str | None = Field(default=None, max_length=16)
    created_at: datetime = created_field()
    version: int = Field(default=1)


class TimeEntry(SQLModel, table=True):
    """Unplanned work: time a member spent that no occurrence describes."""

    __tablename__ = "time_entries"
    __table_args__ = (Index("ix_time_entries_household_id_date", "household_id", "date"),)

    id: str = id_field()
    household_id: str = Field(foreign_key="households.id", ondelete="CASCADE", max_length=36)
    member_id: str = Field(foreign_key="members.id", index=True, max_length=36)
    minutes: int
    date: dt.date
    chore_id: str | None = Field(
        default=None, foreign_key="chores.id", ondelete="SET NULL", index=True, max_length=36
    )
    load: str = Field(max_length=16)
    effort: int
    note: str | None = Field(default=None, max_length=2000)
    created_by_member_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = created_field()


class Absence(SQLModel, table=True):
    """Days a member is away, first to last inclusive: nothing is assigned to them then."""

    __tablename__ = "absences"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    member_id: str = Field(foreign_key="members.id", ondelete="CASCADE", index=True, max_length=36)
    first_day: dt.date
    last_day: dt.date
    created_at: datetime = created_field()
    version: int = Field(default=1)
