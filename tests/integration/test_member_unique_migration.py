"""0014_member_unique_user on a populated database: duplicate memberships are resolved
first (one row keeps the account, the others become managed members), then the unique
index refuses a second row for the same account and household."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.exc import IntegrityError

from migrations.runner import downgrade, upgrade
from tests.conftest import POSTGRES_URL

BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
NOW = "2026-12-01 10:00:00"


def _url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fairstead.db'}"
    if POSTGRES_URL is None:
        pytest.skip("FAIRSTEAD_TEST_DATABASE_URL is not set")
    downgrade(POSTGRES_URL, "base")
    return POSTGRES_URL


def _member(member_id: str, user_id: str | None, role: str) -> str:
    user = f"'{user_id}'" if user_id else "NULL"
    return (
        "INSERT INTO members (id, household_id, user_id, display_name, role, active, "
        f"income_visibility, created_at, version) VALUES ('{member_id}', 'h1', {user}, "
        f"'{member_id}', '{role}', true, 'private', '{NOW}', 1)"
    )


@BACKENDS
def test_duplicate_memberships_are_resolved_then_refused(tmp_path: Path, backend: str) -> None:
    url = _url(backend, tmp_path)
    upgrade(url, "0012")
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, display_name, created_at, "
                    f"version) VALUES ('u1', 'a@example.org', 'x', 'A', '{NOW}', 1)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO households (id, name, currency, timezone, created_at, version) "
                    f"VALUES ('h1', 'Home', 'EUR', 'Europe/Berlin', '{NOW}', 1)"
                )
            )
            for statement in (
                _member("m1", "u1", "member"),
                _member("m2", "u1", "admin"),
                _member("m3", "u1", "member"),
                _member("m4", None, "member"),
                _member("m5", None, "member"),
            ):
                connection.execute(text(statement))
        upgrade(url)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, user_id FROM members ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [
            ("m1", None),
            ("m2", "u1"),
            ("m3", None),
            ("m4", None),
            ("m5", None),
        ]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(_member("m6", "u1", "member")))
    finally:
        engine.dispose()
        if backend == "postgresql":
            downgrade(url, "base")
            upgrade(url)
