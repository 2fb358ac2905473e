"""Per-member running totals of the ledger, kept by the database and checked against it.

Triggers on expense_payers, expense_shares and settlements (migration 0015_member_totals) add each
row's amount to its member's `paid`, `owed`, `sent` or `received` in the same transaction as
the write, whichever code path made it: balances read one row per member, however long the
history. Amounts are in the household's currency (entries in another currency are stored
converted), so one row per member covers every currency an entry was made in.

`recompute` is the definition: the same sums taken over every raw row. `drift` compares the
two, and `repair` makes the kept rows equal to the recomputation (`fairstead verify`). The
per-member, per-day money the fairness report sums (migration 0016_member_day_totals) has the same
three: `recompute_days`, `day_drift`, `repair_days`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, func, literal, select, text, union_all
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.households.models import Member
from domain.ids import new_id
from domain.ledger.models import (
    Expense,
    ExpensePayer,
    ExpenseShare,
    MemberDayTotal,
    MemberTotal,
    Settlement,
)
from domain.ledger.pots.models import PotContribution

_TOTALS = ("paid", "owed", "sent", "received")


@dataclass(frozen=True, slots=True)
class Totals:
    paid: int = 0
    owed: int = 0
    sent: int = 0
    received: int = 0

    @property
    def net(self) -> int:
        return self.paid - self.owed + self.sent - self.received


@dataclass(frozen=True, slots=True)
class Drift:
    household_id: str
    member_id: str
    kept: Totals
    recomputed: Totals


def kept(session: Session, *, household_id: str) -> dict[str, Totals]:
    """The maintained totals of every member of the household, in member id order: one
    indexed row per member."""
    rows = session.execute(
        select(
            col(Member.id),
            col(MemberTotal.paid),
            col(MemberTotal.owed),
            col(MemberTotal.sent),
            col(MemberTotal.received),
        )
        .outerjoin(MemberTotal, col(MemberTotal.member_id) == col(Member.id))
        .where(col(Member.household_id) == household_id)
        .order_by(col(Member.id))
    )
    return {
        member_id: Totals() if paid is None else Totals(paid, owed, sent, received)
        for member_id, paid, owed, sent, received in rows
    }


def recompute(session: Session, *, household_id: str) -> dict[str, Totals]:
    """The same totals summed over every raw row of the household's ledger."""
    members = list(
        session.scalars(
            select(col(Member.id))
            .where(col(Member.household_id) == household_id)
            .order_by(col(Member.id))
        )
    )
    if not members:
        return {}
    payers, shares = ExpensePayer, ExpenseShare

    def row(member: Any, amount: Any, total: str) -> Select[Any]:
        # Labelled, so that the zeros of one SELECT are four columns, not one repeated.
        sums = [(amount if t == total else literal(0)).label(t) for t in _TOTALS]
        return select(member.label("member_id"), *sums)

    movements = union_all(
        row(payers.member_id, func.sum(payers.amount), "paid")
        .where(col(payers.member_id).in_(members))
        .group_by(payers.member_id),
        row(shares.member_id, func.sum(shares.amount), "owed")
        .where(col(shares.member_id).in_(members))
        .group_by(shares.member_id),
        row(col(Settlement.from_member_id), func.sum(col(Settlement.amount)), "sent")
        .where(col(Settlement.household_id) == household_id)
        .group_by(col(Settlement.from_member_id)),
        row(col(Settlement.to_member_id), func.sum(col(Settlement.amount)), "received")
        .where(col(Settlement.household_id) == household_id)
        .group_by(col(Settlement.to_member_id)),
    ).subquery()
    columns = list(movements.c)
    summed = select(columns[0], *(func.sum(c) for c in columns[1:])).group_by(columns[0])
    found = {row[0]: Totals(*(int(v) for v in row[1:])) for row in session.execute(summed)}
    return {member_id: found.get(member_id, Totals()) for member_id in members}


