"""A bank file in, an import run out: parse (integrations.files), then the import service.

The API's upload and the `fairstead import` command both come through here. A file that
cannot be read at all (empty, binary, unknown format) is refused with a 422 naming `file`
and leaves no run behind; a file with some bad rows is a run whose good rows landed.

With a `checkpoint` (a commit), nothing is held while the file is parsed and the rows are
booked in short transactions (see `domain.imports.pipeline`): on SQLite, other households'
writes go on during a long import.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from domain.activity.service import Actor
from domain.errors import InvalidInput
from domain.households.models import Household
from domain.imports.connections import FILE_PROVIDER, check_file_config
from domain.imports.models import FILE_SCOPE, Connection, ImportRun
from domain.imports.pipeline import Checkpoint, Progress, Source, import_batch
from domain.imports.records import Batch
from domain.imports.runs import finish_run, start_run
from integrations.files import detect_format, parse_file


@dataclass(frozen=True)
class FileOptions:
    """What the uploader said; anything left None comes from the connection's config."""

    format: str | None = None
    account: str | None = None
    currency: str | None = None
    qif_day_first: bool | None = None
    include_pending: bool | None = None


def read_file(
    data: bytes, *, filename: str | None, options: FileOptions, config: dict[str, Any]
) -> tuple[str, Batch]:
    if not data.strip():
        raise InvalidInput("the file is empty", field="file")
    mapping = check_file_config(config)

    def pick(name: str, default: Any) -> Any:
        given = getattr(options, name)
        return given if given is not None else config.get(name, default)

    format = pick("format", None) or detect_format(data, filename)
    currency = pick("currency", None)
    if format == "csv":
        if mapping is None:
            raise InvalidInput(
                "a CSV file needs a column mapping: upload it to a 'file' connection whose "
                "config has a csv_mapping",
                field="connection_id",
            )
        if mapping.currency is None and mapping.currency_column is None:
            mapping = replace(mapping, currency=currency)
    batch = parse_file(
        data,
        format=format,
        account=pick("account", None) or "default",
        currency=currency,
        csv_mapping=mapping,
        qif_day_first=pick("qif_day_first", False),
        include_pending=pick("include_pending", False),
    )
    return format, batch


def import_file(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    data: bytes,
    filename: str | None,
    options: FileOptions,
    connection: Connection | None,
    default_member: str | None,
    now: datetime,
    progress: Progress | None = None,
    on_parsed: Any = None,
    checkpoint: Checkpoint | None = None,
) -> ImportRun:
    """`default_member` pays for rows whose account no account map covers (the uploader)."""
    if connection is not None and connection.provider != FILE_PROVIDER:
        raise InvalidInput(
            f"connection {connection.id} syncs from {connection.provider}; upload files to a "
            f"'{FILE_PROVIDER}' connection, or to none",
            field="connection_id",
        )
    config = connection.config if connection is not None else {}
    if checkpoint is not None:
        checkpoint()  # parsing a big file takes seconds: not with the write lock held
    format, batch = read_file(data, filename=filename, options=options, config=config)
    if on_parsed is not None:
        on_parsed(len(batch.transactions))
    run = start_run(
        session,
        household_id=household.id,
        actor=actor,
        source="file",
        connection_id=connection.id if connection is not None else None,
        format=format,
        filename=filename,
        now=now,
    )
    source = Source(
        scope=connection.id if connection is not None else FILE_SCOPE,
        connection_id=connection.id if connection is not None else None,
        account_map=dict(connection.account_map) if connection is not None else {},
        member_map=dict(connection.member_map) if connection is not None else {},
        default_member=default_member,
        account_scoped_ids=True,
    )
    tally = import_batch(
        session,
        household=household,
        actor=actor,
        run=run,
        source=source,
        batch=batch,
        now=now,
        progress=progress,
        checkpoint=checkpoint,
    )
    return finish_run(session, run=run, actor=actor, tally=tally, now=now)
