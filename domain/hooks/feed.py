"""Reading the events table for a publisher that keeps no row per event (MQTT).

A cursor row remembers the largest event id published. Events can commit out of id order
(see outbox.py), so every pass also looks `LOOKBACK` behind the clock and skips the ids it
has already published this run. Only one process publishes at a time: whoever holds the
cursor's lease, renewed on every pass; when it stops, another takes over after `LEASE`,
assuming everything up to the cursor was published (at most a pass is sent twice).
"""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity.models import Event
from domain.hooks.messages import id_floor
from domain.hooks.models import HookCursor
from domain.hooks.outbox import LOOKBACK
from domain.ids import new_id

LEASE = timedelta(seconds=30)
_SCAN = 500


class Feed:
    def __init__(self, name: str) -> None:
        self.name = name
        self.owner = new_id()
        self._seen: set[str] | None = None

    def acquire(self, session: Session, *, now: datetime) -> bool:
        """Take or renew the lease; False while another process holds it."""
        cursor = session.get(HookCursor, self.name, with_for_update=True)
        if cursor is None:
            return self._create(session, now)
        held_elsewhere = cursor.owner != self.owner
        if held_elsewhere and cursor.lease_until is not None and cursor.lease_until > now:
            self._seen = None
            return False
        if held_elsewhere:
            self._seen = None
        cursor.owner, cursor.lease_until = self.owner, now + LEASE
        return True

    def _create(self, session: Session, now: datetime) -> bool:
        """A new feed starts at the present: it does not replay the household's history."""
        try:
            with session.begin_nested():
                session.add(
                    HookCursor(
                        name=self.name,
                        after_id=id_floor(now),
                        owner=self.owner,
                        lease_until=now + LEASE,
                        updated_at=now,
                    )
                )
        except IntegrityError:
            return False
        # None: `pending` counts every event up to the new cursor as seen, including those
        # of the last LOOKBACK, which would otherwise go out as news on the first start.
        self._seen = None
        return True

    def pending(self, session: Session, *, now: datetime, limit: int = 200) -> list[Event]:
        """Household events not yet published, oldest first. Call after `acquire`."""
        cursor = session.get(HookCursor, self.name)
        assert cursor is not None, "acquire the feed first"
        floor = min(cursor.after_id, id_floor(now - LOOKBACK))
        if self._seen is None:
            self._seen = set(
                session.scalars(
                    select(col(Event.id)).where(
                        col(Event.id) > floor, col(Event.id) <= cursor.after_id
                    )
                )
            )
        out: list[Event] = []
        after = floor
        while len(out) < limit:
            rows = list(
                session.scalars(
                    select(Event)
                    .where(col(Event.id) > after, col(Event.household_id).is_not(None))
                    .order_by(col(Event.id))
                    .limit(_SCAN)
                )
            )
            out.extend(e for e in rows if e.id not in self._seen)
            if len(rows) < _SCAN:
                break
            after = rows[-1].id
        return out[:limit]

    def published(self, session: Session, *, event_ids: list[str], now: datetime) -> None:
        cursor = session.get(HookCursor, self.name)
        if cursor is None or cursor.owner != self.owner:
            return
        floor = id_floor(now - LOOKBACK)
        seen = (self._seen or set()) | set(event_ids)
        self._seen = {i for i in seen if i > floor}
        if event_ids:
            cursor.after_id = max(cursor.after_id, *event_ids)
        cursor.updated_at = now
