"""The import service's reads: what a batch's keys already are, what other sources hold
on its days, and the leaves of a split. Every query in chunks, never one per row."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.imports.models import ImportedRow
from domain.imports.records import ImportedTransaction, Kind
from domain.imports.rules import Outcome

CHUNK = 500


@dataclass(frozen=True)
class Known:
    id: str
    content_hash: str
    outcome: str


def known_keys(
    session: Session, household_id: str, scope: str, keys: list[str]
) -> dict[str, Known]:
    found: dict[str, Known] = {}
    table = ImportedRow
    for start in range(0, len(keys), CHUNK):
        query = select(
            col(table.key), col(table.id), col(table.content_hash), col(table.outcome)
        ).where(
            col(table.household_id) == household_id,
            col(table.scope) == scope,
            col(table.key).in_(keys[start : start + CHUNK]),
        )
        for key, row_id, digest, outcome in session.execute(query):
            found[key] = Known(row_id, digest, outcome)
    return found


class Other(NamedTuple):
    """A stored row on the same day with the same amount: maybe the same purchase."""

    id: str
    payee: str | None
    scope: str
    account: str


Lookalikes = dict[tuple[Any, int, str], list[Other]]


def lookalikes(
    session: Session, household_id: str, rows: Sequence[ImportedTransaction]
) -> Lookalikes:
    """The household's stored rows on the batch's days, by (date, amount, currency)."""
    days = sorted({r.date for r in rows if r.kind in (Kind.EXPENSE, Kind.INCOME)})
    out: Lookalikes = {}
    table = ImportedRow
    for start in range(0, len(days), CHUNK):
        query = select(
            col(table.id),
            col(table.date),
            col(table.amount),
            col(table.currency),
            col(table.payee),
            col(table.scope),
            col(table.account),
        ).where(
            col(table.household_id) == household_id,
            col(table.outcome) != Outcome.DELETED.value,
            col(table.date).in_(days[start : start + CHUNK]),
        )
        for row_id, day, amount, currency, payee, scope, account in session.execute(query):
            out.setdefault((day, amount, currency), []).append(Other(row_id, payee, scope, account))
    return out


def children(session: Session, household_id: str, scope: str, parent_id: str | None) -> list[str]:
    """The leaves of a split, for a deletion that names only the split."""
    if parent_id is None:
        return []
    query = select(col(ImportedRow.id)).where(
        col(ImportedRow.household_id) == household_id,
        col(ImportedRow.scope) == scope,
        col(ImportedRow.parent_id) == parent_id,
        # The two sides of a transfer share a parent id too; they are not a split.
        col(ImportedRow.kind) != Kind.TRANSFER.value,
        col(ImportedRow.outcome) != Outcome.DELETED.value,
    )
    return list(session.scalars(query))
