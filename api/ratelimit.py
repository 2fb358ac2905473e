"""Rate limits per token and per client address, answered with 429 and `Retry-After`.

Counted before anything else touches the database (even the token is only hashed here, not
looked up), so a flood of requests costs one counter increment each. The counters live in
the store every instance shares (`counters_for`): Redis when `FAIRSTEAD_REDIS_URL` is set,
otherwise the database; on SQLite through a write-behind buffer, so that counting a GET never
waits for SQLite's write lock. When the store fails, requests are served uncounted: a broken
counter must not take the API down with it.
"""

import logging
import time
from collections.abc import Callable

from anyio import to_thread
from sqlalchemy import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import problem_response
from domain.db import make_engine
from domain.ratelimits.buffer import Buffered
from domain.ratelimits.counters import Counters
from domain.ratelimits.store import DatabaseCounters
from domain.ratelimits.windows import Window, window_at
from domain.settings import Settings

log = logging.getLogger("fairstead.ratelimits")

# Probes from load balancers and Prometheus must never be turned away.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
SQLITE_WRITE_EVERY = 0.25  # seconds between counter writes on SQLite
SQLITE_WRITE_WAIT_MS = 50  # how long such a write waits for the write lock


def counters_for(settings: Settings, engine: Engine) -> tuple[Counters, Counters]:
    """The exact store (login failures), and the one requests are counted in."""
    if settings.redis_url is not None:
        from integrations.redis_counters import RedisCounters  # the optional [redis] extra

        redis = RedisCounters(
            settings.redis_url.get_secret_value(), prefix=settings.redis_key_prefix
        )
        return redis, redis
    database = DatabaseCounters(engine)
    if engine.dialect.name == "sqlite":
        # The buffer's writes wait for the write lock only briefly: a request that happens
        # to write the counters must not queue behind a long write, and the increments
        # keep until the next write anyway.
        impatient = make_engine(
            engine.url.render_as_string(hide_password=False),
            pool_size=1,
            busy_timeout_ms=SQLITE_WRITE_WAIT_MS,
        )
        buffered = Buffered(DatabaseCounters(impatient, owned=True), every=SQLITE_WRITE_EVERY)
        return database, buffered
    return database, database


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            return value[7:].decode("latin-1").strip() or None
    return None


def too_many(window: Window, detail: str) -> ASGIApp:
    return problem_response(
        429,
        "too-many-requests",
        "Too many requests",
        f"{detail}; try again in {window.retry_after} s",
        headers={"Retry-After": str(window.retry_after)},
    )


class RateLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        counters: Counters,
        per_token: int,
        per_ip: int,
        window_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.counters = counters
        self.per_token = per_token
        self.per_ip = per_ip
        self.window_seconds = window_seconds
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        window = window_at(self.clock(), self.window_seconds)
        limits = {window.key("ip", client_address(scope)): self.per_ip}
        token = bearer_token(scope)
        if token is not None:
            limits[window.key("token", token)] = self.per_token
        try:
            counts = await to_thread.run_sync(
                lambda: self.counters.add(dict.fromkeys(limits, 1), expires_at=window.ends_at)
            )
        except Exception:
            log.warning("rate-limit counters unavailable; serving uncounted", exc_info=True)
            counts = {}
        over = [key for key, limit in limits.items() if counts.get(key, 0) > limit]
        if over:
            what = "this token" if over[0].startswith("token:") else "this address"
            limit = limits[over[0]]
            response = too_many(
                window, f"{what} made more than {limit} requests in {self.window_seconds} s"
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
