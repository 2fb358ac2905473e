"""Every setting Fairstead reads, from `FAIRSTEAD_*` environment variables.

The README's configuration table lists the same fields with the same defaults; change both
together.
"""

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.sealing import MIN_SECRET_LENGTH

# Settings that hold a secret (a key, or a URL with a password): each can also be read from
# a file named by `FAIRSTEAD_<NAME>_FILE` (Docker and Kubernetes secrets), never both.
SECRET_SETTINGS = ("database_url", "secret_key", "mqtt_url", "redis_url")


class Settings(BaseSettings):
    # hide_input_in_errors: a bad setting must not print a password or key into the log.
    model_config = SettingsConfigDict(
        env_prefix="FAIRSTEAD_", extra="ignore", hide_input_in_errors=True
    )

    database_url: str = "sqlite:///./fairstead.db"
    open_signup: bool = True
    cors_origins: list[str] = Field(default_factory=list)
    # Not uvicorn's "trace", which logs every header and body (tokens and passwords).
    log_level: str = Field(default="info", pattern=r"(?i)^(debug|info|warning|error)$")
    db_pool_size: int = Field(default=40, ge=1, le=1000)
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    invitation_ttl_hours: int = Field(default=72, ge=1, le=24 * 90)
    idempotency_ttl_hours: int = Field(default=24, ge=1)
    # How long a request holds its Idempotency-Key before a retry may take it over (after a
    # crash); a request running longer is rolled back at commit rather than done twice.
    idempotency_lease_seconds: int = Field(default=300, ge=1, le=86400)
    # Chores: how far ahead occurrences are materialised and assigned.
    chore_horizon_days: int = Field(default=28, ge=1, le=366)
    # Imports: the upload limit. The key encrypts connection credentials and webhook signing
    # secrets at rest (unset: connections with credentials and webhooks are refused).
    import_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    secret_key: SecretStr | None = None
    # Hooks: webhooks and MQTT.
    deliver_in_process: bool = True
    webhook_allow_private: bool = False
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_concurrency: int = Field(default=8, ge=1, le=64)
    webhook_retention_days: int = Field(default=30, ge=1)
    mqtt_url: str | None = None
    mqtt_topic_prefix: str = Field(default="fairstead", min_length=1, pattern=r"^[^#+]+$")
    mqtt_discovery_prefix: str = Field(default="homeassistant", min_length=1, pattern=r"^[^#+]+$")
    # Limits: requests per token and per client address in each window, failed logins per
    # account from one address, per account from all addresses and per address, counted in
    # the database or, when set, in Redis.
    rate_limit_enabled: bool = True
    rate_limit_window_seconds: int = Field(default=60, ge=1, le=3600)
    rate_limit_per_token: int = Field(default=600, ge=1)
    rate_limit_per_ip: int = Field(default=1200, ge=1)
    login_window_seconds: int = Field(default=900, ge=1, le=86400)
    login_failures_per_account: int = Field(default=10, ge=1)
    login_failures_per_account_total: int = Field(default=100, ge=1)
    login_failures_per_ip: int = Field(default=50, ge=1)
    redis_url: SecretStr | None = None
    redis_key_prefix: str = Field(default="fairstead:", max_length=64)
    # Reminders (the worker): `chore.due` at this local time, this many days before the day;
    # `chore.overdue` only while the day is at most this many days past (so a worker that
    # was down for weeks does not send the backlog); `decision.closing_soon` this many hours
    # before; `proposal.awaiting_response` after, and again after, this many quiet hours.
    reminder_due_time: str = Field(default="07:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    reminder_due_days_before: int = Field(default=0, ge=0, le=14)
    reminder_overdue_days: int = Field(default=3, ge=1, le=60)
    reminder_decision_hours: int = Field(default=24, ge=1, le=24 * 14)
    reminder_proposal_quiet_hours: int = Field(default=48, ge=1, le=24 * 60)
    # `fairstead serve` on SIGTERM: how long requests under way may take to finish.
    shutdown_timeout_seconds: int = Field(default=30, ge=1, le=600)

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        # A short key is a mistake to stop at, not a reason to run as if there were none.
        if value is None or value.get_secret_value() == "":
            return None
        if len(value.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"too short: {len(value.get_secret_value())} characters, at least "
                f"{MIN_SECRET_LENGTH} needed (a random string, e.g. 'openssl rand -base64 32')"
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _read_secret_files(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name in SECRET_SETTINGS:
            variable = f"FAIRSTEAD_{name.upper()}_FILE"
            path = os.environ.get(variable)
            if not path:
                continue
            if data.get(name) is not None:
                raise ValueError(f"set FAIRSTEAD_{name.upper()} or {variable}, not both")
            try:
                data[name] = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as exc:
                raise ValueError(f"{variable}: cannot read {path}: {exc.strerror}") from exc
        return data


@lru_cache
def get_settings() -> Settings:
    return Settings()
