"""Expenses: validated against the household, converted, split, stored with their shares."""

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session, object_session
from sqlmodel import SQLModel

from domain.activity import events
from domain.activity.service import Actor, event_row, insert_events, record
from domain.agreement.versions import Version, money_split_weights, versions
from domain.bulk import insert_rows
from domain.households.members import check_members, household_members
from domain.households.models import Household, Member
from domain.ids import new_id
from domain.ledger.conversion import Converted, to_household_currency
from domain.ledger.expense_input import (
    ExpenseInput,
    participant_json,
    payment_json,
)
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from domain.ledger.pots.models import Pot
from domain.ledger.pots.timeline import lock_pots, paying_pot, pot_amount, reallocate
from domain.ledger.splitting import SplitMethod, resolve_payers, split_expense
from domain.ledger.totals import Part, insert_deferred
from domain.ledger.values import MemberAmount
from domain.money import allocate
from domain.paging import newest_first
from domain.scoping import get_in_household
from domain.tables import utcnow

# The API's bound on any amount; a converted amount is held to it too.


def money_weights(
    members: dict[str, Member],
    *,
    on: date | None = None,
    history: Sequence[Version] | None = None,
) -> dict[str, int | Fraction]:
    """The `agreement` split's weights among active members: the household's money
    agreement in force on `on` (the latest one when None), from `history` when given."""
    active = [m for m in members.values() if m.active]
    session = object_session(active[0]) if active else None
    if session is None:
        return {m.id: 1 for m in active}
    weights = money_split_weights(session, active[0].household_id, active, on, history=history)
    return {member_id: weight for member_id, weight in weights.items()}


Weights = dict[str, int | Fraction]


def _compute(
    session: Session,
    household: Household,
    data: ExpenseInput,
    *,
    current_pot: str | None = None,
    members: dict[str, Member] | None = None,
    weights_on: Callable[[date], Weights] | None = None,
) -> tuple[Converted, list[MemberAmount], list[MemberAmount]]:
    """`members` and `weights_on` (the agreement's weights on a day) let a writer of many
    expenses (`ExpenseRows`) read them once instead of once an expense."""
    # The pots it leaves and joins are locked before the expense's rows refer to them.
    lock_pots(session, [current_pot, data.paid_by_pot])
    if members is None:
        members = household_members(session, household.id)
    pot = paying_pot(
        session,
        household=household,
        pot_id=data.paid_by_pot,
        other_payers=data.paid_by is not None or data.payers is not None,
        current_pot=current_pot,
    )
    if data.paid_by is not None:
        check_members(members, [data.paid_by], "paid_by", key="")
    if data.payers is not None:
        check_members(members, [p.member_id for p in data.payers], "payers")
    check_members(members, [p.member_id for p in data.participants], "split.participants")
    converted = to_household_currency(
        session,
        household=household,
        amount=data.amount,
        currency=data.currency,
        rate=data.exchange_rate,
        on=data.date,
    )
    if pot is not None:
        # The pot's replay (pots.timeline.reallocate) decides who paid, once it is written.
        in_pot = pot_amount(household, pot, data.currency, data.amount, converted.amount)
        converted = Converted(converted.amount, converted.rate, pot, in_pot)
        payers: list[MemberAmount] = []
    else:
        payers_original = resolve_payers(
            amount=data.amount,
            paid_by=data.paid_by,
            payers=list(data.payers) if data.payers is not None else None,
        )
        # Payers are converted as a split of the converted total, so they still sum exactly.
        payers = _rescale(payers_original, data.amount, converted.amount)
    if data.split_method is SplitMethod.EXACT and converted.amount != data.amount:
        shares = _rescale(
            split_expense(
                amount=data.amount, method=data.split_method, participants=data.participants
            ),
            data.amount,
            converted.amount,
        )
    else:
        shares = split_expense(
            amount=converted.amount,
            method=data.split_method,
            participants=data.participants,
            agreement_weights=(
                weights_on(data.date) if weights_on else money_weights(members, on=data.date)
            ),
        )
    return converted, payers, shares


