"""`fairstead import` as an operator runs it, in a child process."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.households.models import Household, Member
from domain.imports.models import ImportRule
from domain.ledger.models import Expense

ROOT = Path(__file__).resolve().parents[2]
QIF = b"!Type:Bank\nD2026-03-01\nT-3.20\nPCoffee\n^\nD2026-03-01\nT-3.20\nPCoffee\n^\n"


def fairstead(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAIRSTEAD_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def household(engine: Engine) -> tuple[str, str]:
    with Session(engine) as session:
        home = Household(name="Home", currency="EUR", timezone="Europe/Berlin")
        session.add(home)
        session.flush()
        member = Member(household_id=home.id, display_name="Sam", role="admin")
        session.add(member)
        session.flush()
        session.add(ImportRule(household_id=home.id, position=1, action="shared"))
        session.commit()
        return home.id, member.id


def test_import_books_a_file_once_as_a_system_import(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    home, member = household(engine)
    statement = tmp_path / "march.qif"
    statement.write_bytes(QIF)
    args = ("import", str(statement), "--household", home, "--currency", "EUR", "--member", member)
    first = fairstead(*args, database_url=database_url)
    assert first.returncode == 0, first.stderr
    assert "succeeded" in first.stdout
    again = fairstead(*args, database_url=database_url)
    assert again.returncode == 0, again.stderr
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Expense)) == 2
        finished = session.scalars(select(Event).where(Event.type == "import.finished")).all()
    assert [e.data["counts"]["created"] for e in finished] == [2, 0]
    assert all(e.actor_user_id is None and e.actor_member_id is None for e in finished)


def test_import_reports_a_bad_file_or_household_and_exits_1(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    home, _ = household(engine)
    empty = tmp_path / "empty.qif"
    empty.write_bytes(b"")
    result = fairstead("import", str(empty), "--household", home, database_url=database_url)
    assert result.returncode == 1
    assert "empty" in result.stderr and "Traceback" not in result.stderr
    missing = fairstead("import", str(empty), "--household", "nope", database_url=database_url)
    assert missing.returncode == 1 and "household" in missing.stderr


def test_an_import_whose_every_row_failed_exits_1_with_the_row_errors(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    home, member = household(engine)
    statement = tmp_path / "bad.qif"
    statement.write_bytes(QIF.replace(b"D2026-03-01", b"D2026-13-45"))
    args = ("import", str(statement), "--household", home, "--currency", "EUR", "--member", member)
    result = fairstead(*args, database_url=database_url)
    assert result.returncode == 1
    assert "failed" in result.stdout
    assert result.stdout.count("is not a date") == 2
