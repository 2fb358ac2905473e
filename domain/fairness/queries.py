"""Every read the fairness engine makes of a period, summed per member by the database.

Nothing here loops over a period's expenses, completions or time entries in Python: money
is one GROUP BY over payers, shares and settlements; time is grouped by member, effort and
load (weighting is linear in minutes, so weighing each group once equals weighing every
row). Absences and check-ins are few rows per period and are summed the same way.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import Session

from domain.chores.models import Absence, ChoreOccurrence, Status, TimeEntry
from domain.decisions.models import Decision
from domain.fairness.models import CheckIn
from domain.fairness.periods import Span
from domain.households.models import Household, Member
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare, MemberDayTotal, Settlement
from domain.ledger.pots.models import PotContribution
from domain.proposals.scores import CheckInSummary

TimeGroup = tuple[str, int, str, int]  # member, effort, load, minutes


class MemberRow(NamedTuple):
    """What measuring a period reads of a member."""

    id: str
    display_name: str
    active: bool
    weekly_available_minutes: int | None
    created_at: datetime


def members(session: Session, household_id: str) -> list[MemberRow]:
    """Every member, oldest first (inactive ones too: their history still counts), as plain
    rows: the report reads five columns and keeps no object."""
    query = (
        select(
            Member.id,
            Member.display_name,
            Member.active,
            Member.weekly_available_minutes,
            Member.created_at,
        )
        .where(Member.household_id == household_id)
        .order_by(Member.id)
    )
    return [MemberRow(*row) for row in session.execute(query)]


def money_totals(
    session: Session, household_id: str, first: date, last: date
) -> tuple[dict[str, int], dict[str, int]]:
    """(contributed, owed) per member: paid towards the period's shared expenses plus
    settlements sent minus received, and the split shares they bear.

    Money put into a pot counts as paid when it goes in (net of withdrawals); the payer
    rows of expenses paid from a pot are left out, so that money is counted once. Summed
    from the per-member, per-day totals the database keeps (MemberDayTotal): a period costs
    its days, not its expenses; `money_totals_from_rows` is the definition they are kept by."""
    rows = session.execute(
        select(
            MemberDayTotal.member_id,
            func.sum(MemberDayTotal.contributed),
            func.sum(MemberDayTotal.owed),
        )
        .join(Member, Member.id == MemberDayTotal.member_id)
        .where(
            Member.household_id == household_id,
            MemberDayTotal.day >= first,
            MemberDayTotal.day <= last,
        )
        .group_by(MemberDayTotal.member_id)
    )
    return _by_member(rows)


def money_totals_from_rows(
    session: Session, household_id: str, first: date, last: date
) -> tuple[dict[str, int], dict[str, int]]:
    """`money_totals` summed over every raw row of the period (tests and verification)."""
    zero = literal(0)
    in_period = (
        Expense.household_id == household_id,
        Expense.date >= first,
        Expense.date <= last,
    )
    settled = (
        Settlement.household_id == household_id,
        Settlement.date >= first,
        Settlement.date <= last,
    )
    movements = union_all(
        select(
            ExpensePayer.member_id.label("member_id"),
            ExpensePayer.amount.label("contributed"),
            zero.label("owed"),
        )
        .join(Expense, Expense.id == ExpensePayer.expense_id)
        .where(*in_period, Expense.pot_id.is_(None)),
        select(PotContribution.member_id, PotContribution.household_amount, zero).where(
            PotContribution.household_id == household_id,
            PotContribution.date >= first,
            PotContribution.date <= last,
        ),
        select(ExpenseShare.member_id, zero, ExpenseShare.amount)
        .join(Expense, Expense.id == ExpenseShare.expense_id)
        .where(*in_period),
        select(Settlement.from_member_id, Settlement.amount, zero).where(*settled),
        select(Settlement.to_member_id, -Settlement.amount, zero).where(*settled),
    ).subquery()
    rows = session.execute(
        select(
            movements.c.member_id, func.sum(movements.c.contributed), func.sum(movements.c.owed)
        ).group_by(movements.c.member_id)
    )
    return _by_member(rows)


def _by_member(rows: Any) -> tuple[dict[str, int], dict[str, int]]:
    contributed: dict[str, int] = {}
    owed: dict[str, int] = {}
    for member_id, paid, share in rows:
        contributed[member_id] = int(paid or 0)
        owed[member_id] = int(share or 0)
    return contributed, owed


def time_groups(session: Session, household_id: str, first: date, last: date) -> list[TimeGroup]:
    """Minutes per member, effort and load: occurrences by the day they were done, and
    time entries by their day."""
    done = (
        select(
            ChoreOccurrence.completed_by_member_id,
            ChoreOccurrence.effort,
            ChoreOccurrence.load,
            func.sum(ChoreOccurrence.minutes),
        )
        .where(
            ChoreOccurrence.household_id == household_id,
            ChoreOccurrence.status == Status.DONE,
            ChoreOccurrence.completed_on >= first,
            ChoreOccurrence.completed_on <= last,
        )
        .group_by(
            ChoreOccurrence.completed_by_member_id, ChoreOccurrence.effort, ChoreOccurrence.load
        )
    )
    logged = (
        select(TimeEntry.member_id, TimeEntry.effort, TimeEntry.load, func.sum(TimeEntry.minutes))
        .where(
            TimeEntry.household_id == household_id,
            TimeEntry.date >= first,
            TimeEntry.date <= last,
        )
        .group_by(TimeEntry.member_id, TimeEntry.effort, TimeEntry.load)
    )
    return [
        (member_id, int(effort), str(load), int(minutes or 0))
        for query in (done, logged)
        for member_id, effort, load, minutes in session.execute(query)
        if member_id is not None
    ]


def absences(session: Session, household_id: str, first: date, last: date) -> dict[str, list[Span]]:
    """Each member's absences overlapping the period, clipped to it."""
    rows = session.execute(
        select(
            Absence.member_id,
            case((Absence.first_day < first, first), else_=Absence.first_day),
            case((Absence.last_day > last, last), else_=Absence.last_day),
        ).where(
            Absence.household_id == household_id,
            Absence.last_day >= first,
            Absence.first_day <= last,
        )
    )
    away: dict[str, list[Span]] = defaultdict(list)
    for member_id, start, end in rows:
        away[member_id].append((_day(start), _day(end)))
    return dict(away)


