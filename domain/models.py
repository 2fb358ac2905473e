"""Imports every table module so the metadata is complete (Alembic, tests, the app)."""

import domain.agreement.models
import domain.fairness.models
import domain.hooks.models  # noqa: F401
from domain.accounts.models import ApiToken, User, WebSession
from domain.activity.models import Event
from domain.chores.models import (
    Absence,
    Chore,
    ChoreEligibleMember,
    ChoreOccurrence,
    ChorePreference,
    TimeEntry,
)
from domain.decisions.models import Decision, DecisionBallot, DecisionVoter
from domain.goals.models import Goal, GoalContribution
from domain.households.income_models import MemberIncome
from domain.households.models import Household, HouseholdVersion, Invitation, Member
from domain.idempotency.models import IdempotencyRecord
from domain.imports.models import Connection, ImportedRow, ImportRule, ImportRun  # noqa: F401
from domain.ledger.models import (
    ExchangeRate,
    Expense,
    ExpensePayer,
    ExpenseShare,
    MemberDayTotal,
    MemberTotal,
    RecurringExpense,
    Settlement,
    SettleUpPlan,
)
from domain.ledger.pots.models import Pot, PotContribution, PotDay
from domain.ratelimits.models import RateLimitCounter
from domain.reminders.models import NotificationTarget, ReminderDelivery, SentReminder

__all__ = [
    "Absence",
    "ApiToken",
    "Chore",
    "ChoreEligibleMember",
    "ChoreOccurrence",
    "ChorePreference",
    "Decision",
    "DecisionBallot",
    "DecisionVoter",
    "Event",
    "ExchangeRate",
    "Expense",
    "ExpensePayer",
    "ExpenseShare",
    "Goal",
    "GoalContribution",
    "Household",
    "HouseholdVersion",
    "IdempotencyRecord",
    "Invitation",
    "Member",
    "MemberDayTotal",
    "MemberIncome",
    "MemberTotal",
    "NotificationTarget",
    "Pot",
    "PotContribution",
    "PotDay",
    "RateLimitCounter",
    "RecurringExpense",
    "ReminderDelivery",
    "SentReminder",
    "SettleUpPlan",
    "Settlement",
    "TimeEntry",
    "User",
    "WebSession",
]
