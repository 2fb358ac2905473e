"""0019_pot_state on a database with pot history: each pot's kept days are backfilled from
a replay of its history, so the pot checks clean and the next change replays from its date."""

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from domain.db import make_engine, unit_of_work
from domain.households.models import Household, Member
from domain.ledger.models import Expense, ExpensePayer
from domain.ledger.pots import verify
from domain.ledger.pots.days import kept_days
from domain.ledger.pots.models import Pot, PotContribution
from migrations.runner import upgrade


def test_the_migration_backfills_each_pots_days(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fairstead.db'}"
    upgrade(url, "0017_reminders")
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        session.add(Household(id="h1", name="Home", currency="EUR", timezone="UTC"))
        session.flush()
        for member_id in ("m1", "m2"):
            session.add(Member(id=member_id, household_id="h1", display_name=member_id))
        session.add(Pot(id="p1", household_id="h1", name="Joint", currency="EUR"))
        session.flush()
        for member_id, amount, day in (("m1", 300, 1), ("m2", 100, 1), ("m2", 200, 3)):
            session.add(
                PotContribution(
                    household_id="h1", pot_id="p1", member_id=member_id, amount=amount,
                    household_amount=amount, original_amount=amount, original_currency="EUR",
                    date=date(2026, 3, day),
                )
            )  # fmt: skip
        session.add(
            Expense(
                id="e1", household_id="h1", description="Rent", amount=200, currency="EUR",
                original_amount=200, original_currency="EUR", date=date(2026, 3, 2),
                split_method="equal", pot_id="p1", pot_amount=200,
            )
        )  # fmt: skip
        session.flush()
        session.add(ExpensePayer(expense_id="e1", member_id="m1", position=0, amount=150))
        session.add(ExpensePayer(expense_id="e1", member_id="m2", position=1, amount=50))
    engine.dispose()

    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        stakes = [
            (day, state["members"], state["spent"]) for day, state in kept_days(session, "p1")
        ]
        assert stakes == [
            (date(2026, 3, 1), [["m1", 300, 300, 0], ["m2", 100, 100, 0]], 0),
            (date(2026, 3, 2), [["m1", 300, 150, 150], ["m2", 100, 50, 50]], 200),
            (date(2026, 3, 3), [["m1", 300, 150, 150], ["m2", 300, 250, 50]], 200),
        ]
        assert verify.pot_drift(session, session.get_one(Pot, "p1")) is None
    engine.dispose()