def drift(session: Session, *, household_id: str) -> list[Drift]:
    have, want = (
        kept(session, household_id=household_id),
        recompute(session, household_id=household_id),
    )
    return [
        Drift(household_id, member_id, have.get(member_id, Totals()), totals)
        for member_id, totals in want.items()
        if have.get(member_id, Totals()) != totals
    ]


def repair(session: Session, found: list[Drift]) -> None:
    """Makes the kept rows equal to the recomputation (run under the write lock)."""
    for item in found:
        row = session.get(MemberTotal, item.member_id)
        if row is None:
            row = MemberTotal(member_id=item.member_id, paid=0, owed=0, sent=0, received=0)
        row.paid, row.owed = item.recomputed.paid, item.recomputed.owed
        row.sent, row.received = item.recomputed.sent, item.recomputed.received
        session.add(row)
    session.flush()


DayKey = tuple[str, date]  # member, day


def kept_days(session: Session, *, household_id: str) -> dict[DayKey, tuple[int, int]]:
    """(contributed, owed) per member and day as kept, zero days left out."""
    rows = session.execute(
        select(
            MemberDayTotal.member_id,
            MemberDayTotal.day,
            MemberDayTotal.contributed,
            MemberDayTotal.owed,
        )
        .join(Member, Member.id == MemberDayTotal.member_id)
        .where(Member.household_id == household_id)
    )
    return {(m, d): (int(c), int(o)) for m, d, c, o in rows if c or o}


def recompute_days(session: Session, *, household_id: str) -> dict[DayKey, tuple[int, int]]:
    """The same, summed over every raw row (the definition of migration 0016_member_day_totals)."""
    zero = literal(0)
    payer_day = (
        select(
            ExpensePayer.member_id.label("member_id"),
            Expense.date.label("day"),
            ExpensePayer.amount.label("contributed"),
            zero.label("owed"),
        )
        .join(Expense, Expense.id == ExpensePayer.expense_id)
        .where(Expense.household_id == household_id, Expense.pot_id.is_(None))
    )
    share_day = (
        select(ExpenseShare.member_id, Expense.date, zero, ExpenseShare.amount)
        .join(Expense, Expense.id == ExpenseShare.expense_id)
        .where(Expense.household_id == household_id)
    )
    settled = Settlement.household_id == household_id
    movements = union_all(
        payer_day,
        share_day,
        select(Settlement.from_member_id, Settlement.date, Settlement.amount, zero).where(settled),
        select(Settlement.to_member_id, Settlement.date, -Settlement.amount, zero).where(settled),
        select(
            PotContribution.member_id, PotContribution.date, PotContribution.household_amount, zero
        ).where(PotContribution.household_id == household_id),
    ).subquery()
    c = movements.c
    rows = session.execute(
        select(c.member_id, c.day, func.sum(c.contributed), func.sum(c.owed)).group_by(
            c.member_id, c.day
        )
    )
    found = {}
    for member_id, day, contributed, owed in rows:
        if contributed or owed:
            when = day if isinstance(day, date) else date.fromisoformat(str(day))
            found[(member_id, when)] = (int(contributed or 0), int(owed or 0))
    return found


def day_drift(
    session: Session, *, household_id: str
) -> dict[DayKey, tuple[tuple[int, int], tuple[int, int]]]:
    """Per member and day whose kept money differs: (kept, recomputed)."""
    have = kept_days(session, household_id=household_id)
    want = recompute_days(session, household_id=household_id)
    return {
        key: (have.get(key, (0, 0)), want.get(key, (0, 0)))
        for key in have.keys() | want.keys()
        if have.get(key, (0, 0)) != want.get(key, (0, 0))
    }


def repair_days(session: Session, *, household_id: str) -> None:
    """Rewrites the household's day totals from the raw rows (run under the write lock)."""
    members = select(Member.id).where(Member.household_id == household_id)
    session.execute(delete(MemberDayTotal).where(MemberDayTotal.member_id.in_(members)))
    session.add_all(
        MemberDayTotal(member_id=m, day=d, contributed=c, owed=o)
        for (m, d), (c, o) in recompute_days(session, household_id=household_id).items()
    )
    session.flush()


