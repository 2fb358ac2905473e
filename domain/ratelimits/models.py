from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


class RateLimitCounter(SQLModel, table=True):
    """One counter for one window: requests of a token or an address, or failed logins.

    The key names the window (`token:<hash>:<window number>`), so a new window is a new row
    and nothing is ever reset; rows past `expires_at` are deleted now and then."""

    __tablename__ = "rate_limit_counters"

    key: str = Field(primary_key=True, max_length=128)
    count: int = Field(default=0)
    expires_at: int = Field(index=True, sa_type=BigInteger)  # seconds since the epoch
