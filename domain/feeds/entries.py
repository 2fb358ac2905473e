"""The entries of a household's calendar: chore occurrences, decision deadlines, goal dates.

Each entry has a UID that never changes (the kind and the record's id) and a sequence that
only grows: the record's own version, plus its chore's for an occurrence, since renaming a
chore changes every occurrence's title. A calendar app replaces an event when it sees a
higher SEQUENCE, so an edit reaches the calendar instead of being ignored as a duplicate.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from domain.chores.models import Chore, ChoreOccurrence, Status
from domain.decisions.models import Decision, DecisionVoter
from domain.goals.models import Goal
from domain.households.members import household_members
from domain.households.models import Household
from domain.recurrence import household_zone

UID_DOMAIN = "fairstead"


@dataclass(frozen=True)
class Entry:
    """One calendar event: all-day on `day`, or at `moment` (UTC) when that is set."""

    uid: str
    sequence: int
    summary: str
    description: str
    category: str
    day: date
    moment: datetime | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class Window:
    """The days a feed covers: back as far as it reaches ahead, like the chore horizon."""

    first: date
    last: date

    @classmethod
    def around(cls, today: date, horizon_days: int) -> "Window":
        return cls(today - timedelta(days=horizon_days), today + timedelta(days=horizon_days - 1))


def _uid(kind: str, record_id: str) -> str:
    return f"{kind}-{record_id}@{UID_DOMAIN}"


def _chore_entries(
    session: Session, household: Household, window: Window, member_id: str | None
) -> list[Entry]:
    names = {m.id: m.display_name for m in household_members(session, household.id).values()}
    query = (
        select(ChoreOccurrence, Chore)
        .join(Chore, Chore.id == ChoreOccurrence.chore_id)
        .where(
            ChoreOccurrence.household_id == household.id,
            ChoreOccurrence.due_on >= window.first,
            ChoreOccurrence.due_on <= window.last,
        )
        .order_by(ChoreOccurrence.due_on, ChoreOccurrence.id)
    )
    if member_id is not None:
        query = query.where(
            or_(
                ChoreOccurrence.assigned_member_id == member_id,
                ChoreOccurrence.completed_by_member_id == member_id,
            )
        )
    entries = []
    for occurrence, chore in session.execute(query):
        assignee = names.get(occurrence.assigned_member_id or "", "nobody")
        lines = [f"Assigned to {assignee}.", f"About {chore.estimated_minutes} minutes."]
        if occurrence.status == Status.DONE:
            lines.append(f"Done by {names.get(occurrence.completed_by_member_id or '', '?')}.")
        elif occurrence.status == Status.SKIPPED:
            lines.append("Skipped.")
        mark = "✓ " if occurrence.status == Status.DONE else ""
        entries.append(
            Entry(
                uid=_uid("chore-occurrence", occurrence.id),
                sequence=(occurrence.version - 1) + (chore.version - 1),
                summary=f"{mark}{chore.name} ({assignee})",
                description="\n".join(lines),
                category="chore",
                day=occurrence.due_on,
                cancelled=occurrence.status == Status.SKIPPED,
            )
        )
    return entries


def _decision_entries(
    session: Session, household: Household, window: Window, member_id: str | None
) -> list[Entry]:
    query = (
        select(Decision)
        .where(Decision.household_id == household.id, Decision.closes_at.is_not(None))
        .order_by(Decision.closes_at, Decision.id)
    )
    if member_id is not None:
        # What the member still has to do: vote on the open decisions they have not voted on.
        voted = select(DecisionVoter.decision_id).where(DecisionVoter.member_id == member_id)
        query = query.where(Decision.status == "open", Decision.id.not_in(voted))
    entries = []
    for decision in session.scalars(query):
        assert decision.closes_at is not None
        day = decision.closes_at.astimezone(household_zone(household.timezone)).date()
        if decision.status != "open" and not window.first <= day <= window.last:
            continue
        state = "Voting closes." if decision.status == "open" else "Closed."
        entries.append(
            Entry(
                uid=_uid("decision", decision.id),
                sequence=decision.version - 1,
                summary=f"Vote closes: {decision.title}",
                description=f"{state} {decision.description or ''}".strip(),
                category="decision",
                day=day,
                moment=decision.closes_at,
            )
        )
    return entries


def _goal_entries(session: Session, household: Household, window: Window) -> list[Entry]:
    query = (
        select(Goal)
        .where(
            Goal.household_id == household.id,
            Goal.archived_at.is_(None),
            Goal.due_on.is_not(None),
            Goal.due_on >= window.first,
        )
        .order_by(Goal.due_on, Goal.id)
    )
    return [
        Entry(
            uid=_uid("goal", goal.id),
            sequence=goal.version - 1,
            summary=f"Goal target date: {goal.name}",
            description=goal.description or "",
            category="goal",
            day=goal.due_on,
        )
        for goal in session.scalars(query)
        if goal.due_on is not None
    ]


def household_entries(session: Session, *, household: Household, window: Window) -> list[Entry]:
    return [
        *_chore_entries(session, household, window, None),
        *_decision_entries(session, household, window, None),
        *_goal_entries(session, household, window),
    ]


def member_entries(
    session: Session, *, household: Household, member_id: str, window: Window
) -> list[Entry]:
    """What the member has to do: their chores, and the open votes still waiting for them."""
    return [
        *_chore_entries(session, household, window, member_id),
        *_decision_entries(session, household, window, member_id),
    ]
