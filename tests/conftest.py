"""Fixtures shared by the API, integration and contract suites.

Every test gets a database built by the migrations (never `create_all`): on SQLite a copy of
a template file migrated once per run; on PostgreSQL (FAIRSTEAD_TEST_DATABASE_URL) one
migrated database whose tables are emptied after each test.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import settings
from sqlalchemy import Engine, text

from domain.accounts import passwords
from domain.db import make_engine
from migrations.runner import downgrade, upgrade

POSTGRES_URL = os.environ.get("FAIRSTEAD_TEST_DATABASE_URL")

# No per-example deadline: a property holds or it does not, however busy the machine is. With
# Hypothesis' default (200 ms), a property test failed as "flaky" under the two suites running
# side by side; speed is measured in bench/, never asserted by a test.
settings.register_profile("fairstead", deadline=None)
settings.load_profile("fairstead")
TESTS = Path(__file__).resolve().parent
# Suites of their own (mk/sdk.mk, mk/docs.mk): they need npm or Chromium, which their make
# targets install. A plain `pytest` leaves them out; naming their folder runs them.
SEPARATE = (TESTS / "sdk", TESTS / "docs")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    for folder in SEPARATE:
        if collection_path == folder or folder in collection_path.parents:
            asked = [Path(arg.split("::")[0]).resolve() for arg in config.args]
            named = any(a == folder or folder in a.parents for a in asked)
            return None if named else True
    return None


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Still Argon2id, but with minimal cost: the production parameters take ~0.3 s a hash
    here, and nearly every test signs up and logs in a few users."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
        )
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "fairstead.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str | None:
    if POSTGRES_URL is None:
        return None
    downgrade(POSTGRES_URL, "base")
    upgrade(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if POSTGRES_URL is not None:
        url: str = request.getfixturevalue("postgres_migrated")
        return url
    path = tmp_path / "fairstead.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=20, busy_timeout_ms=5000)
    yield engine
    if POSTGRES_URL is not None:
        with engine.begin() as connection:
            tables = (
                connection.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename <> 'alembic_version'"
                    )
                )
                .scalars()
                .all()
            )
            if tables:
                connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
    engine.dispose()
