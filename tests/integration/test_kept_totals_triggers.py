"""The triggers that keep member totals, member day totals and household versions exist
at the newest revision. SQLite drops a table's triggers with the table, and Alembic's batch
mode rebuilds tables: a later migration that batch-alters one of their tables must create
them again (migrations 0015_member_totals and 0016_member_day_totals show how), or balances
silently stop moving."""

import importlib
from pathlib import Path

from sqlalchemy import create_engine, text

from migrations.runner import upgrade


def _expected() -> set[str]:
    totals = importlib.import_module("migrations.versions.0015_member_totals")
    days = importlib.import_module("migrations.versions.0016_member_day_totals")
    names = {
        f"trg_member_totals_{table}_{operation}"
        for table, _ in totals.SOURCES
        for operation in totals.OPS
    }
    return names | {days._name(table, operation) for table, operation, _, _ in days.TRIGGERS}


def test_every_kept_totals_trigger_exists_at_head_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fairstead.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        found = set(
            connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            .scalars()
            .all()
        )
    engine.dispose()
    assert _expected() - found == set()