def _rescale(parts: list[MemberAmount], total: int, new_total: int) -> list[MemberAmount]:
    if total == new_total:
        return parts
    amounts = allocate(new_total, [abs(p.amount) for p in parts])
    return [MemberAmount(p.member_id, a) for p, a in zip(parts, amounts, strict=True)]


def _write(
    session: Session,
    expense: Expense,
    data: ExpenseInput,
    computed: tuple[Converted, list[MemberAmount], list[MemberAmount]],
) -> None:
    converted, payers, shares = computed
    previous_pot, previous_date = expense.pot_id, expense.date
    expense.pot_id = converted.pot.id if converted.pot is not None else None
    expense.pot_amount = converted.pot_amount
    expense.description = data.description
    expense.amount = converted.amount
    expense.original_amount = data.amount
    expense.original_currency = data.currency
    expense.exchange_rate = str(converted.rate) if converted.rate is not None else None
    expense.date = data.date
    expense.category = data.category
    expense.notes = data.notes
    expense.split_method = data.split_method.value
    expense.split_participants = [participant_json(p) for p in data.participants]
    expense.payment = payment_json(data)
    session.add(expense)
    session.flush()
    session.execute(delete(ExpenseShare).where(ExpenseShare.expense_id == expense.id))
    session.execute(delete(ExpensePayer).where(ExpensePayer.expense_id == expense.id))
    session.add_all(
        ExpenseShare(expense_id=expense.id, member_id=s.member_id, position=i, amount=s.amount)
        for i, s in enumerate(shares)
    )
    session.add_all(
        ExpensePayer(expense_id=expense.id, member_id=p.member_id, position=i, amount=p.amount)
        for i, p in enumerate(payers)
    )
    session.flush()
    # Replayed from the earliest day the expense was or is on (a new one: its own day).
    if previous_pot is not None and previous_pot != expense.pot_id:
        reallocate(session, session.get_one(Pot, previous_pot), since=previous_date)
    if converted.pot is not None:
        since = min(previous_date, data.date) if previous_pot == expense.pot_id else data.date
        reallocate(session, converted.pot, since=since)


def validate(session: Session, *, household: Household, data: ExpenseInput) -> None:
    """Everything create_expense would reject, without writing (recurring templates)."""
    _compute(session, household, data)


def create_expense(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    data: ExpenseInput,
    recurring_id: str | None = None,
    occurrence_date: date | None = None,
) -> Expense:
    computed = _compute(session, household, data)
    expense = Expense(
        household_id=household.id,
        currency=household.currency,
        created_by_member_id=actor.member_id,
        recurring_id=recurring_id,
        occurrence_date=occurrence_date,
        description="",
        amount=0,
        original_amount=0,
        original_currency=data.currency,
        date=data.date,
        split_method=data.split_method.value,
    )
    _write(session, expense, data, computed)
    record(
        session,
        household_id=household.id,
        type=events.EXPENSE_CREATED,
        subject_id=expense.id,
        actor=actor,
        data={
            "description": expense.description,
            "amount": expense.amount,
            "currency": expense.currency,
        },
    )
    return expense


@dataclass
class ExpenseRows:
    """One new expense as plain rows: the expense, its payers and shares, its event."""

    expense: dict[str, Any]
    payers: list[dict[str, Any]]
    shares: list[dict[str, Any]]
    event: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.expense["id"])


