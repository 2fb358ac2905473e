"""Hook tables: webhook subscriptions, their deliveries and every attempt, and cursors.

The outbox is the `events` table itself: a delivery row is made per (subscription, event)
by the worker's fan-out, so recording an event stays one insert.
"""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class WebhookSubscription(SQLModel, table=True):
    __tablename__ = "webhook_subscriptions"

    id: str = id_field()
    household_id: str = Field(
        foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    description: str | None = Field(default=None, max_length=500)
    enabled: bool = Field(default=True)
    disabled_reason: str | None = Field(default=None, max_length=200)
    # Sealed with FAIRSTEAD_SECRET_KEY (domain/hooks/signing_keys.py), never in the clear.
    secret: str = Field(max_length=500)
    previous_secret: str | None = Field(default=None, max_length=500)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Events with a larger id than this are considered for fan-out (see outbox.py).
    fanout_after_id: str = Field(max_length=36)
    created_at: datetime = created_field()
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)


class WebhookDelivery(SQLModel, table=True):
    """One event for one subscription: its id is the `webhook-id` of every attempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # Two workers fanning out the same event insert one row between them.
        UniqueConstraint("subscription_id", "event_id"),
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_subscription_id_id", "subscription_id", "id"),
        Index("ix_webhook_deliveries_finished_at", "finished_at"),
    )

    id: str = id_field()
    subscription_id: str = Field(
        foreign_key="webhook_subscriptions.id", ondelete="CASCADE", max_length=36
    )
    event_id: str = Field(foreign_key="events.id", ondelete="CASCADE", index=True, max_length=36)
    event_type: str = Field(max_length=64)
    status: str = Field(max_length=16)
    attempt_count: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set when a worker claims the row; only that claim may settle it (see outbox.py).
    lease_id: str | None = Field(default=None, max_length=36)
    last_status_code: int | None = Field(default=None)
    created_at: datetime = created_field()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempts"

    id: str = id_field()
    delivery_id: str = Field(
        foreign_key="webhook_deliveries.id", ondelete="CASCADE", index=True, max_length=36
    )
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    status_code: int | None = Field(default=None)
    duration_ms: int
    response_excerpt: str | None = Field(default=None, max_length=1024)
    error: str | None = Field(default=None, max_length=500)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class HookCursor(SQLModel, table=True):
    """How far a publisher without delivery rows (MQTT) has read the events table, and which
    process publishes: one at a time, whoever holds the lease (see feed.py)."""

    __tablename__ = "hook_cursors"

    name: str = Field(primary_key=True, max_length=32)
    after_id: str = Field(max_length=36)
    owner: str | None = Field(default=None, max_length=36)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = created_field()
