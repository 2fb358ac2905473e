"""`fairstead import FILE --household ID`: a bank file into the ledger from the shell.

It is a system import: the activity feed shows no user or member as its author. Rows are
paid by `--member` unless a `--connection`'s account map says otherwise; without either,
rules that share a row send it to review instead (nobody is known to have paid it).
Rows are booked a few hundred per transaction, so the API goes on serving writes meanwhile;
if the command is stopped half way, running it again books the rest and nothing twice.
"""

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from domain.activity.service import SYSTEM
from domain.db import make_engine, unit_of_work, yielding_commit
from domain.errors import DomainError, NotFound
from domain.households.models import Household
from domain.households.service import get_member
from domain.imports.connections import get_connection
from domain.imports.models import ImportRun
from domain.imports.runs import SUCCEEDED
from domain.settings import get_settings
from integrations.file_import import FileOptions, import_file

SHOWN_ERRORS = 20


def run_import(
    path: Path,
    *,
    household_id: str,
    format: str | None = None,
    account: str | None = None,
    currency: str | None = None,
    connection_id: str | None = None,
    member_id: str | None = None,
) -> int:
    console = Console(stderr=True)
    try:
        data = path.read_bytes()
    except OSError as exc:
        console.print(f"[red]cannot read {path}: {exc.strerror}[/red]")
        return 1
    settings = get_settings()
    engine = make_engine(settings.database_url, pool_size=2)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console) as progress, unit_of_work(engine) as session:
            task = progress.add_task(f"Reading {path.name}", total=None)
            household = session.get(Household, household_id)
            if household is None:
                raise NotFound(f"no household {household_id}")
            if member_id is not None:
                get_member(session, household_id=household.id, member_id=member_id)
            connection = (
                get_connection(session, household_id=household.id, connection_id=connection_id)
                if connection_id
                else None
            )
            run = import_file(
                session,
                household=household,
                actor=SYSTEM,
                data=data,
                filename=path.name,
                options=FileOptions(format=format, account=account, currency=currency),
                connection=connection,
                default_member=member_id,
                now=datetime.now(UTC),
                on_parsed=lambda total: progress.update(
                    task, total=total, description=f"Importing {path.name}"
                ),
                progress=lambda done: progress.update(task, completed=done),
                checkpoint=yielding_commit(session),
            )
    except DomainError as exc:
        where = f" ({exc.field})" if exc.field else ""
        console.print(f"[red]error{where}: {exc.detail}[/red]")
        return 1
    finally:
        engine.dispose()
    _report(Console(), run)
    return 0 if run.status == SUCCEEDED else 1


def _report(console: Console, run: ImportRun) -> None:
    table = Table(title=f"Import {run.id} ({run.format}): {run.status}")
    for name in run.counts:
        table.add_column(name, justify="right")
    table.add_row(*(str(value) for value in run.counts.values()))
    console.print(table)
    for error in run.errors[:SHOWN_ERRORS]:
        console.print(f"line {error['line']}: {error['reason']}")
    hidden = run.counts.get("failed", 0) - min(len(run.errors), SHOWN_ERRORS)
    if hidden > 0:
        console.print(f"… and {hidden} more row errors (GET /imports/{run.id})")
