from datetime import datetime

from sqlalchemy import LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class IdempotencyRecord(SQLModel, table=True):
    """A POST that carried an Idempotency-Key: claimed first, then filled with the response."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: str = id_field()
    user_id: str = Field(max_length=36)
    key: str = Field(max_length=255)
    method: str = Field(max_length=10)
    path: str = Field(max_length=2048)
    request_hash: str = Field(max_length=64)
    status_code: int | None = Field(default=None)
    response_headers: str | None = Field(default=None, sa_type=Text)  # JSON, unbounded
    response_body: bytes | None = Field(default=None, sa_type=LargeBinary)
    created_at: datetime = created_field()
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
