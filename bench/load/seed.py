"""The household `make bench` measures: four members and `years` of history up to today.

The accounts, household, members, agreement, recurring templates (rent, internet, weekly
groceries) and monthly settlements go through the API in-process, as a client would make
them; the first read materialises every recurring occurrence through the ledger service.
Of the other expenses the first `THROUGH_SERVICE` (mixed splits, one or two payers, a few
refunds) are written by `create_expense`; the rest are bulk copies of those rows (expense,
shares and payers exactly as the service wrote them, with a new id and date), because the
service path costs milliseconds an expense. Twelve daily chores get completions bulk
inserted as the completion service records them. The copies skip activity events, which
none of the measured endpoints read.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.app import create_app
from domain.activity.service import Actor
from domain.chores.models import Chore, ChoreOccurrence
from domain.db import make_engine, unit_of_work
from domain.households.models import Household
from domain.ids import new_id
from domain.ledger import expenses as ledger
from domain.ledger.expense_input import ExpenseInput
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from domain.ledger.splitting import Participant, SplitMethod
from domain.ledger.values import MemberAmount
from domain.settings import Settings
from domain.tables import utcnow

THROUGH_SERVICE = 400
CHUNK = 5_000
LOADS = ["execution", "execution", "planning", "conception"]


@dataclass(frozen=True)
class Seeded:
    token: str
    household_id: str
    members: list[str]
    expenses: int
    completions: int


def seed(url: str, *, expenses: int, years: int) -> Seeded:
    """Fill a migrated, empty database at `url`."""
    today = date.today()
    first = today - timedelta(days=365 * years)
    engine = make_engine(url, pool_size=4)
    settings = Settings(database_url=url, db_pool_size=4, deliver_in_process=False)
    try:
        with TestClient(create_app(settings, engine=engine)) as client:
            token, household_id, members = _household(client, first, today)
        rng = random.Random(7)
        _through_service(engine, rng, household_id, members, THROUGH_SERVICE, first, today)
        with Session(engine) as session:
            made = len(session.scalars(select(Expense.id)).all())
        _bulk_copies(engine, rng, household_id, max(0, expenses - made), first, today)
        completions = _completions(engine, rng, household_id, members, first, today)
        if engine.dialect.name == "postgresql":
            # As autovacuum would within a minute of such a load; without statistics the
            # planner scans whole tables for a page of shares. SQLite is left as Fairstead
            # runs it, without ANALYZE.
            with engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "ANALYZE"
                )
    finally:
        engine.dispose()
    return Seeded(token, household_id, members, max(expenses, made), completions)


def _household(client: TestClient, first: date, today: date) -> tuple[str, str, list[str]]:
    def call(method: str, path: str, body: dict[str, Any], expect: int = 201) -> Any:
        response = client.request(method, path, json=body, headers=headers)
        assert response.status_code == expect, response.text
        return response.json()

    headers: dict[str, str] = {}
    email = f"bench-{new_id()}@example.org"
    call("POST", "/v1/users", {"email": email, "password": "correct horse battery",
                               "display_name": "Sam"})  # fmt: skip
    token = call("POST", "/v1/tokens", {"email": email, "password": "correct horse battery",
                                        "name": "bench"})["token"]  # fmt: skip
    headers["Authorization"] = f"Bearer {token}"
    place = {"name": "Bench", "currency": "EUR", "timezone": "Europe/Berlin"}
    base = "/v1/households/" + call("POST", "/v1/households", place)["id"]
    # Agreed while Sam is alone, so it applies at once; then three managed members join.
    agreement = {
        "weights": {"load": {"planning": 1.25, "conception": 1.5}},
        "hour_value": {"amount": 1500, "currency": "EUR"},
    }
    call("PUT", f"{base}/agreement", agreement, 200)
    members = [call("GET", f"{base}/members", {}, 200)["data"][0]["id"]]
    members += [call("POST", f"{base}/members", {"display_name": n})["id"]
                for n in ("Alex", "Robin", "Kim")]  # fmt: skip
    for description, amount, rrule in (
        ("Rent", 180_000, "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("Internet", 4_999, "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("Groceries", 14_000, "FREQ=WEEKLY;BYDAY=SA"),
    ):
        call("POST", f"{base}/recurring-expenses", {
            "description": description, "amount": amount, "currency": "EUR",
            "paid_by": members[len(description) % 4], "rrule": rrule,
            "starts_on": first.isoformat(),
        })  # fmt: skip
    call("GET", f"{base}/balances", {}, 200)  # materialises the occurrences
    day = first
    while day < today:
        call("POST", f"{base}/settlements", {
            "from_member_id": members[1], "to_member_id": members[0], "amount": 25_000,
            "currency": "EUR", "date": day.isoformat(),
        })  # fmt: skip
        day += timedelta(days=30)
    return token, base.rsplit("/", 1)[1], members


def _random_input(
    rng: random.Random, members: list[str], first: date, today: date
) -> ExpenseInput:
    amount = rng.choice([rng.randint(100, 20_000), 6_000, 1_250]) * (
        -1 if rng.random() < 0.05 else 1
    )
    method = rng.choice([SplitMethod.AGREEMENT] * 3 + [SplitMethod.EQUAL, SplitMethod.SHARES,
                                                       SplitMethod.EXACT])  # fmt: skip
    chosen = rng.sample(members, rng.randint(2, len(members)))
    participants: list[Participant] = []
    if method is SplitMethod.EQUAL:
        participants = [Participant(m) for m in chosen]
    elif method is SplitMethod.SHARES:
        participants = [Participant(m, shares=rng.randint(1, 3)) for m in chosen]
    elif method is SplitMethod.EXACT:
        parts = _cuts(rng, abs(amount), len(chosen))
        participants = [Participant(m, amount=p if amount > 0 else -p)
                        for m, p in zip(chosen, parts, strict=True)]  # fmt: skip
    payers = rng.sample(members, 2) if rng.random() < 0.15 else [rng.choice(members)]
    several = None
    if len(payers) == 2:
        cuts = _cuts(rng, abs(amount), 2)
        several = [MemberAmount(m, c if amount > 0 else -c)
                   for m, c in zip(payers, cuts, strict=True)]  # fmt: skip
    return ExpenseInput(
        description=rng.choice(["Supermarket", "Pharmacy", "Dinner out", "Hardware store"]),
        amount=amount,
        currency="EUR",
        date=first + timedelta(days=rng.randint(0, (today - first).days)),
        paid_by=payers[0] if several is None else None,
        payers=several,
        split_method=method,
        participants=participants,
        category=rng.choice([None, "food", "home", "health", "going out"]),
    )


def _cuts(rng: random.Random, total: int, parts: int) -> list[int]:
    """`parts` positive integers summing to `total` (at least `parts`)."""
    total = max(total, parts)
    points = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in pairwise([0, *points, total])]


def _through_service(
    engine: Engine,
    rng: random.Random,
    household_id: str,
    members: list[str],
    n: int,
    first: date,
    today: date,
) -> None:
    actor = Actor(user_id=None, member_id=members[0])
    with unit_of_work(engine) as session:
        household = session.get_one(Household, household_id)
        for _ in range(n):
            data = _random_input(rng, members, first, today)
            ledger.create_expense(session, household=household, actor=actor, data=data)


def _bulk_copies(
    engine: Engine, rng: random.Random, household_id: str, n: int, first: date, today: date
) -> None:
    with Session(engine) as session:
        templates = session.scalars(
            select(Expense).where(
                Expense.household_id == household_id, Expense.recurring_id.is_(None)
            )
        ).all()
        shares, payers = ledger.parts_of(session, [t.id for t in templates])
        columns = [c.name for c in Expense.__table__.columns]
        originals = [{c: getattr(t, c) for c in columns} for t in templates]
    span = (today - first).days
    for start in range(0, n, CHUNK):
        expense_rows: list[dict[str, Any]] = []
        part_rows: dict[Any, list[dict[str, Any]]] = {ExpenseShare: [], ExpensePayer: []}
        for index in range(start, min(n, start + CHUNK)):
            original = originals[index % len(originals)]
            copy_id = new_id()
            day = first + timedelta(days=rng.randint(0, span))
            expense_rows.append(original | {"id": copy_id, "date": day, "created_at": utcnow()})
            for table, parts in ((ExpenseShare, shares), (ExpensePayer, payers)):
                part_rows[table].extend(
                    {"expense_id": copy_id, "member_id": p.member_id, "position": i,
                     "amount": p.amount}
                    for i, p in enumerate(parts[original["id"]])
                )  # fmt: skip
        with unit_of_work(engine) as session:
            session.execute(Expense.__table__.insert(), expense_rows)
            for table, rows in part_rows.items():
                session.execute(table.__table__.insert(), rows)


def _completions(
    engine: Engine,
    rng: random.Random,
    household_id: str,
    members: list[str],
    first: date,
    today: date,
) -> int:
    """Twelve daily chores, each done on about half the days, mostly by the first members."""
    chores = [
        Chore(household_id=household_id, name=f"Chore {i}",
              estimated_minutes=rng.choice([10, 15, 20, 30, 45, 60]), effort=rng.randint(1, 5),
              load=LOADS[i % len(LOADS)], recurrence="FREQ=DAILY", starts_on=first,
              strategy="round_robin")
        for i in range(12)
    ]  # fmt: skip
    with unit_of_work(engine) as session:
        session.add_all(chores)
    done = [
        (chore, first + timedelta(days=d))
        for chore in chores
        for d in range((today - first).days)
        if rng.random() < 0.5
    ]
    for start in range(0, len(done), CHUNK):
        rows = []
        for chore, day in done[start : start + CHUNK]:
            member = rng.choices(members, weights=[4, 3, 2, 1])[0]
            at = datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
            rows.append({
                "id": new_id(), "household_id": household_id, "chore_id": chore.id,
                "due_on": day, "status": "done", "assigned_member_id": member,
                "completed_by_member_id": member, "completed_at": at, "completed_on": day,
                "minutes": chore.estimated_minutes + rng.randint(-5, 5), "effort": chore.effort,
                "load": chore.load, "created_at": at, "version": 2,
            })  # fmt: skip
        with unit_of_work(engine) as session:
            session.execute(ChoreOccurrence.__table__.insert(), rows)
    return len(done)
