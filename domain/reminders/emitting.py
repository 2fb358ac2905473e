"""The reminder job: every reminder due now is recorded once, as an event (so it goes out
through webhooks and MQTT like every event) and as deliveries to the member's targets.

"Once" rests on the unique `sent_reminders.key`, not on looking first: two workers that find
the same occasion both insert it, one insert wins and the other's savepoint rolls back.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity.service import SYSTEM, record
from domain.chores.members import local_day
from domain.households.members import household_members
from domain.households.models import Household
from domain.recurrence import household_zone
from domain.reminders.finding import FINDERS, Candidate, Context
from domain.reminders.models import NotificationTarget, ReminderDelivery, SentReminder
from domain.reminders.quiet import release
from domain.settings import get_settings


def _emit(session: Session, household: Household, candidate: Candidate, now: datetime) -> bool:
    try:
        with session.begin_nested():
            event = record(
                session,
                household_id=candidate.household_id,
                type=candidate.kind,
                subject_id=candidate.subject_id,
                actor=SYSTEM,
                data={**candidate.data, "member_id": candidate.member_id},
            )
            reminder = SentReminder(
                household_id=candidate.household_id,
                member_id=candidate.member_id,
                kind=candidate.kind.name,
                subject_id=candidate.subject_id,
                key=candidate.key,
                event_id=event.id,
                sent_at=now,
            )
            session.add(reminder)
            session.flush()
    except IntegrityError:
        return False  # another worker sent it first
    zone = household_zone(household.timezone)
    targets = session.scalars(
        select(NotificationTarget).where(col(NotificationTarget.member_id) == candidate.member_id)
    )
    for target in targets:
        if candidate.kind.name in target.reminders:
            session.add(
                ReminderDelivery(
                    reminder_id=reminder.id,
                    target_id=target.id,
                    title=candidate.title[:200],
                    body=candidate.body[:2000],
                    not_before=release(now, zone, target.quiet_from, target.quiet_to),
                )
            )
    return True


def send_due_reminders(session: Session, *, now: datetime) -> int:
    """One pass over every household; returns how many reminders were sent."""
    settings = get_settings()
    sent = 0
    for household in session.scalars(select(Household).order_by(Household.id)):
        members = {m.id: m for m in household_members(session, household.id).values() if m.active}
        ctx = Context(household, members, now, local_day(household, now), settings)
        # In key order: two workers inserting the same keys in the same order wait for each
        # other instead of deadlocking (PostgreSQL).
        found = (c for finder in FINDERS.values() for c in finder(session, ctx))
        candidates = sorted(found, key=lambda c: c.key)
        if not candidates:
            continue
        keys = [c.key for c in candidates]
        known = set(
            session.scalars(select(col(SentReminder.key)).where(col(SentReminder.key).in_(keys)))
        )
        for candidate in candidates:
            if candidate.key not in known and _emit(session, household, candidate, now):
                sent += 1
    return sent
