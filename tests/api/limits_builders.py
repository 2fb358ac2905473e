"""For the rate-limit tests: an app with low limits on a chosen store, and a clock to move.

`store` is "database" (SQLite, or PostgreSQL under FAIRSTEAD_TEST_DATABASE_URL) or "redis"
(the real Redis at 127.0.0.1:6379; skipped on a laptop without it, a failure under CI).
"""

import os
import socket
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from api.app import create_app
from api.login_throttle import LoginThrottle
from api.ratelimit import RateLimit
from domain.ids import new_id
from domain.settings import Settings

REDIS = ("127.0.0.1", 6379)
REDIS_URL = f"redis://{REDIS[0]}:{REDIS[1]}/0"
STORES = pytest.mark.parametrize("store", ["database", "redis"])


def require_redis() -> None:
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS[0]}:{REDIS[1]} is required under CI: {exc}")
        pytest.skip(f"Redis at {REDIS[0]}:{REDIS[1]} not reachable: Redis tests skipped")


class Clock:
    """The wall clock the limiters count windows by, set at the start of a window."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now
        self.run = new_id()

    def __call__(self) -> float:
        return self.now


def limited_app(
    store: str, database_url: str, engine: Engine, clock: Clock, **limits: Any
) -> FastAPI:
    """An app whose limiters count by `clock`. On Redis, the clock's run keeps each test's
    keys apart from every other test's (and every other run's)."""
    if store == "redis":
        require_redis()
        limits |= {"redis_url": REDIS_URL, "redis_key_prefix": f"fstest-{clock.run}:"}
    settings = Settings(
        database_url=database_url, db_pool_size=20, deliver_in_process=False, **limits
    )
    app = create_app(settings, engine=engine)
    for middleware in app.user_middleware:
        if middleware.cls in (RateLimit, LoginThrottle):
            middleware.kwargs["clock"] = clock
    return app
