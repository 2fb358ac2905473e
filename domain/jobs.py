"""Periodic work that `fairstead worker` runs on its schedule (and tests run directly).

Each job takes a session and the current time, does one idempotent pass and returns how
many things it changed. Jobs must be safe to run from several workers at once: they rely on
unique constraints and conditional updates, never on being the only runner.
"""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from domain.chores.occurrences import materialise_all_chores
from domain.decisions.closing import close_due
from domain.goals.tracking import check_all_goals
from domain.ledger.recurring import materialise_all
from domain.reminders.emitting import send_due_reminders

Job = Callable[[Session, datetime], int]

JOBS: dict[str, Job] = {
    "recurring_expenses": lambda session, now: materialise_all(session, now=now),
    "decisions": lambda session, now: close_due(session, now=now),
    "chores": lambda session, now: materialise_all_chores(session, now=now),
    "goals": lambda session, now: check_all_goals(session, now=now),
    # After chores and decisions, so it sees today's occurrences and open decisions.
    "reminders": lambda session, now: send_due_reminders(session, now=now),
}
