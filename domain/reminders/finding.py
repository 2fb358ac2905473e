"""What is due to be reminded now, per kind: one finder per reminder kind (a registry).

Each candidate carries a key naming the occasion (the subject, the member and, for a
reminder that repeats, which repetition), so the same occasion found again, by another
worker or after a restart, is the same key. A finder looks only at what is still relevant
now: a worker that was down finds each occasion once, or not at all when it has passed
(an occurrence done meanwhile, a decision closed, an overdue day long gone).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.events import EventType
from domain.chores.models import Chore, ChoreOccurrence, Status
from domain.decisions.models import Decision, DecisionVoter
from domain.fairness.models import CheckIn, Proposal, ProposalResponse
from domain.households.models import Household, Member
from domain.recurrence import household_zone
from domain.reminders.quiet import parse
from domain.settings import Settings


@dataclass(frozen=True)
class Candidate:
    kind: EventType
    key: str
    household_id: str
    member_id: str
    subject_id: str
    title: str
    body: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    household: Household
    members: dict[str, Member]  # the active ones
    now: datetime
    today: date
    settings: Settings


Finder = Callable[[Session, Context], Iterator[Candidate]]


def _chore_due(session: Session, ctx: Context) -> Iterator[Candidate]:
    s = ctx.settings
    zone = household_zone(ctx.household.timezone)
    rows = session.execute(
        select(ChoreOccurrence, Chore.name)
        .join(Chore, Chore.id == ChoreOccurrence.chore_id)
        .where(
            ChoreOccurrence.household_id == ctx.household.id,
            ChoreOccurrence.status == Status.OPEN,
            ChoreOccurrence.assigned_member_id.is_not(None),
            ChoreOccurrence.due_on >= ctx.today,
            ChoreOccurrence.due_on <= ctx.today + timedelta(days=s.reminder_due_days_before),
        )
    )
    at = parse(s.reminder_due_time)
    for occurrence, name in rows:
        remind_at = datetime.combine(
            occurrence.due_on - timedelta(days=s.reminder_due_days_before), at, tzinfo=zone
        )
        member = occurrence.assigned_member_id
        if remind_at > ctx.now or member not in ctx.members:
            continue
        when = "today" if occurrence.due_on == ctx.today else f"on {occurrence.due_on}"
        yield Candidate(
            events.CHORE_DUE,
            f"chore.due:{occurrence.id}:{member}",
            ctx.household.id,
            member,
            occurrence.id,
            f"{name} is due {when}",
            f"{name} is yours {when} ({ctx.household.name}).",
            {
                "chore_id": occurrence.chore_id,
                "due_on": occurrence.due_on.isoformat(),
                "chore_name": name,
            },
        )


def _chore_overdue(session: Session, ctx: Context) -> Iterator[Candidate]:
    rows = session.execute(
        select(ChoreOccurrence, Chore.name)
        .join(Chore, Chore.id == ChoreOccurrence.chore_id)
        .where(
            ChoreOccurrence.household_id == ctx.household.id,
            ChoreOccurrence.status == Status.OPEN,
            ChoreOccurrence.assigned_member_id.is_not(None),
            ChoreOccurrence.due_on < ctx.today,
            ChoreOccurrence.due_on
            >= ctx.today - timedelta(days=ctx.settings.reminder_overdue_days),
        )
    )
    for occurrence, name in rows:
        member = occurrence.assigned_member_id
        if member not in ctx.members:
            continue
        yield Candidate(
            events.CHORE_OVERDUE,
            f"chore.overdue:{occurrence.id}:{member}",
            ctx.household.id,
            member,
            occurrence.id,
            f"{name} is overdue",
            f"{name} was due on {occurrence.due_on} and is still open ({ctx.household.name}).",
            {
                "chore_id": occurrence.chore_id,
                "due_on": occurrence.due_on.isoformat(),
                "chore_name": name,
            },
        )


def _decision_closing(session: Session, ctx: Context) -> Iterator[Candidate]:
    soon = ctx.now + timedelta(hours=ctx.settings.reminder_decision_hours)
    decisions = session.scalars(
        select(Decision).where(
            Decision.household_id == ctx.household.id,
            Decision.status == "open",
            Decision.closes_at > ctx.now,
            Decision.closes_at <= soon,
        )
    )
    zone = household_zone(ctx.household.timezone)
    for decision in decisions:
        voted = set(
            session.scalars(
                select(DecisionVoter.member_id).where(DecisionVoter.decision_id == decision.id)
            )
        )
        closes = decision.closes_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        for member in ctx.members:
            if member in voted:
                continue
            yield Candidate(
                events.DECISION_CLOSING_SOON,
                f"decision.closing_soon:{decision.id}:{member}",
                ctx.household.id,
                member,
                decision.id,
                f"Vote closes soon: {decision.title}",
                f"Voting on “{decision.title}” closes {closes}; you have not voted yet.",
                {"title": decision.title, "closes_at": decision.closes_at.isoformat()},
            )


def _proposal_waiting(session: Session, ctx: Context) -> Iterator[Candidate]:
    quiet = timedelta(hours=ctx.settings.reminder_proposal_quiet_hours)
    proposals = session.scalars(
        select(Proposal).where(Proposal.household_id == ctx.household.id, Proposal.status == "open")
    )
    for proposal in proposals:
        # Only the current repetition: a worker back after days sends one, not the backlog.
        repetition = int((ctx.now - proposal.created_at) / quiet)
        if repetition < 1:
            continue
        answered = set(
            session.scalars(
                select(ProposalResponse.member_id).where(
                    ProposalResponse.proposal_id == proposal.id
                )
            )
        )
        for member in proposal.affected_member_ids:
            if member in answered or member not in ctx.members:
                continue
            yield Candidate(
                events.PROPOSAL_AWAITING_RESPONSE,
                f"proposal.awaiting_response:{proposal.id}:{member}:{repetition}",
                ctx.household.id,
                member,
                proposal.id,
                "A fairness proposal waits for your answer",
                proposal.rationale[:1500],
                {
                    "kind": proposal.kind,
                    "open_since": proposal.created_at.isoformat(),
                    "reminder": repetition,
                },
            )


def _check_in_due(session: Session, ctx: Context) -> Iterator[Candidate]:
    every = ctx.household.check_in_every_days
    if not every:
        return
    last: dict[str, date] = dict(
        session.execute(
            select(CheckIn.member_id, func.max(CheckIn.date))
            .where(CheckIn.household_id == ctx.household.id)
            .group_by(CheckIn.member_id)
        ).all()
    )
    zone = household_zone(ctx.household.timezone)
    for member_id, member in ctx.members.items():
        since = last.get(member_id) or member.created_at.astimezone(zone).date()
        due_on = since + timedelta(days=every)
        if due_on > ctx.today:
            continue
        yield Candidate(
            events.CHECK_IN_DUE,
            f"check_in.due:{member_id}:{due_on.isoformat()}",
            ctx.household.id,
            member_id,
            member_id,
            "Time for a check-in",
            f"How fair does it feel in {ctx.household.name}, and do you feel heard?",
            {"due_on": due_on.isoformat()},
        )


FINDERS: dict[str, Finder] = {
    events.CHORE_DUE.name: _chore_due,
    events.CHORE_OVERDUE.name: _chore_overdue,
    events.DECISION_CLOSING_SOON.name: _decision_closing,
    events.PROPOSAL_AWAITING_RESPONSE.name: _proposal_waiting,
    events.CHECK_IN_DUE.name: _check_in_due,
}
KINDS = tuple(FINDERS)
