"""Many rows into one table in one `executemany`, without SQLAlchemy's per-row work on SQLite.

SQLAlchemy's Core insert builds and type-processes a parameter dictionary per row through
its generic machinery; for an import of thousands of rows that costs as much as SQLite's
own insert. Here each column's bind processor (JSON, dates, UTC timestamps: the same ones
SQLAlchemy would apply) runs on plain tuples and the statement goes to the driver once.
PostgreSQL keeps SQLAlchemy's path, whose psycopg `executemany` is already batched.
"""

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Every row must name the same columns, including any that have a default."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        connection.execute(table.insert(), list(rows))
        return
    names = list(rows[0])
    missing = [c.name for c in table.columns if c.name not in names and c.default is not None]
    if missing:
        raise ValueError(f"rows for {table.name} leave out columns with defaults: {missing}")
    quote = dialect.identifier_preparer.quote
    processors = [table.c[name].type.bind_processor(dialect) for name in names]
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    typed = [(index, process) for index, process in enumerate(processors) if process is not None]
    # itemgetter of one name gives the value, not a 1-tuple.
    pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    values: list[tuple[Any, ...]] = []
    for row in rows:
        value = pick(row)
        if typed:
            value = list(value)
            for index, process in typed:
                value[index] = process(value[index])
            value = tuple(value)
        values.append(value)
    connection.exec_driver_sql(statement, values)
