"""Imports every table module so the metadata is complete (Alembic, tests, the app)."""

from domain.accounts.models import ApiToken, User
from domain.activity.models import Event
from domain.households.models import Household, Invitation, Member
from domain.idempotency.models import IdempotencyRecord
from domain.ledger.models import (
    ExchangeRate,
    Expense,
    ExpensePayer,
    ExpenseShare,
    RecurringExpense,
    Settlement,
    SettleUpPlan,
)

__all__ = [
    "ApiToken",
    "Event",
    "ExchangeRate",
    "Expense",
    "ExpensePayer",
    "ExpenseShare",
    "Household",
    "IdempotencyRecord",
    "Invitation",
    "Member",
    "RecurringExpense",
    "SettleUpPlan",
    "Settlement",
    "User",
]
