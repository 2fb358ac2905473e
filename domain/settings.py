"""Every setting Fairstead reads, from `FAIRSTEAD_*` environment variables.

The README's configuration table lists the same fields with the same defaults; change both
together.
"""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAIRSTEAD_", extra="ignore")

    database_url: str = "sqlite:///./fairstead.db"
    open_signup: bool = True
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "info"
    db_pool_size: int = Field(default=40, ge=1, le=1000)
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    invitation_ttl_hours: int = Field(default=72, ge=1, le=24 * 90)
    idempotency_ttl_hours: int = Field(default=24, ge=1)


@lru_cache
def get_settings() -> Settings:
    return Settings()
