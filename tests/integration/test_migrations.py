"""The one Alembic history: up, down and up again on SQLite and PostgreSQL, and no drift
between the migrations and the models."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool

import domain.models  # noqa: F401  (registers every table on the metadata)
from domain.db import metadata
from migrations.runner import downgrade, head_revisions, upgrade
from tests.conftest import POSTGRES_URL

FOUNDATION = {
    "api_tokens",
    "events",
    "households",
    "idempotency_records",
    "invitations",
    "members",
    "users",
}


BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"])


def _url(backend: str, tmp_path: Path) -> str:
    """A fresh SQLite file, or the PostgreSQL test database when there is one."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fairstead.db'}"
    if POSTGRES_URL is None:
        pytest.skip("FAIRSTEAD_TEST_DATABASE_URL is not set")
    return POSTGRES_URL


def _state(url: str) -> tuple[set[str], set[str]]:
    """The tables that exist and the revisions the database is at."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
            return tables, set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()


@BACKENDS
def test_upgrade_downgrade_upgrade_round_trips(tmp_path: Path, backend: str) -> None:
    url = _url(backend, tmp_path)
    at_head = (set(metadata().tables), head_revisions())
    assert at_head[0] >= FOUNDATION
    upgrade(url)
    assert _state(url) == at_head
    downgrade(url, "base")
    assert _state(url) == (set(), set())
    upgrade(url)
    assert _state(url) == at_head


@BACKENDS
def test_migrations_at_head_match_the_models(tmp_path: Path, backend: str) -> None:
    """Autogenerate, run against the migrated database, finds nothing to add or change."""
    url = _url(backend, tmp_path)
    upgrade(url)
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            differences = compare_metadata(context, metadata())
    finally:
        engine.dispose()
    assert differences == []
