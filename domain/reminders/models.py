"""Reminder tables: each reminder sent (its key unique, so it is sent once), the members'
notification targets, and each reminder's delivery to each target."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class SentReminder(SQLModel, table=True):
    """A reminder emitted. `key` names what it is about (kind, subject, member and the
    occasion): two workers that both find it due insert the same key, and one insert wins."""

    __tablename__ = "sent_reminders"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    member_id: str = Field(foreign_key="members.id", ondelete="CASCADE", index=True, max_length=36)
    kind: str = Field(max_length=40)
    subject_id: str = Field(max_length=36)
    key: str = Field(max_length=200, unique=True)
    event_id: str = Field(max_length=36)
    sent_at: datetime = Field(sa_type=UTCDateTime)


class NotificationTarget(SQLModel, table=True):
    """Where a member wants reminders: an Apprise URL (sealed at rest), which kinds, and
    quiet hours (household time, `HH:MM`; a span past midnight wraps)."""

    __tablename__ = "notification_targets"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    member_id: str = Field(foreign_key="members.id", ondelete="CASCADE", index=True, max_length=36)
    label: str | None = Field(default=None, max_length=100)
    url_sealed: str = Field(sa_column=Column(Text, nullable=False))
    url_masked: str = Field(max_length=500)
    reminders: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    quiet_from: str | None = Field(default=None, max_length=5)
    quiet_to: str | None = Field(default=None, max_length=5)
    created_at: datetime = created_field()
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)


class ReminderDelivery(SQLModel, table=True):
    """One reminder to one target: sent once, not before the target's quiet hours end."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("reminder_id", "target_id"),
        Index("ix_reminder_deliveries_sent_at_not_before", "sent_at", "not_before"),
    )

    id: str = id_field()
    reminder_id: str = Field(foreign_key="sent_reminders.id", ondelete="CASCADE", max_length=36)
    target_id: str = Field(
        foreign_key="notification_targets.id", ondelete="CASCADE", index=True, max_length=36
    )
    title: str = Field(max_length=200)
    body: str = Field(max_length=2000)
    not_before: datetime = Field(sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
