"""One delivery pass: a job boundary that owns its transactions.

Fan-out and claiming each commit on their own, the HTTP calls run with no transaction open (on
SQLite an open write transaction would block every request for as long as a slow receiver
takes), and the outcomes are settled in one more transaction. How to send is passed in:
the domain decides what goes where, `integrations.webhooks` knows HTTP.

A delivery the receiver has answered is never sent again because its outcome could not be
written at once (SQLite busy behind a long import, PostgreSQL failing over): the write is
retried, with backoff, for up to half the claim's lease, while the lease still keeps every
other worker off it. Only a database down for longer lets the lease run out, and then the
delivery is sent again, as at-least-once delivery allows.
"""

import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from domain.db import unit_of_work
from domain.hooks.outbox import LEASE, Outgoing, claim_due, fan_out, release, settle
from domain.hooks.schedule import Outcome

Send = Callable[[Outgoing], Outcome]
FAN_OUT_LIMIT = 2000
SETTLE_PATIENCE = LEASE.total_seconds() / 2  # seconds of retrying an outcome's write
log = logging.getLogger("fairstead.hooks")


def drain(
    engine: Engine,
    *,
    now: datetime,
    send: Send,
    secret_key: str | None,
    batch: int = 50,
    executor: Executor | None = None,
) -> int:
    """Fan out new events, then deliver up to `batch` due deliveries; returns how many were
    attempted. Call it again while it returns `batch`."""
    fan_out_new(engine, now=now)
    return deliver_due(
        engine, now=now, send=send, secret_key=secret_key, batch=batch, executor=executor
    )


def fan_out_new(engine: Engine, *, now: datetime, limit: int = FAN_OUT_LIMIT) -> int:
    with unit_of_work(engine) as session:
        return fan_out(session, now=now, limit=limit)


def deliver_due(
    engine: Engine,
    *,
    now: datetime,
    send: Send,
    secret_key: str | None,
    batch: int = 50,
    executor: Executor | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> int:
    """Claim and send up to `batch` due deliveries; returns how many were sent. Once
    `stopping()` turns true (the process is shutting down), sends under way finish and are
    settled, and the claimed deliveries not yet sent are released, due again at once for
    any worker, instead of waiting for their lease to run out."""
    with unit_of_work(engine) as session:
        claimed = claim_due(session, now=now, limit=batch, secret_key=secret_key)
    if not claimed:
        return 0
    call = _guarded(send, stopping)
    outcomes = list(executor.map(call, claimed) if executor else map(call, claimed))
    pairs = list(zip(claimed, outcomes, strict=True))
    sent = [(o, outcome) for o, outcome in pairs if outcome is not None]
    unsent = [o for o, outcome in pairs if outcome is None]
    _record(engine, sent=sent, unsent=unsent, now=now)
    return len(sent)


def _record(
    engine: Engine,
    *,
    sent: list[tuple[Outgoing, Outcome]],
    unsent: list[Outgoing],
    now: datetime,
    patience: float | None = None,
) -> None:
    """Settle what was sent and release the rest, retrying the write (never the send)."""
    deadline = time.monotonic() + (SETTLE_PATIENCE if patience is None else patience)
    delay = 0.05
    while True:
        try:
            with unit_of_work(engine) as session:
                settle(session, results=sent, now=now)
                release(session, claimed=unsent, now=now)
            return
        except OperationalError as exc:
            if time.monotonic() + delay > deadline:
                raise
            log.warning(
                "recording %d webhook outcomes failed (%s); retrying in %.2f s",
                len(sent),
                str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__,
                delay,
            )
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def _guarded(send: Send, stopping: Callable[[], bool]) -> Callable[[Outgoing], Outcome | None]:
    """A sender that raises is a bug, but it must cost one attempt, not the whole batch.
    None: not sent, because the process is stopping."""

    def call(outgoing: Outgoing) -> Outcome | None:
        if stopping():
            return None
        started = time.monotonic()
        try:
            return send(outgoing)
        except Exception as exc:
            log.exception("sending delivery %s failed unexpectedly", outgoing.delivery_id)
            elapsed = int((time.monotonic() - started) * 1000)
            return Outcome(status_code=None, duration_ms=elapsed, error=f"internal: {exc!r}")

    return call
