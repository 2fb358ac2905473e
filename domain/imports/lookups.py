"""The import service's reads: what a batch's keys already are, what other sources hold
on its days, and the leaves of a split. Every query in chunks, never one per row."""

import json
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ARRAY, ColumnElement, Text, any_, bindparam, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.imports.models import IMPORTED_ROWS, ImportedRow
from domain.imports.records import ImportedTransaction, Kind
from domain.imports.rules import Outcome

CHUNK = 500
KEYS_CHUNK = 10_000  # keys per statement: one bound parameter, however many keys
_TABLE = IMPORTED_ROWS.c


class Known(NamedTuple):
    id: str
    content_hash: str
    outcome: str


class KnownKeys:
    """The batch's keys already stored, in three mappings of plain strings: a re-import
    holds one entry per row of the file, and strings give the garbage collector nothing to
    walk, where 20,000 tuples would have it sweep the whole heap more often."""

    def __init__(self) -> None:
        self.hashes: dict[str, str] = {}
        self._ids: dict[str, str] = {}
        self._outcomes: dict[str, str] = {}

    def add(self, key: str, row_id: str, content_hash: str, outcome: str) -> None:
        self.hashes[key] = content_hash
        self._ids[key] = row_id
        self._outcomes[key] = outcome

    def get(self, key: str) -> Known | None:
        digest = self.hashes.get(key)
        return None if digest is None else Known(self._ids[key], digest, self._outcomes[key])

    def __contains__(self, key: str) -> bool:
        return key in self.hashes


def known_keys(
    session: Session, household_id: str, scope: str, keys: list[str], days: Collection[date]
) -> KnownKeys:
    """The batch's keys already stored, as plain tuples. First the scope's rows on the
    batch's days (a run of index entries, where a file imported again finds every key),
    then the keys not among them one by one in the unique index (a row whose date changed
    at its source keeps its key; a new row is looked for and not found)."""
    wanted = set(keys)
    found = KnownKeys()
    connection = session.connection()
    ordered = sorted(days)
    columns = _TABLE.key, _TABLE.id, _TABLE.content_hash, _TABLE.outcome
    for start in range(0, len(ordered), CHUNK):
        query = select(*columns).where(
            _TABLE.household_id == household_id,
            _TABLE.date.in_(ordered[start : start + CHUNK]),
            _TABLE.scope == scope,
        )
        for key, row_id, digest, outcome in connection.execute(query).all():
            if key in wanted:
                found.add(key, row_id, digest, outcome)
    rest = [key for key in keys if key not in found]
    for start in range(0, len(rest), KEYS_CHUNK):
        query = select(*columns).where(
            _TABLE.household_id == household_id,
            _TABLE.scope == scope,
            _one_of(connection.dialect.name, _TABLE.key, rest[start : start + KEYS_CHUNK]),
        )
        for key, row_id, digest, outcome in connection.execute(query).all():
            found.add(key, row_id, digest, outcome)
    return found


def _one_of(dialect: str, column: ColumnElement[str], values: list[str]) -> ColumnElement[bool]:
    """`column IN values` with the values in one bound parameter: a PostgreSQL array, or
    on SQLite a JSON array read by `json_each` (an `IN` list is a parameter per value,
    and SQLite caps the number of parameters)."""
    if dialect == "postgresql":
        return column == any_(bindparam("values", values, type_=ARRAY(Text)))
    listed = func.json_each(bindparam("values", json.dumps(values))).table_valued("value")
    return column.in_(select(listed.c.value))


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
