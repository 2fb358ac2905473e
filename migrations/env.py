"""Alembic environment: one history for SQLite (batch mode) and PostgreSQL."""

from alembic import context
from sqlalchemy import create_engine, pool

import domain.models  # noqa: F401  (registers every table on the metadata)
from domain.db import is_sqlite, metadata

url = context.config.get_main_option("sqlalchemy.url") or ""


def run_offline() -> None:
    context.configure(
        url=url,
        target_metadata=metadata(),
        literal_binds=True,
        render_as_batch=is_sqlite(url),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        if is_sqlite(url):
            # Batch mode rebuilds tables; with foreign keys on, that would cascade deletes.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=metadata(),
            render_as_batch=is_sqlite(url),
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
