"""`fairstead verify`: a pot whose kept days or payers differ from a full replay of its history
is reported (exit 1) and `--repair` replays it from its start."""

from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, select, text

from domain.db import make_engine, unit_of_work
from domain.households.models import Household, Member
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from domain.ledger.pots.models import Pot, PotContribution
from migrations.runner import upgrade
from tests.integration.test_cli import fairstead

DAY = date(2026, 3, 1)


def _pot_ledger(database: Path) -> str:
    """Two members put 300 and 100 into a pot that paid 200, written past the services with
    the whole 200 on the first member (a replay gives 150 and 50) and no kept days."""
    url = f"sqlite:///{database}"
    upgrade(url)
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        session.add(Household(id="h1", name="Home", currency="EUR", timezone="UTC"))
        session.flush()
        for member_id in ("m1", "m2"):
            session.add(
                Member(id=member_id, household_id="h1", display_name=member_id, role="admin")
            )
        session.add(Pot(id="p1", household_id="h1", name="Joint", currency="EUR"))
        session.flush()
        for member_id, amount in (("m1", 300), ("m2", 100)):
            session.add(
                PotContribution(
                    household_id="h1", pot_id="p1", member_id=member_id, amount=amount,
                    household_amount=amount, original_amount=amount, original_currency="EUR",
                    date=DAY,
                )
            )  # fmt: skip
        session.add(
            Expense(
                id="e1", household_id="h1", description="Rent", amount=200, currency="EUR",
                original_amount=200, original_currency="EUR", date=DAY, split_method="equal",
                pot_id="p1", pot_amount=200,
            )
        )  # fmt: skip
        session.flush()
        session.add(ExpensePayer(expense_id="e1", member_id="m1", position=0, amount=200))
        session.add(ExpenseShare(expense_id="e1", member_id="m1", position=0, amount=100))
        session.add(ExpenseShare(expense_id="e1", member_id="m2", position=1, amount=100))
    engine.dispose()
    return url


def test_verify_reports_a_drifted_pot_and_repair_replays_it(tmp_path: Path) -> None:
    database = tmp_path / "fairstead.db"
    url = _pot_ledger(database)

    found = fairstead("verify", database=database)
    assert found.returncode == 1, found.stderr
    assert "pot p1\tday 2026-03-01: kept None" in found.stdout
    repaired = fairstead("verify", "--repair", database=database)
    assert repaired.returncode == 0, repaired.stderr
    checked = fairstead("verify", database=database)
    assert checked.returncode == 0, checked.stdout

    engine = create_engine(url)
    with engine.begin() as connection:
        payers = connection.execute(
            select(ExpensePayer.member_id, ExpensePayer.amount).order_by(ExpensePayer.position)
        ).all()
        assert [tuple(p) for p in payers] == [("m1", 150), ("m2", 50)]
        connection.execute(text("UPDATE expense_payers SET amount = 140 WHERE member_id = 'm1'"))
        connection.execute(text("UPDATE expense_payers SET amount = 60 WHERE member_id = 'm2'"))
    engine.dispose()
    drifted = fairstead("verify", database=database)
    assert drifted.returncode == 1
    assert "expense e1: payers kept [m1=140, m2=60], replayed [m1=150, m2=50]" in drifted.stdout
    assert fairstead("verify", "--repair", database=database).returncode == 0
    assert fairstead("verify", database=database).returncode == 0
