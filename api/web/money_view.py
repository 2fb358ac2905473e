"""What the money page shows, read through the domain's own queries: a page of expenses
(filtered by dates, a member who paid or shares, and words of the description), the latest
settlements, the bank-file review queue and the latest uploads."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from api.pagination import decode_cursor, encode_cursor
from domain.households.members import household_members
from domain.households.service import Membership
from domain.imports import reviews, runs
from domain.imports.connections import FILE_PROVIDER, list_connections
from domain.ledger import expenses as ledger
from domain.ledger import settlements
from domain.ledger.models import Expense, ExpensePayer, ExpenseShare
from domain.ledger.values import MemberAmount
from domain.paging import newest_first

PAGE = 20
SHOWN = 20  # settlements, reviews and uploads shown at most


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    member_id: str | None = None
    text: str | None = None
    cursor: str | None = None

    def query(self, *, cursor: str | None = None) -> dict[str, str]:
        out = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "member": self.member_id or "",
            "q": self.text or "",
        }
        if cursor:
            out["cursor"] = cursor
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class ExpenseRow:
    expense: Expense
    payers: list[MemberAmount]
    shares: list[MemberAmount]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def expense_page(
    session: Session, household_id: str, filters: Filters
) -> tuple[list[ExpenseRow], str | None]:
    """Newest first, as `GET …/expenses` orders them, with its (date, id) cursor."""
    query = select(Expense).where(col(Expense.household_id) == household_id)
    if filters.date_from is not None:
        query = query.where(col(Expense.date) >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(col(Expense.date) <= filters.date_to)
    if filters.member_id is not None:
        paid = select(col(ExpensePayer.expense_id)).where(
            col(ExpensePayer.member_id) == filters.member_id
        )
        shared = select(col(ExpenseShare.expense_id)).where(
            col(ExpenseShare.member_id) == filters.member_id
        )
        query = query.where(col(Expense.id).in_(paid) | col(Expense.id).in_(shared))
    if filters.text:
        query = query.where(
            col(Expense.description).ilike(f"%{_escape_like(filters.text)}%", escape="\\")
        )
    after = None
    if filters.cursor:
        day, _, row_id = decode_cursor(filters.cursor).partition("|")
        after = (date.fromisoformat(day), row_id)
    rows = list(session.scalars(newest_first(query, col(Expense.date), col(Expense.id),
                                             after=after, limit=PAGE + 1)))  # fmt: skip
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    shares, payers = ledger.parts_of(session, [e.id for e in rows])
    shown = [ExpenseRow(e, payers[e.id], shares[e.id]) for e in rows]
    next_cursor = (
        encode_cursor(f"{rows[-1].date.isoformat()}|{rows[-1].id}") if more and rows else None
    )
    return shown, next_cursor


def money_context(session: Session, membership: Membership, filters: Filters) -> dict[str, Any]:
    household = membership.household
    members = household_members(session, household.id)
    expenses, next_cursor = expense_page(session, household.id, filters)
    return {
        "members": list(members.values()),
        "active": [m for m in members.values() if m.active],
        "names": {i: m.display_name for i, m in members.items()},
        "me": membership.member,
        "currency": household.currency,
        "filters": filters,
        "expenses": expenses,
        "next_cursor": next_cursor,
        "settlements": settlements.list_settlements(
            session, household_id=household.id, member_id=None, after=None, limit=SHOWN
        ),
        "reviews": reviews.list_reviews(
            session, household_id=household.id, after=None, limit=SHOWN
        ),
        "runs": runs.list_runs(
            session, household_id=household.id, connection_id=None, after=None, limit=5
        ),
        "file_connections": [
            c
            for c in list_connections(session, household_id=household.id, after=None, limit=50)
            if c.provider == FILE_PROVIDER
        ],
    }