@dataclass
class ExpenseWriter:
    """Creates many expenses not paid from a pot (imports), validated, converted and split
    exactly as `create_expense` does, but as rows inserted a chunk at a time: the members
    and the agreement's weights are read once (per day for the weights), and no ORM object
    is made. The ledger triggers keep the member and daily totals and the household version
    as for any other write."""

    session: Session
    household: Household
    actor: Actor
    _members: dict[str, Member] | None = None
    _history: list[Version] | None = None
    _weights: dict[date, Weights] = field(default_factory=dict)

    def rows(self, data: ExpenseInput) -> ExpenseRows:
        """Raises the DomainError `create_expense` would, writing nothing."""
        if data.paid_by_pot is not None:
            raise ValueError("an expense paid from a pot is made with create_expense")
        if self._members is None:
            # Read once, with the agreement's versions: deciding the rows of later chunks
            # then reads nothing, so it runs with SQLite's write lock free.
            self._members = household_members(self.session, self.household.id)
            self._history = versions(self.session, self.household.id)
        converted, payers, shares = _compute(
            self.session,
            self.household,
            data,
            members=self._members,
            weights_on=self._weights_on,
        )
        expense_id = new_id()
        description = data.description
        expense = {
            "id": expense_id,
            "household_id": self.household.id,
            "description": description,
            "amount": converted.amount,
            "currency": self.household.currency,
            "original_amount": data.amount,
            "original_currency": data.currency,
            "exchange_rate": str(converted.rate) if converted.rate is not None else None,
            "date": data.date,
            "category": data.category,
            "notes": data.notes,
            "split_method": data.split_method.value,
            "split_participants": [participant_json(p) for p in data.participants],
            "payment": payment_json(data),
            "recurring_id": None,
            "occurrence_date": None,
            "created_by_member_id": self.actor.member_id,
            "created_at": utcnow(),
            "updated_at": None,
            "version": 1,
            "pot_id": None,
            "pot_amount": None,
        }
        event = event_row(
            household_id=self.household.id,
            type=events.EXPENSE_CREATED,
            subject_id=expense_id,
            actor=self.actor,
            data={
                "description": description,
                "amount": converted.amount,
                "currency": self.household.currency,
            },
        )
        return ExpenseRows(
            expense=expense,
            payers=[
                {
                    "expense_id": expense_id,
                    "member_id": p.member_id,
                    "position": i,
                    "amount": p.amount,
                }
                for i, p in enumerate(payers)
            ],
            shares=[
                {
                    "expense_id": expense_id,
                    "member_id": s.member_id,
                    "position": i,
                    "amount": s.amount,
                }
                for i, s in enumerate(shares)
            ],
            event=event,
        )

    def _weights_on(self, on: date) -> Weights:
        if on not in self._weights:
            assert self._members is not None
            self._weights[on] = _whole(money_weights(self._members, on=on, history=self._history))
        return self._weights[on]


def _whole(weights: Weights) -> Weights:
    """The same proportions in integers (`allocate` splits them exactly alike, faster)."""
    scale = math.lcm(*(Fraction(w).denominator for w in weights.values())) if weights else 1
    return {member_id: int(Fraction(w) * scale) for member_id, w in weights.items()}


# The Core tables (SQLModel does not declare `__table__`): plain executemany, no ORM bulk path.
_EXPENSES: Table = SQLModel.metadata.tables[Expense.__tablename__]
_PAYERS: Table = SQLModel.metadata.tables[ExpensePayer.__tablename__]
_SHARES: Table = SQLModel.metadata.tables[ExpenseShare.__tablename__]


def insert_expenses(session: Session, batch: Sequence[ExpenseRows]) -> None:
    """`ExpenseWriter`'s rows, one executemany per table."""
    if not batch:
        return
    insert_rows(session, _EXPENSES, [rows.expense for rows in batch])
    payers = [payer for rows in batch for payer in rows.payers]
    shares = [share for rows in batch for share in rows.shares]

    def insert() -> None:
        insert_rows(session, _PAYERS, payers)
        insert_rows(session, _SHARES, shares)

    if session.connection().dialect.name == "sqlite":
        # The kept totals of the whole batch in a few statements, not by the row triggers.
        insert_deferred(session, insert, _parts(batch))
    else:
        insert()
    insert_events(session, [rows.event for rows in batch])


def _parts(batch: Sequence[ExpenseRows]) -> Iterator[Part]:
    for rows in batch:
        expense = rows.expense
        household_id, day = expense["household_id"], expense["date"]
        from_pot = expense["pot_id"] is not None
        for payer in rows.payers:
            yield Part(household_id, payer["member_id"], day, payer["amount"], True, from_pot)
        for share in rows.shares:
            yield Part(household_id, share["member_id"], day, share["amount"], False, from_pot)


def update_expense(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    expense: Expense,
    data: ExpenseInput,
    now: datetime,
) -> Expense:
    computed = _compute(session, household, data, current_pot=expense.pot_id)
    _write(session, expense, data, computed)
    expense.version += 1
    expense.updated_at = now
    record(
        session,
        household_id=household.id,
        type=events.EXPENSE_UPDATED,
        subject_id=expense.id,
        actor=actor,
        data={
            "description": expense.description,
            "amount": expense.amount,
            "currency": expense.currency,
        },
    )
    return expense


