"""Recurring expenses: templates whose occurrences become expenses exactly once.

"Exactly once" rests on the unique (recurring_id, occurrence_date) constraint of expenses,
not on checking first: when two requests or two workers materialise the same occurrence,
one insert wins and the other's savepoint rolls back. A template remembers the day it was
last made up to (`materialised_through`), so most reads find nothing to do in one query, and
an occurrence a member deleted stays deleted; changing the template clears it, and the next
read makes whatever the new rule has that no expense holds yet.
"""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, Exists, Select, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import SQLCoreOperations

from domain.activity import events
from domain.activity.service import SYSTEM, Actor, record
from domain.errors import Conflict, InvalidInput
from domain.households.models import Household
from domain.ledger.expense_input import ExpenseInput, input_from_json, input_to_json
from domain.ledger.expenses import create_expense, validate
from domain.ledger.models import Expense, RecurringExpense
from domain.paging import newest_id_first
from domain.recurrence import occurrences, validate_rrule
from domain.scoping import get_in_household


def local_today(household: Household, now: datetime) -> date:
    return now.astimezone(ZoneInfo(household.timezone)).date()


def create_recurring(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    template: ExpenseInput,
    rrule: str,
    starts_on: date,
    ends_on: date | None,
) -> RecurringExpense:
    _check(session, household, template, rrule, starts_on, ends_on)
    recurring = RecurringExpense(
        household_id=household.id,
        template=input_to_json(template),
        rrule=rrule,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    session.add(recurring)
    session.flush()
    record(
        session,
        household_id=household.id,
        type=events.RECURRING_EXPENSE_CREATED,
        subject_id=recurring.id,
        actor=actor,
        data={"description": template.description, "rrule": rrule},
    )
    return recurring


def update_recurring(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    recurring: RecurringExpense,
    template: ExpenseInput,
    rrule: str,
    starts_on: date,
    ends_on: date | None,
    active: bool,
) -> RecurringExpense:
    """Changes apply to occurrences not yet materialised; past expenses stay as they were."""
    _check(session, household, template, rrule, starts_on, ends_on)
    recurring.template = input_to_json(template)
    recurring.rrule, recurring.starts_on, recurring.ends_on = rrule, starts_on, ends_on
    recurring.active = active
    recurring.materialised_through = None
    recurring.version += 1
    record(
        session,
        household_id=household.id,
        type=events.RECURRING_EXPENSE_UPDATED,
        subject_id=recurring.id,
        actor=actor,
        data={"rrule": rrule, "active": active},
    )
    return recurring


def delete_recurring(session: Session, *, actor: Actor, recurring: RecurringExpense) -> None:
    """The template goes; the expenses it already made stay (their recurring_id is cleared)."""
    record(
        session,
        household_id=recurring.household_id,
        type=events.RECURRING_EXPENSE_DELETED,
        subject_id=recurring.id,
        actor=actor,
        data={"rrule": recurring.rrule},
    )
    session.delete(recurring)


def template_of(recurring: RecurringExpense) -> ExpenseInput:
    return input_from_json(recurring.template, on=recurring.starts_on)


def _check(
    session: Session,
    household: Household,
    template: ExpenseInput,
    rrule: str,
    starts_on: date,
    ends_on: date | None,
) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput("ends_on is before starts_on", field="ends_on")
    try:
        validate_rrule(rrule, starts_on, household.timezone)
    except InvalidInput as exc:
        raise InvalidInput(exc.detail, field="rrule") from exc
    validate(session, household=household, data=template)


def get_recurring(session: Session, *, household_id: str, recurring_id: str) -> RecurringExpense:
    return get_in_household(
        session, RecurringExpense, recurring_id, household_id, what="recurring expense"
    )


def list_recurring(
    session: Session, *, household_id: str, after: str | None, limit: int
) -> list[RecurringExpense]:
    query = select(RecurringExpense).where(RecurringExpense.household_id == household_id)
    query = newest_id_first(query, RecurringExpense.id, after=after, limit=limit)
    return list(session.scalars(query))


def _due(household: Household, today: date) -> Select[RecurringExpense]:
    """Active templates of the household not yet made up to today, in one order, so that
    two materialisations lock their rows in the same order and cannot deadlock."""
    made = RecurringExpense.materialised_through
    return (
        select(RecurringExpense)
        .where(
            RecurringExpense.household_id == household.id,
            RecurringExpense.active.is_(True),
            RecurringExpense.starts_on <= today,
            made.is_(None) | (made < today),
        )
        .order_by(RecurringExpense.id)
    )


def anything_due(session: Session, *, household: Household, now: datetime) -> bool:
    """Whether `materialise_due` has work: one indexed query, and it never writes."""
    due = _due(household, local_today(household, now)).with_only_columns(RecurringExpense.id)
    return session.scalar(due.limit(1)) is not None


def due_on(household_id: SQLCoreOperations[str], today: BindParameter[date]) -> Exists:
    """`anything_due` as a column of a larger statement, for the household-local day `today`
    (api/access.py asks it for the three days today can be anywhere, in one statement)."""
    made = RecurringExpense.materialised_through
    return exists().where(
        RecurringExpense.household_id == household_id,
        RecurringExpense.active.is_(True),
        RecurringExpense.starts_on <= today,
        made.is_(None) | (made < today),
    )


def materialise_due(session: Session, *, household: Household, now: datetime) -> int:
    """Turn every occurrence up to today (household time) into an expense; returns how many.

    A template that can no longer be applied (a participant has left) is paused and the
    activity feed says why, rather than failing every read of the ledger.
    """
    today = local_today(household, now)
    templates = session.scalars(_due(household, today)).all()
    created = 0
    for recurring in templates:
        created += _materialise(session, household, recurring, today)
    return created


def _materialise(
    session: Session, household: Household, recurring: RecurringExpense, today: date
) -> int:
    until = min(today, recurring.ends_on) if recurring.ends_on else today
    since = recurring.starts_on
    if recurring.materialised_through is not None:
        since = max(since, recurring.materialised_through + timedelta(days=1))
    if until < since:  # ended before the last day it was made up to
        recurring.materialised_through = today
        return 0
    done = set(
        session.scalars(
            select(Expense.occurrence_date).where(
                Expense.recurring_id == recurring.id, Expense.occurrence_date >= since
            )
        )
    )
    due = [
        day
        for day in occurrences(
            recurring.rrule,
            starts_on=recurring.starts_on,
            tz=household.timezone,
            window_from=since,
            window_to=until,
        )
        if day not in done
    ]
    # Set only now: its UPDATE locks the template's row on PostgreSQL from the first flush,
    # and a concurrent materialisation of the same template then waits there.
    recurring.materialised_through = today
    created = 0
    for day in due:
        data = input_from_json(recurring.template, on=day)
        try:
            with session.begin_nested():
                create_expense(
                    session,
                    household=household,
                    actor=SYSTEM,
                    data=data,
                    recurring_id=recurring.id,
                    occurrence_date=day,
                )
            created += 1
        except IntegrityError:
            continue
        except (InvalidInput, Conflict) as exc:
            # Conflict: a pot that cannot pay this occurrence (empty, or archived).
            recurring.active = False
            record(
                session,
                household_id=household.id,
                type=events.RECURRING_EXPENSE_PAUSED,
                subject_id=recurring.id,
                actor=SYSTEM,
                data={"reason": exc.detail, "occurrence_date": day.isoformat()},
            )
            break
    return created


def materialise_all(session: Session, *, now: datetime) -> int:
    """Every household's due occurrences: what `fairstead worker` runs on its schedule."""
    ids = session.scalars(
        select(RecurringExpense.household_id).where(RecurringExpense.active.is_(True)).distinct()
    ).all()
    total = 0
    for household_id in ids:
        household = session.get(Household, household_id)
        if household is not None:
            total += materialise_due(session, household=household, now=now)
    return total


def render_template(recurring: RecurringExpense) -> dict[str, Any]:
    return dict(recurring.template)
