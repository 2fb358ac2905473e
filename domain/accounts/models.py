from datetime import datetime

from sqlmodel import Field, SQLModel

from domain.tables import UTCDateTime, created_field, id_field


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: str = id_field()
    email: str = Field(max_length=320, unique=True)
    display_name: str = Field(max_length=100)
    password_hash: str = Field(max_length=255)
    created_at: datetime = created_field()
    version: int = Field(default=1)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: str = id_field()
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=36)
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    scopes: str = Field(max_length=100)  # space-separated, as in OAuth
    household_id: str | None = Field(
        default=None, foreign_key="households.id", ondelete="CASCADE", max_length=36
    )
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_field()


class WebSession(SQLModel, table=True):
    """A browser's session with the household page (/app). Only a hash of the cookie's
    secret is kept, as for tokens. `user_id` is empty before sign-in: the sign-in form needs
    a session for its CSRF token, and signing in replaces that session with a new one."""

    __tablename__ = "web_sessions"

    id: str = id_field()
    secret_hash: str = Field(max_length=64, unique=True)
    user_id: str | None = Field(
        default=None, foreign_key="users.id", ondelete="CASCADE", index=True, max_length=36
    )
    created_at: datetime = created_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
