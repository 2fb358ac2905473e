"""A connection's sync: fetch from the budgeting app, then the import service.

A source that fails as a whole (timeout, refused token, unreadable payload, credentials
that no longer decrypt) makes a `failed` run with the reason, and the connection's cursor
stays where it was, so the next sync asks for the same rows again.
"""

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.orm import Session

from domain.activity.service import Actor
from domain.households.models import Household
from domain.imports.connections import credentials_of, record_sync
from domain.imports.models import Connection, ImportRun
from domain.imports.pipeline import Source, import_batch
from domain.imports.records import Batch, SourceFailed
from domain.imports.runs import Tally, finish_run, start_run
from domain.imports.secrets import CredentialsUnreadable
from integrations.connectors import REQUIRED, build_connector

log = logging.getLogger("fairstead.imports")
STORED = "(stored)"


def check_connector(
    provider: str,
    *,
    credentials: Mapping[str, str] | None,
    config: Mapping[str, Any],
    stored_credentials: bool = False,
) -> None:
    """Refuse a connection its connector could not run with, before anything is saved.

    Building a connector makes no request. Credentials already stored are not decrypted for
    this: their keys were checked when they were saved, so placeholders stand in for them.
    """
    if credentials is None:
        wanted = REQUIRED.get(provider, ((), ()))[0]
        credentials = {key: STORED for key in wanted} if stored_credentials else {}
    with httpx.Client() as client:
        build_connector(provider, client, credentials=credentials, config=config)


def _fetch(
    connection: Connection, client: httpx.Client, cursor: str | None, secret_key: str | None
) -> Batch:
    credentials = credentials_of(connection, secret_key=secret_key)
    connector = build_connector(
        connection.provider, client, credentials=credentials, config=connection.config
    )
    return connector.fetch(cursor)


def sync_connection(
    session: Session,
    *,
    connection: Connection,
    household: Household,
    actor: Actor,
    client: httpx.Client,
    secret_key: str | None,
    now: datetime,
    full: bool = False,
) -> ImportRun:
    """Pull what is new since the stored cursor (everything, with `full`) into the ledger."""
    cursor = None if full else connection.cursor
    run = start_run(
        session,
        household_id=household.id,
        actor=actor,
        source="sync",
        connection_id=connection.id,
        format=connection.provider,
        cursor=cursor,
        now=now,
    )
    try:
        batch = _fetch(connection, client, cursor, secret_key)
    except (SourceFailed, CredentialsUnreadable) as exc:
        failure = exc.reason if isinstance(exc, SourceFailed) else str(exc)
    except Exception as exc:  # a connector bug must fail this run, not the worker round
        log.exception("the %s connector failed", connection.provider)
        failure = f"the {connection.provider} connector failed unexpectedly ({type(exc).__name__})"
    else:
        source = Source(
            scope=connection.id,
            connection_id=connection.id,
            account_map=dict(connection.account_map),
            member_map=dict(connection.member_map),
            account_scoped_ids=False,
        )
        tally = import_batch(
            session,
            household=household,
            actor=actor,
            run=run,
            source=source,
            batch=batch,
            now=now,
        )
        finish_run(session, run=run, actor=actor, tally=tally, now=now, cursor=batch.cursor)
        record_sync(session, connection=connection, run=run, now=now)
        return run
    finish_run(session, run=run, actor=actor, tally=Tally(), now=now, failure=failure)
    record_sync(session, connection=connection, run=run, now=now)
    return run