# The grouped form of the INSERT triggers on expense_payers and expense_shares (0015, 0016).
_DEFER = text("INSERT INTO deferred_totals (token) VALUES (:token)")
_UNDEFER = text("DELETE FROM deferred_totals WHERE token = :token")
_ADD_TOTALS = text(
    "INSERT INTO member_totals (member_id, paid, owed, sent, received) "
    "VALUES (:member, :paid, :owed, 0, 0) ON CONFLICT (member_id) DO UPDATE SET "
    "paid = member_totals.paid + excluded.paid, owed = member_totals.owed + excluded.owed"
)
_ADD_DAYS = text(
    "INSERT INTO member_day_totals (member_id, day, contributed, owed) "
    "VALUES (:member, :day, :contributed, :owed) ON CONFLICT (member_id, day) DO UPDATE SET "
    "contributed = member_day_totals.contributed + excluded.contributed, "
    "owed = member_day_totals.owed + excluded.owed"
)
_BUMP_BY = text(
    "INSERT INTO household_versions (household_id, version) SELECT id, :count FROM households "
    "WHERE id = :household ON CONFLICT (household_id) DO UPDATE "
    "SET version = household_versions.version + excluded.version"
)


@dataclass(frozen=True, slots=True)
class Part:
    """One payer or share row of a new expense, as its INSERT trigger reads it."""

    household_id: str  # the member's household (the expense's: members are checked)
    member_id: str
    day: date  # the expense's date
    amount: int
    payer: bool  # a payer row (else a share row)
    from_pot: bool  # the expense is paid from a pot (its payers count no contribution)


def insert_deferred(session: Session, insert: Callable[[], None], parts: Iterable[Part]) -> None:
    """Run `insert` (which inserts exactly these payer and share rows) with their INSERT
    triggers idle (SQLite, migration 0020_deferred_totals), then add what those triggers
    would have added, grouped: to each member's paid or owed, to each member's day (a
    payer's amount to `contributed` unless paid from a pot, a share's to `owed`), and one
    to the household version per row. Sums commute, so the kept rows end as the triggers
    leave them, a row with zeros included. All in one savepoint: the token row that idles
    the triggers is never seen outside it."""
    totals: dict[str, list[int]] = {}
    days: dict[tuple[str, date], list[int]] = {}
    bumps: dict[str, int] = {}
    for part in parts:
        kept_total = totals.setdefault(part.member_id, [0, 0])
        day = days.setdefault((part.member_id, part.day), [0, 0])
        if part.payer:
            kept_total[0] += part.amount
            if not part.from_pot:
                day[0] += part.amount
        else:
            kept_total[1] += part.amount
            day[1] += part.amount
        bumps[part.household_id] = bumps.get(part.household_id, 0) + 1
    token = new_id()
    with session.begin_nested():
        session.execute(_DEFER, {"token": token})
        insert()
        session.execute(_UNDEFER, {"token": token})
        if not bumps:
            return
        session.execute(
            _ADD_TOTALS,
            [{"member": m, "paid": paid, "owed": owed} for m, (paid, owed) in totals.items()],
        )
        session.execute(
            _ADD_DAYS,
            [
                {"member": m, "day": day.isoformat(), "contributed": contributed, "owed": owed}
                for (m, day), (contributed, owed) in days.items()
            ],
        )
        session.execute(
            _BUMP_BY, [{"household": h, "count": count} for h, count in sorted(bumps.items())]
        )


def idle_triggers(session: Session) -> int:
    """Rows left in `deferred_totals` (never, unless written by hand): each idles the INSERT
    triggers on expense payers and shares for every writer (`fairstead verify`)."""
    return int(session.scalar(text("SELECT COUNT(*) FROM deferred_totals")) or 0)


def wake_triggers(session: Session) -> None:
    session.execute(text("DELETE FROM deferred_totals"))