def check_in_summaries(
    session: Session, household_id: str, first: date, last: date
) -> list[CheckInSummary]:
    rows = session.execute(
        select(
            CheckIn.member_id,
            func.count(),
            func.sum(CheckIn.fairness),
            func.sum(CheckIn.heard),
        )
        .where(CheckIn.household_id == household_id, CheckIn.date >= first, CheckIn.date <= last)
        .group_by(CheckIn.member_id)
        .order_by(CheckIn.member_id)
    )
    return [
        CheckInSummary(member_id, n, Fraction(int(fair), n), Fraction(int(heard), n))
        for member_id, n, fair, heard in rows
    ]


def low_check_ins(
    session: Session, household_id: str, first: date, last: date, *, at_most: int
) -> dict[str, bool]:
    """Per member who checked in: whether every fairness rating was `at_most` or below."""
    rows = session.execute(
        select(CheckIn.member_id, func.max(CheckIn.fairness))
        .where(CheckIn.household_id == household_id, CheckIn.date >= first, CheckIn.date <= last)
        .group_by(CheckIn.member_id)
    )
    return {member_id: int(highest) <= at_most for member_id, highest in rows}


def top_category(session: Session, household: Household, first: date, last: date) -> str | None:
    """The category most of the period's decisions were in, if they had one."""
    zone = ZoneInfo(household.timezone)
    count = func.count().label("n")
    row = session.execute(
        select(Decision.category, count)
        .where(
            Decision.household_id == household.id,
            Decision.category.is_not(None),
            Decision.created_at >= datetime.combine(first, time(), tzinfo=zone),
            Decision.created_at < datetime.combine(last + timedelta(days=1), time(), tzinfo=zone),
        )
        .group_by(Decision.category)
        .order_by(count.desc(), Decision.category)
        .limit(1)
    ).first()
    return None if row is None else str(row[0])


def _day(value: date | str) -> date:
    # SQLite returns a CASE over dates as text.
    return value if isinstance(value, date) else date.fromisoformat(value)
