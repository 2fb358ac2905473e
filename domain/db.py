"""Engines and sessions for SQLite (embedded default) and PostgreSQL.

SQLite gets WAL, foreign keys, a busy timeout and — for write sessions — transactions that
start with `BEGIN IMMEDIATE`. Python's sqlite3 driver otherwise begins lazily as a reader and
upgrades on the first write, so two concurrent read-modify-write requests both read the old
value and one update is lost without any error. Taking the write lock up front makes the
second request wait (busy timeout) and then read the committed value.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import Session

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_WRITE_OPTION = "fairstead_write"
# How long a long job (an import) leaves SQLite's write lock free after each commit. SQLite
# does not queue writers: a waiting one polls, ever more slowly (up to every 100 ms), and a
# job that commits and begins again at once would take the lock back before it looks.
YIELD_SECONDS = 0.025


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, *, pool_size: int = 40, busy_timeout_ms: int = 5000) -> Engine:
    # hide_parameters: SQL errors and debug logs show statements, never the values bound in
    # them (password and token hashes, webhook secrets, encrypted credentials).
    if not is_sqlite(url):
        return create_engine(
            url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True, hide_parameters=True
        )
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        hide_parameters=True,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below issue BEGIN instead of the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine and pool, but its transactions take the write lock up front."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def yielding_commit(session: Session) -> Callable[[], None]:
    """A commit for a long job's session, in the middle of its work: on SQLite the write
    lock then stays free for at least `YIELD_SECONDS`, so other writers get their turn.

    The pause is taken when the session next begins a transaction (and so would take the
    lock back), not at the commit: whatever the job does in between without the database
    (an import deciding and splitting its next rows) counts toward it, and only the rest
    of `YIELD_SECONDS` is slept."""
    if session.get_bind().dialect.name != "sqlite":
        return session.commit
    committed: list[float] = []

    def pause(_session: Session, transaction: Any) -> None:
        if committed and transaction.parent is None:
            free = time.monotonic() - committed.pop()
            if free < YIELD_SECONDS:
                time.sleep(YIELD_SECONDS - free)

    event.listen(session, "after_transaction_create", pause)

    def commit() -> None:
        session.commit()
        committed[:] = [time.monotonic()]

    return commit


@contextmanager
def unit_of_work(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A session that commits when the block ends without error and rolls back otherwise."""
    session = Session(writer(engine) if write else engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def metadata() -> MetaData:
    from sqlmodel import SQLModel

    return SQLModel.metadata
