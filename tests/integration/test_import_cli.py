"""`fairstead import` as an operator runs it, in a child process."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.db import unit_of_work
from domain.households.models import Household, Member
from domain.imports.models import ImportedRow, ImportRule, ImportRun
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


def many_coffees(rows: int) -> bytes:
    lines = ["!Type:Bank"]
    for i in range(rows):
        amount = f"-{1 + i // 100}.{i % 100:02d}"  # one amount a row: no lookalikes
        lines += [f"D2026-03-{1 + i % 28:02d}", f"T{amount}", f"PCafe {i}", "^"]
    return ("\n".join(lines) + "\n").encode()


def count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_killed_import_keeps_its_booked_chunks_and_a_rerun_books_the_rest_once(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    home, member = household(engine)
    statement = tmp_path / "big.qif"
    statement.write_bytes(many_coffees(3000))
    args = ("import", str(statement), "--household", home, "--currency", "EUR", "--member", member)
    env = {**os.environ, "FAIRSTEAD_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "api.cli", *args]
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        # Booked rows are visible to another connection while the import still runs: the
        # rows are committed in chunks, and the write lock is free between them.
        while count(engine, ImportedRow) == 0:
            assert child.poll() is None, "the import ended before any chunk was seen"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    booked = count(engine, Expense)
    assert 0 < booked < 3000
    with Session(engine) as session:
        [run] = session.scalars(select(ImportRun)).all()
    assert run.status == "running"
    again = fairstead(*args, database_url=database_url)
    assert again.returncode == 0, again.stderr
    assert count(engine, Expense) == count(engine, ImportedRow) == 3000
    with Session(engine) as session:
        finished = session.scalars(select(ImportRun).where(ImportRun.status != "running")).one()
    assert finished.counts["created"] == 3000 - booked
    assert finished.counts["duplicates"] == booked


def test_another_writer_gets_the_sqlite_write_lock_between_an_imports_chunks(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """SQLite has one write lock: a long import commits in short chunks and leaves the lock
    free after each (at least `YIELD_SECONDS`, counting the rows it decides meanwhile), so
    another process's writes land while it runs instead of waiting for its end. Each write
    below waits at most its busy timeout (5 s) for the lock."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL writers take row locks, not one lock for the database")
    home, member = household(engine)
    statement = tmp_path / "big.qif"
    statement.write_bytes(many_coffees(8000))
    args = ("import", str(statement), "--household", home, "--currency", "EUR", "--member", member)
    env = {**os.environ, "FAIRSTEAD_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "api.cli", *args]
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    landed = 0
    try:
        deadline = time.monotonic() + 120
        while count(engine, ImportedRow) == 0:
            assert child.poll() is None, "the import ended before any chunk was seen"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        for attempt in range(3):
            with unit_of_work(engine) as session:  # BEGIN IMMEDIATE: the write lock
                session.get_one(Household, home).name = f"Home {attempt}"
            landed += child.poll() is None and count(engine, ImportedRow) < 8000
    finally:
        assert child.wait(timeout=120) == 0
    assert landed == 3, "the other writer only got the lock once the import ended"
    assert count(engine, Expense) == 8000