def delete_expense(session: Session, *, actor: Actor, expense: Expense) -> None:
    record(
        session,
        household_id=expense.household_id,
        type=events.EXPENSE_DELETED,
        subject_id=expense.id,
        actor=actor,
        data={"description": expense.description, "amount": expense.amount},
    )
    lock_pots(session, [expense.pot_id])
    pot = session.get(Pot, expense.pot_id) if expense.pot_id is not None else None
    day = expense.date
    session.delete(expense)
    if pot is not None:
        session.flush()
        reallocate(session, pot, since=day)


def get_expense(session: Session, *, household_id: str, expense_id: str) -> Expense:
    return get_in_household(session, Expense, expense_id, household_id, what="expense")


def list_expenses(
    session: Session,
    *,
    household_id: str,
    date_from: date | None,
    date_to: date | None,
    paid_by: str | None,
    category: str | None,
    after: tuple[date, str] | None,
    limit: int,
) -> list[Expense]:
    """Newest first by date, then by creation; the cursor is the last (date, id) seen."""
    query = _listing(
        select(Expense), household_id, date_from, date_to, paid_by, category, after, limit
    )
    return list(session.scalars(query))


# What an expense page shows of each expense (`listed_expenses`).
LISTED = (
    Expense.id,
    Expense.description,
    Expense.amount,
    Expense.currency,
    Expense.original_amount,
    Expense.original_currency,
    Expense.exchange_rate,
    Expense.date,
    Expense.pot_id,
    Expense.split_method,
    Expense.split_participants,
    Expense.category,
    Expense.notes,
    Expense.recurring_id,
    Expense.created_at,
    Expense.updated_at,
)


def listed_expenses(
    session: Session,
    *,
    household_id: str,
    date_from: date | None,
    date_to: date | None,
    paid_by: str | None,
    category: str | None,
    after: tuple[date, str] | None,
    limit: int,
) -> list[Any]:
    """`list_expenses` as plain rows of the `LISTED` columns (attribute access by column
    name): what a page renders, without building and identity-mapping an ORM object for
    each expense."""
    query = _listing(
        select(*LISTED), household_id, date_from, date_to, paid_by, category, after, limit
    )
    return list(session.execute(query))


def _listing(
    query: Any,
    household_id: str,
    date_from: date | None,
    date_to: date | None,
    paid_by: str | None,
    category: str | None,
    after: tuple[date, str] | None,
    limit: int,
) -> Any:
    query = query.where(Expense.household_id == household_id)
    if date_from is not None:
        query = query.where(Expense.date >= date_from)
    if date_to is not None:
        query = query.where(Expense.date <= date_to)
    if category is not None:
        query = query.where(Expense.category == category)
    if paid_by is not None:
        query = query.where(
            Expense.id.in_(select(ExpensePayer.expense_id).where(ExpensePayer.member_id == paid_by))
        )
    return newest_first(query, Expense.date, Expense.id, after=after, limit=limit)


def parts_of(
    session: Session, expense_ids: Sequence[str]
) -> tuple[dict[str, list[MemberAmount]], dict[str, list[MemberAmount]]]:
    """Shares and payers of many expenses in two queries, in their stored order."""
    shares: dict[str, list[MemberAmount]] = {i: [] for i in expense_ids}
    payers: dict[str, list[MemberAmount]] = {i: [] for i in expense_ids}
    if not expense_ids:
        return shares, payers
    for table, target in ((ExpenseShare, shares), (ExpensePayer, payers)):
        # Plain rows, not ORM objects: a page of 50 expenses has some 250 of them, and
        # building and identity-mapping an object for each cost more than the query.
        rows = session.execute(
            select(table.expense_id, table.member_id, table.amount)
            .where(table.expense_id.in_(expense_ids))
            .order_by(table.expense_id, table.position)
        )
        for expense_id, member_id, amount in rows:
            target[expense_id].append(MemberAmount(member_id, amount))
    return shares, payers
