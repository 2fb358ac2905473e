"""Every read the fairness engine makes of a period, summed per member by the database.

Nothing here loops over a period's expenses, completions or time entries in Python: money
is one GROUP BY over payers, shares and settlements; time is grouped by member, effort and
load (weighting is linear in minutes, so weighing each group once equals weighing every
row). Absences and check-ins are few rows per period and are summed the same way.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    String,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
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


class PeriodTotals(NamedTuple):
    """Everything `measure_period` and the report sum over a period, read in one statement."""

    contributed: dict[str, int]
    owed: dict[str, int]
    time: list[list[TimeGroup]]  # per piece of the period, in the order of `starts`
    away: dict[str, list[Span]]
    check_ins: list[CheckInSummary]


# What each row of `period_totals`' statement is.
_MONEY, _DONE, _LOGGED, _AWAY, _CHECK_IN = range(5)


def period_totals(
    session: Session, household_id: str, first: date, last: date, starts: Sequence[date] = ()
) -> PeriodTotals:
    """`money_totals`, `time_groups` of each piece, `absences` and `check_in_summaries` of
    `first`..`last` as one UNION ALL: one round trip instead of five (or more, with an
    agreement that changed during the period). `starts` are the first days of the pieces
    the period is cut into (ascending; the first is `first`): time is grouped per piece,
    a day belonging to the last piece starting on or before it."""

    def piece(day: Any) -> Any:
        later = [(day >= start, index) for index, start in enumerate(starts) if index > 0]
        if not later:
            return cast(literal(0), Integer)
        return case(*reversed(later), else_=0)

    no_int = cast(null(), BigInteger)
    no_text = cast(null(), String)
    no_day = cast(null(), Date)
    money = (
        select(
            literal(_MONEY).label("kind"),
            MemberDayTotal.member_id.label("member_id"),
            cast(literal(0), Integer).label("piece"),
            cast(null(), Integer).label("effort"),
            no_text.label("load"),
            cast(func.sum(MemberDayTotal.contributed), BigInteger).label("a"),
            cast(func.sum(MemberDayTotal.owed), BigInteger).label("b"),
            no_int.label("c"),
            no_day.label("first_day"),
            no_day.label("last_day"),
        )
        .join(Member, Member.id == MemberDayTotal.member_id)
        .where(
            Member.household_id == household_id,
            MemberDayTotal.day >= first,
            MemberDayTotal.day <= last,
        )
        .group_by(MemberDayTotal.member_id)
    )
    done_piece = piece(ChoreOccurrence.completed_on)
    done = (
        select(
            literal(_DONE),
            ChoreOccurrence.completed_by_member_id,
            done_piece,
            ChoreOccurrence.effort,
            ChoreOccurrence.load,
            cast(func.sum(ChoreOccurrence.minutes), BigInteger),
            no_int,
            no_int,
            no_day,
            no_day,
        )
        .where(
            ChoreOccurrence.household_id == household_id,
            ChoreOccurrence.status == Status.DONE,
            ChoreOccurrence.completed_on >= first,
            ChoreOccurrence.completed_on <= last,
            ChoreOccurrence.completed_by_member_id.is_not(None),
        )
        .group_by(
            ChoreOccurrence.completed_by_member_id,
            done_piece,
            ChoreOccurrence.effort,
            ChoreOccurrence.load,
        )
    )
    logged_piece = piece(TimeEntry.date)
    logged = (
        select(
            literal(_LOGGED),
            TimeEntry.member_id,
            logged_piece,
            TimeEntry.effort,
            TimeEntry.load,
            cast(func.sum(TimeEntry.minutes), BigInteger),
            no_int,
            no_int,
            no_day,
            no_day,
        )
        .where(
            TimeEntry.household_id == household_id,
            TimeEntry.date >= first,
            TimeEntry.date <= last,
        )
        .group_by(TimeEntry.member_id, logged_piece, TimeEntry.effort, TimeEntry.load)
    )
    away = select(
        literal(_AWAY),
        Absence.member_id,
        cast(literal(0), Integer),
        cast(null(), Integer),
        no_text,
        no_int,
        no_int,
        no_int,
        case((Absence.first_day < first, first), else_=Absence.first_day),
        case((Absence.last_day > last, last), else_=Absence.last_day),
    ).where(
        Absence.household_id == household_id,
        Absence.last_day >= first,
        Absence.first_day <= last,
    )
    checked = (
        select(
            literal(_CHECK_IN),
            CheckIn.member_id,
            cast(literal(0), Integer),
            cast(null(), Integer),
            no_text,
            cast(func.count(), BigInteger),
            cast(func.sum(CheckIn.fairness), BigInteger),
            cast(func.sum(CheckIn.heard), BigInteger),
            no_day,
            no_day,
        )
        .where(CheckIn.household_id == household_id, CheckIn.date >= first, CheckIn.date <= last)
        .group_by(CheckIn.member_id)
    )
    both = union_all(money, done, logged, away, checked).subquery()
    rows = session.execute(
        select(both).order_by(both.c.kind, both.c.member_id, both.c.first_day, both.c.last_day)
    )
    contributed: dict[str, int] = {}
    owed: dict[str, int] = {}
    time_of: list[list[TimeGroup]] = [[] for _ in starts] or [[]]
    absent: dict[str, list[Span]] = defaultdict(list)
    check_ins: list[CheckInSummary] = []
    for kind, member_id, index, effort, load, a, b, c, start, end in rows:
        if kind == _MONEY:
            contributed[member_id] = int(a or 0)
            owed[member_id] = int(b or 0)
        elif kind in (_DONE, _LOGGED):
            if member_id is None:
                continue
            time_of[int(index)].append((member_id, int(effort), str(load), int(a or 0)))
        elif kind == _AWAY:
            absent[member_id].append((_day(start), _day(end)))
        else:
            n = int(a)
            check_ins.append(CheckInSummary(member_id, n, Fraction(int(b), n), Fraction(int(c), n)))
    return PeriodTotals(contributed, owed, time_of, dict(absent), check_ins)


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
