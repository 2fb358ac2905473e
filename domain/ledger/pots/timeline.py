"""A pot's timeline in the database: loaded, replayed, and its expenses' payers rewritten.

A back-dated entry changes the stakes every later expense was paid from, so a change dated D
replays the pot's entries from D on, starting from the state kept for the day before
(days.py): one more bill at the end of a long history replays its own day alone. The replay
raises Conflict before anything is committed when the pot cannot carry the new history, so
a rejected change leaves the ledger as it was.
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.errors import Conflict, InvalidInput
from domain.households.models import Household
from domain.ledger.models import Expense, ExpensePayer
from domain.ledger.pots import days
from domain.ledger.pots.models import Pot, PotContribution
from domain.ledger.pots.replay import Contribution, Entry, PotState, Spending, replay_days
from domain.ledger.values import MemberAmount
from domain.money import allocate

# An expense of the pot as the replay needs it: (household amount, pot amount).
Amounts = tuple[int, int]
Dated = tuple[date, Entry]


def timeline(
    session: Session, pot: Pot, since: date | None = None
) -> tuple[list[Dated], dict[str, Amounts]]:
    """The pot's entries dated `since` or later (all when None) in replay order: by date,
    a day's contributions before its expenses, then in the order they were recorded.
    Plain columns, not ORM objects."""
    keyed: list[tuple[tuple[object, ...], Dated]] = []
    contributions = select(
        col(PotContribution.date),
        col(PotContribution.created_at),
        col(PotContribution.id),
        col(PotContribution.member_id),
        col(PotContribution.amount),
    ).where(col(PotContribution.pot_id) == pot.id)
    if since is not None:
        contributions = contributions.where(col(PotContribution.date) >= since)
    for day, created_at, row_id, member_id, amount in session.execute(contributions):
        kind = "withdrawal" if amount < 0 else "contribution"
        label = f"the {kind} of {day.isoformat()}"
        entry = Contribution(member_id, int(amount), label)
        keyed.append(((day, 0, created_at, row_id), (day, entry)))
    expenses: dict[str, Amounts] = {}
    spending = select(
        col(Expense.date),
        col(Expense.created_at),
        col(Expense.id),
        col(Expense.description),
        col(Expense.amount),
        col(Expense.pot_amount),
    ).where(col(Expense.pot_id) == pot.id)
    if since is not None:
        spending = spending.where(col(Expense.date) >= since)
    for day, created_at, row_id, text, amount, in_pot in session.execute(spending):
        expenses[row_id] = (int(amount), int(in_pot or 0))
        label = f"the expense {text!r} of {day.isoformat()}"
        keyed.append(
            ((day, 1, created_at, row_id), (day, Spending(row_id, int(in_pot or 0), label)))
        )
    keyed.sort(key=lambda pair: pair[0])
    return [entry for _, entry in keyed], expenses


def pot_state(session: Session, pot: Pot) -> PotState:
    """The pot now (its balance and stakes; not each expense's payers): its latest day."""
    return days.state_before(session, pot.id, None)


def lock_pots(session: Session, pot_ids: Iterable[str | None]) -> None:
    """Lock these pots' rows (PostgreSQL), in id order, before writing anything that refers
    to them. Inserting a row that references a pot takes a share lock on the pot (the
    foreign-key check); two writers that did so and only then asked for the pot's row lock
    would each wait for the other: a deadlock. So every writer takes its pots' locks first,
    and several pots always in one order. SQLite has one writer at a time anyway."""
    ids = sorted({pot_id for pot_id in pot_ids if pot_id and "\x00" not in pot_id})
    if ids:
        session.execute(
            select(col(Pot.id)).where(col(Pot.id).in_(ids)).order_by(col(Pot.id)).with_for_update()
        )


def reallocate(session: Session, pot: Pot, *, since: date | None) -> PotState:
    """Replay the pot from `since` (the earliest date a change touched; None: from its
    start), store each of those expenses' payers (in the household currency) and keep the
    state after each of those days.

    The pot's row is locked (by the caller, before its writes: `lock_pots`), so two changes
    to one pot replay one after the other (on PostgreSQL each then sees what the other
    committed; SQLite has one writer anyway).
    """
    lock_pots(session, [pot.id])  # already held: a no-op, kept for callers that wrote nothing
    session.flush()
    entries, expenses = timeline(session, pot, since)
    start = days.state_before(session, pot.id, since) if since is not None else PotState()
    state, kept = replay_days(entries, currency=pot.currency, state=start)
    days.keep(session, pot.id, since, kept)
    if expenses:
        rewrite_payers(session, pot.id, since, state, expenses)
    return state


def rewrite_payers(
    session: Session, pot_id: str, since: date | None, state: PotState, expenses: dict[str, Amounts]
) -> None:
    """Store the replayed payers of the pot's expenses dated `since` or later. Only those
    whose payers moved are rewritten: adding this month's bill touches one expense."""
    stored = stored_payers(session, pot_id, since)
    changed = {
        expense_id: payers
        for expense_id, parts in state.payers.items()
        if (payers := in_household_currency(parts, expenses[expense_id]))
        != stored.get(expense_id, [])
    }
    if not changed:
        return
    session.execute(delete(ExpensePayer).where(col(ExpensePayer.expense_id).in_(list(changed))))
    session.add_all(
        ExpensePayer(expense_id=expense_id, member_id=p.member_id, position=i, amount=p.amount)
        for expense_id, payers in changed.items()
        for i, p in enumerate(payers)
    )
    session.flush()


def stored_payers(
    session: Session, pot_id: str, since: date | None = None
) -> dict[str, list[MemberAmount]]:
    query = (
        select(col(ExpensePayer.expense_id), col(ExpensePayer.member_id), col(ExpensePayer.amount))
        .join(Expense, col(Expense.id) == col(ExpensePayer.expense_id))
        .where(col(Expense.pot_id) == pot_id)
        .order_by(col(ExpensePayer.expense_id), col(ExpensePayer.position))
    )
    if since is not None:
        query = query.where(col(Expense.date) >= since)
    out: dict[str, list[MemberAmount]] = {}
    for expense_id, member_id, amount in session.execute(query):
        out.setdefault(expense_id, []).append(MemberAmount(member_id, int(amount)))
    return out


def in_household_currency(parts: list[MemberAmount], expense: Amounts) -> list[MemberAmount]:
    """The pot-currency parts scaled to the expense's household amount, still exact."""
    amount, in_pot = expense
    if in_pot == amount:
        return parts
    amounts = allocate(amount, [abs(p.amount) for p in parts])
    return [MemberAmount(p.member_id, a) for p, a in zip(parts, amounts, strict=True) if a]


def find_pot(session: Session, household_id: str, pot_id: str) -> Pot | None:
    """The household's pot of that id; None for anything else, without asking the database
    about an id it could not store (PostgreSQL refuses NUL characters in text)."""
    pot = None if "\x00" in pot_id else session.get(Pot, pot_id)
    return pot if pot is not None and pot.household_id == household_id else None


def usable_pot(session: Session, *, household: Household, pot_id: str, field: str) -> Pot:
    """A pot of this household that can take new entries (422 when it is not one)."""
    pot = find_pot(session, household.id, pot_id)
    if pot is None:
        raise InvalidInput(f"{pot_id} is not a pot of this household", field=field)
    check_open(pot, field=field)
    return pot


def check_open(pot: Pot, *, field: str | None = None) -> None:
    if pot.archived:
        raise Conflict(
            f"the pot {pot.name!r} is archived; PATCH archived to false to use it again",
            field=field,
        )


def paying_pot(
    session: Session,
    *,
    household: Household,
    pot_id: str | None,
    other_payers: bool,
    current_pot: str | None,
) -> Pot | None:
    """The pot an expense is paid from (`paid_by_pot`), if any."""
    if pot_id is None:
        return None
    if other_payers:
        raise InvalidInput(
            "paid_by_pot replaces paid_by and payers: give only one of them", field="paid_by_pot"
        )
    if pot_id == current_pot:
        # An expense already paid from a pot that was archived since can still be edited.
        return session.get_one(Pot, pot_id)
    return usable_pot(session, household=household, pot_id=pot_id, field="paid_by_pot")


def pot_amount(household: Household, pot: Pot, currency: str, amount: int, converted: int) -> int:
    """An expense's amount in the pot's currency, which the pot's stakes are counted in."""
    if currency == pot.currency:
        return amount
    if pot.currency == household.currency:
        return converted
    raise InvalidInput(
        f"an expense paid from the pot {pot.name!r} must be in its currency, {pot.currency}",
        field="currency",
    )
