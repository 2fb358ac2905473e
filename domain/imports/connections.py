"""Connections: where a household imports from, how its accounts and people map to members,
and when it syncs. Credentials are sealed before they reach the table and never leave it
except to the connector that needs them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import InvalidInput
from domain.households.members import household_members
from domain.imports.models import Connection, ImportRun
from domain.imports.pots.rules import pot_of
from domain.imports.records import CsvMapping
from domain.imports.rules import JOINT, POT_PREFIX
from domain.imports.runs import SUCCEEDED
from domain.imports.secrets import seal, unseal
from domain.ledger.pots.timeline import find_pot
from domain.money import is_known_currency
from domain.paging import newest_id_first
from domain.scoping import get_in_household

FILE_PROVIDER = "file"
FILE_CONFIG = {"csv_mapping", "qif_day_first", "include_pending", "currency", "account", "format"}


@dataclass(frozen=True)
class ConnectionInput:
    provider: str
    name: str | None = None
    credentials: dict[str, str] | None = None
    config: dict[str, Any] = field(default_factory=dict)
    account_map: dict[str, str] = field(default_factory=dict)
    member_map: dict[str, str] = field(default_factory=dict)
    sync_interval_minutes: int | None = None


def _check_maps(
    session: Session, household_id: str, account_map: dict[str, str], member_map: dict[str, str]
) -> None:
    members = household_members(session, household_id)
    for account, target in account_map.items():
        pot_id = pot_of(target)
        if pot_id is not None:
            if find_pot(session, household_id, pot_id) is None:
                raise InvalidInput(
                    f"account {account!r} maps to {target!r}, which is not a pot of this household",
                    field=f"account_map.{account}",
                )
        elif target != JOINT and target not in members:
            raise InvalidInput(
                f"account {account!r} maps to {target!r}: give a member id of this household, "
                f"'{JOINT}', or '{POT_PREFIX}<pot id>'",
                field=f"account_map.{account}",
            )
    for person, member_id in member_map.items():
        if member_id not in members:
            raise InvalidInput(
                f"{member_id!r} is not a member of this household", field=f"member_map.{person}"
            )


def check_file_config(config: dict[str, Any]) -> CsvMapping | None:
    """A file connection's saved reading options; the CSV mapping is checked whole here, so
    a bad one is refused when saved rather than on the next upload."""
    for key in config:
        if key not in FILE_CONFIG:
            raise InvalidInput(
                f"a file connection takes no config key {key!r}; it takes "
                f"{', '.join(sorted(FILE_CONFIG))}",
                field=f"config.{key}",
            )
    currency = config.get("currency")
    if currency is not None and not (isinstance(currency, str) and is_known_currency(currency)):
        raise InvalidInput(f"{currency!r} is not an ISO 4217 currency", field="config.currency")
    for flag in ("qif_day_first", "include_pending"):
        if not isinstance(config.get(flag, False), bool):
            raise InvalidInput(f"{flag} is true or false", field=f"config.{flag}")
    for text in ("account", "format"):
        if not isinstance(config.get(text, ""), str):
            raise InvalidInput(f"{text} is text", field=f"config.{text}")
    raw = config.get("csv_mapping")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InvalidInput("csv_mapping is an object", field="config.csv_mapping")
    try:
        return CsvMapping(**raw)
    except TypeError as exc:
        raise InvalidInput(f"csv_mapping: {exc}", field="config.csv_mapping") from exc


def _next_sync(interval: int | None, now: datetime) -> datetime | None:
    return now + timedelta(minutes=interval) if interval else None


def create_connection(
    session: Session,
    *,
    household_id: str,
    actor: Actor,
    data: ConnectionInput,
    secret_key: str | None,
    now: datetime,
) -> Connection:
    _check_maps(session, household_id, data.account_map, data.member_map)
    if data.provider == FILE_PROVIDER:
        check_file_config(data.config)
    connection = Connection(
        household_id=household_id,
        provider=data.provider,
        name=data.name,
        credentials=seal(data.credentials, secret_key=secret_key) if data.credentials else None,
        config=data.config,
        account_map=data.account_map,
        member_map=data.member_map,
        sync_interval_minutes=data.sync_interval_minutes,
        # A scheduled connection syncs at the worker's next round, then every interval.
        next_sync_at=now if data.sync_interval_minutes else None,
        created_by_member_id=actor.member_id,
        created_at=now,
    )
    session.add(connection)
    session.flush()
    _record(session, connection, actor, events.CONNECTION_CREATED, sorted(_public(data)))
    return connection


def _public(data: ConnectionInput) -> dict[str, Any]:
    return {k: v for k, v in data.__dict__.items() if k != "credentials" and v}


def update_connection(
    session: Session,
    *,
    connection: Connection,
    actor: Actor,
    changes: dict[str, Any],
    secret_key: str | None,
    now: datetime,
) -> Connection:
    """`changes` holds only the fields sent; `credentials` replaces all of them at once."""
    _check_maps(
        session,
        connection.household_id,
        changes.get("account_map", connection.account_map),
        changes.get("member_map", connection.member_map),
    )
    if connection.provider == FILE_PROVIDER and "config" in changes:
        check_file_config(changes["config"])
    for name, value in changes.items():
        if name == "credentials":
            connection.credentials = seal(value, secret_key=secret_key) if value else None
        else:
            setattr(connection, name, value)
    if "sync_interval_minutes" in changes:
        connection.next_sync_at = now if connection.sync_interval_minutes else None
    connection.version += 1
    connection.updated_at = now
    _record(session, connection, actor, events.CONNECTION_UPDATED, sorted(changes))
    return connection


def delete_connection(session: Session, *, connection: Connection, actor: Actor) -> None:
    """Runs and imported rows stay (they explain the ledger); they just lose the link."""
    _record(session, connection, actor, events.CONNECTION_DELETED, [])
    session.delete(connection)


def _record(
    session: Session,
    connection: Connection,
    actor: Actor,
    type: events.EventType,
    fields: list[str],
) -> None:
    record(
        session,
        household_id=connection.household_id,
        type=type,
        subject_id=connection.id,
        actor=actor,
        data={"provider": connection.provider, "fields": fields},
    )


def get_connection(session: Session, *, household_id: str, connection_id: str) -> Connection:
    return get_in_household(
        session, Connection, connection_id, household_id, what="connection", field="connection_id"
    )


def list_connections(
    session: Session, *, household_id: str, after: str | None, limit: int
) -> list[Connection]:
    query = select(Connection).where(Connection.household_id == household_id)
    return list(session.scalars(newest_id_first(query, Connection.id, after=after, limit=limit)))


def credentials_of(connection: Connection, *, secret_key: str | None) -> dict[str, str]:
    """Raises CredentialsUnreadable when the key changed since they were stored."""
    if connection.credentials is None:
        return {}
    return unseal(connection.credentials, secret_key=secret_key)


def due_connections(session: Session, *, now: datetime, limit: int = 20) -> list[Connection]:
    query = (
        select(Connection)
        .where(Connection.next_sync_at.is_not(None), Connection.next_sync_at <= now)
        .order_by(Connection.next_sync_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def claim(session: Session, *, connection: Connection, now: datetime) -> bool:
    """Move the connection's next sync on, only if nobody else did meanwhile: of two workers
    that both saw it due, one claims it and the other skips it."""
    moved = session.execute(
        update(Connection)
        .where(Connection.id == connection.id, Connection.next_sync_at == connection.next_sync_at)
        .values(next_sync_at=_next_sync(connection.sync_interval_minutes, now))
        .execution_options(synchronize_session=False)
    )
    claimed = bool(moved.rowcount)
    if claimed:
        session.refresh(connection)
    return claimed


def record_sync(session: Session, *, connection: Connection, run: ImportRun, now: datetime) -> None:
    """The cursor moves only when the run succeeded; a failed sync retries from the same place."""
    if run.status == SUCCEEDED:
        connection.cursor = run.cursor_after
    connection.last_synced_at = now
    if connection.sync_interval_minutes:
        connection.next_sync_at = _next_sync(connection.sync_interval_minutes, now)
    session.flush()
