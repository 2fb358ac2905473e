"""Periodic jobs that reach outside (`fairstead worker` runs them after domain.jobs.JOBS).

Same contract as domain.jobs: each takes a session and the current time, does one pass and
returns how many things it did; the worker commits. They live here because they need
integrations (HTTP connectors), which the domain may not import.
"""

from collections.abc import Callable
from datetime import datetime

import httpx
from sqlalchemy.orm import Session

from domain.activity.service import SYSTEM
from domain.households.models import Household
from domain.imports.connections import FILE_PROVIDER, claim, due_connections
from domain.settings import get_settings
from integrations.notify import deliver_reminders
from integrations.sync import log, sync_connection

Job = Callable[[Session, datetime], int]


def http_client() -> httpx.Client:
    """Tests replace this (monkeypatch) with a client on an `httpx.MockTransport`."""
    return httpx.Client(timeout=30.0, headers={"User-Agent": "Fairstead worker"})


def sync_due_connections(session: Session, now: datetime) -> int:
    """Sync every connection whose interval has come round. Each is claimed first (its next
    sync moved on), so two workers never sync one connection twice, and one that fails is
    retried at its next interval, not in a hot loop."""
    settings = get_settings()
    secret_key = settings.secret_key.get_secret_value() if settings.secret_key else None
    synced = 0
    for connection in due_connections(session, now=now):
        if connection.provider == FILE_PROVIDER or not claim(
            session, connection=connection, now=now
        ):
            continue
        household = session.get(Household, connection.household_id)
        assert household is not None
        try:
            with session.begin_nested(), http_client() as client:
                sync_connection(
                    session,
                    connection=connection,
                    household=household,
                    actor=SYSTEM,
                    client=client,
                    secret_key=secret_key,
                    now=now,
                )
        except Exception:
            log.exception("syncing connection %s failed", connection.id)
            continue
        synced += 1
    return synced


JOBS: dict[str, Job] = {
    "connection_sync": sync_due_connections,
    "reminder_notifications": deliver_reminders,
}
