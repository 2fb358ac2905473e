"""`fairstead verify`: drift in the kept member totals is reported (exit 1) and repaired."""

from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

from domain.db import make_engine, unit_of_work
from domain.households.models import Household, Member
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from migrations.runner import upgrade
from tests.integration.test_cli import fairstead


def _ledger(database: Path) -> str:
    """A household whose one member paid and bears 500, written past the services."""
    url = f"sqlite:///{database}"
    upgrade(url)
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        session.add(Household(id="h1", name="Home", currency="EUR", timezone="UTC"))
        session.flush()
        session.add(Member(id="m1", household_id="h1", display_name="Sam", role="admin"))
        session.add(
            Expense(
                id="e1", household_id="h1", description="Tea", amount=500, currency="EUR",
                original_amount=500, original_currency="EUR", date=date(2026, 3, 1),
                split_method="equal",
            )
        )  # fmt: skip
        session.flush()
        session.add(ExpensePayer(expense_id="e1", member_id="m1", position=0, amount=500))
        session.add(ExpenseShare(expense_id="e1", member_id="m1", position=0, amount=500))
    engine.dispose()
    return url


def test_verify_reports_drift_then_repair_fixes_it(tmp_path: Path) -> None:
    database = tmp_path / "fairstead.db"
    url = _ledger(database)
    assert fairstead("verify", database=database).returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE member_totals SET owed = owed + 3"))
        connection.execute(text("UPDATE member_day_totals SET contributed = 7"))
    engine.dispose()

    found = fairstead("verify", database=database)
    assert found.returncode == 1, found.stderr
    assert "member m1" in found.stdout and "owed=503" in found.stdout and "owed=500" in found.stdout
    assert "day 2026-03-01\tkept contributed=7 owed=500" in found.stdout
    repaired = fairstead("verify", "--repair", database=database)
    assert repaired.returncode == 0, repaired.stderr
    assert "1 repaired" in repaired.stderr
    assert fairstead("verify", database=database).returncode == 0


def test_a_left_over_deferred_totals_row_is_drift_and_repair_removes_it(tmp_path: Path) -> None:
    """A row there idles the payer and share triggers (0020_deferred_totals); only an import's
    savepoint ever holds one, so one found committed is reported and repaired."""
    database = tmp_path / "fairstead.db"
    url = _ledger(database)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO deferred_totals (token) VALUES ('left')"))
    engine.dispose()
    found = fairstead("verify", database=database)
    assert found.returncode == 1, found.stderr
    assert "deferred_totals holds 1 row(s)" in found.stdout
    assert fairstead("verify", "--repair", database=database).returncode == 0
    assert fairstead("verify", database=database).returncode == 0
