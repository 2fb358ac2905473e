"""Import runs: started, counted, finished (succeeded or failed), listed."""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.imports.models import ImportRun
from domain.paging import newest_id_first
from domain.scoping import get_in_household

RUNNING, SUCCEEDED, FAILED = "running", "succeeded", "failed"
MAX_ERRORS = 1000  # per run; a file of 100,000 bad rows does not need 100,000 reasons stored


@dataclass
class Counts:
    """Every row read lands in exactly one other count, so they always add up to `read`."""

    read: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    duplicates: int = 0
    skipped: int = 0
    needs_review: int = 0
    failed: int = 0


@dataclass
class Tally:
    counts: Counts = field(default_factory=Counts)
    errors: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False

    def fail(self, reason: str, *, line: int | None, source_id: str | None) -> None:
        self.counts.failed += 1
        if len(self.errors) >= MAX_ERRORS:
            self.truncated = True
            return
        self.errors.append({"line": line, "reason": reason, "source_id": source_id})


def start_run(
    session: Session,
    *,
    household_id: str,
    actor: Actor,
    source: str,
    now: datetime,
    connection_id: str | None = None,
    format: str | None = None,
    filename: str | None = None,
    cursor: str | None = None,
) -> ImportRun:
    run = ImportRun(
        household_id=household_id,
        connection_id=connection_id,
        source=source,
        format=format,
        filename=filename[:255] if filename else None,
        status=RUNNING,
        counts=asdict(Counts()),
        cursor_before=cursor,
        created_by_member_id=actor.member_id,
        started_at=now,
    )
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    *,
    run: ImportRun,
    actor: Actor,
    tally: Tally,
    now: datetime,
    failure: str | None = None,
    cursor: str | None = None,
) -> ImportRun:
    """Close the run and record `import.finished` in the same transaction. A run whose
    every row failed has failed, though nothing went wrong but the rows."""
    read, failed = tally.counts.read, tally.counts.failed
    if failure is None and read and failed == read:
        failure = f"every row failed ({failed} of {read}): see the row errors"
    run.status = FAILED if failure is not None else SUCCEEDED
    run.reason = failure[:2000] if failure else None
    run.counts = asdict(tally.counts)
    run.errors = list(tally.errors)
    run.errors_truncated = tally.truncated
    run.cursor_after = cursor if failure is None else run.cursor_before
    run.finished_at = now
    record(
        session,
        household_id=run.household_id,
        type=events.IMPORT_FINISHED,
        subject_id=run.id,
        actor=actor,
        data={
            "status": run.status,
            "source": run.source,
            "connection_id": run.connection_id,
            "counts": run.counts,
            **({"reason": run.reason} if run.reason else {}),
        },
    )
    session.flush()
    return run


def get_run(session: Session, *, household_id: str, run_id: str) -> ImportRun:
    return get_in_household(session, ImportRun, run_id, household_id, what="import")


def list_runs(
    session: Session,
    *,
    household_id: str,
    connection_id: str | None,
    after: str | None,
    limit: int,
) -> list[ImportRun]:
    query = select(ImportRun).where(col(ImportRun.household_id) == household_id)
    if connection_id is not None:
        query = query.where(col(ImportRun.connection_id) == connection_id)
    query = newest_id_first(query, col(ImportRun.id), after=after, limit=limit)
    return list(session.scalars(query))
