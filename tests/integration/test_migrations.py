"""The one Alembic history: up, down and up again on SQLite and PostgreSQL, and no drift
between the migrations and the models."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool, text

import domain.models  # noqa: F401  (registers every table on the metadata)
from domain.db import metadata
from domain.hooks.signing_keys import unseal_secret
from domain.hooks.subscriptions import new_secret
from migrations.runner import MigrationRefused, downgrade, head_revisions, upgrade
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


KEY = "a-migration-test-key-of-some-length"
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


def _one_webhook(url: str, secret: str, previous: str | None) -> None:
    """A household with one webhook, written as a 0012 database holds it (in the clear)."""
    engine = create_engine(url, poolclass=pool.NullPool)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO households (id, name, currency, timezone, created_at, version) "
                "VALUES ('h1', 'Home', 'EUR', 'UTC', :now, 1)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO webhook_subscriptions (id, household_id, url, events, enabled, "
                "secret, previous_secret, fanout_after_id, created_at, version) VALUES "
                "('w1', 'h1', 'https://example.org/h', '[\"*\"]', true, :secret, :previous, "
                "'0', :now, 1)"
            ),
            {"secret": secret, "previous": previous, "now": now},
        )
    engine.dispose()


def _secrets(url: str) -> tuple[str, str | None]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT secret, previous_secret FROM webhook_subscriptions")
            ).one()
            return row.secret, row.previous_secret
    finally:
        engine.dispose()


@BACKENDS
def test_0013_encrypts_existing_webhook_secrets_and_refuses_without_a_key(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _url(backend, tmp_path)
    downgrade(url, "base")
    upgrade(url, "0012")
    secret, previous = new_secret(), new_secret()
    _one_webhook(url, secret, previous)

    monkeypatch.delenv("FAIRSTEAD_SECRET_KEY", raising=False)
    with pytest.raises(MigrationRefused, match="FAIRSTEAD_SECRET_KEY") as refused:
        upgrade(url, "0013_trust")
    assert "1 webhook(s)" in str(refused.value)
    assert _state(url)[1] == {"0012"} and _secrets(url) == (secret, previous)

    monkeypatch.setenv("FAIRSTEAD_SECRET_KEY", KEY)
    upgrade(url, "0013_trust")
    sealed = _secrets(url)
    assert secret not in sealed and previous not in sealed
    assert tuple(unseal_secret(s or "", secret_key=KEY) for s in sealed) == (secret, previous)

    downgrade(url, "0012")
    assert _secrets(url) == (secret, previous)
    downgrade(url, "base")
    upgrade(url)  # the PostgreSQL test database is shared: leave it at head for what follows
