from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from domain.tables import created_field, id_field


class Event(SQLModel, table=True):
    """One change that matters: the activity feed and the outbox for hooks are this table.

    Written in the same transaction as the change it describes, so the feed never shows a
    change that was rolled back and never misses one that was committed.
    """

    __tablename__ = "events"

    id: str = id_field()
    household_id: str | None = Field(
        default=None, foreign_key="households.id", ondelete="CASCADE", index=True, max_length=36
    )
    type: str = Field(max_length=64)
    subject_id: str | None = Field(default=None, max_length=36)
    actor_user_id: str | None = Field(default=None, max_length=36)
    actor_member_id: str | None = Field(default=None, max_length=36)
    on_behalf_of_member_id: str | None = Field(default=None, max_length=36)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_field()
