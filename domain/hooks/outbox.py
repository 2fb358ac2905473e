"""The webhook outbox: fan new events out into deliveries, claim due ones, settle attempts.

Fan-out reads the `events` table past each subscription's watermark. Event ids are UUIDv7,
made when the event is built, not when its transaction commits, so an event can become
visible after events with larger ids: a watermark moved to "the largest id seen" would skip
it. So the watermark trails the clock by `LOOKBACK`, everything above it is considered on
every pass, and the unique (subscription, event) constraint plus an anti-join make a second
look free. A transaction open for longer than `LOOKBACK` is the only way to miss an event.

Claiming moves a delivery's `next_attempt_at` a `LEASE` ahead and stamps a `lease_id`, in a
short transaction of its own (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so workers never
wait for each other). The HTTP call happens outside any transaction; a worker that dies
before settling leaves a row that simply comes due again when the lease runs out.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select, tuple_, update
from sqlalchemy.orm import Session

from domain.activity.events import WEBHOOK_DISABLED
from domain.activity.models import Event
from domain.activity.service import SYSTEM, record
from domain.hooks.catalog import matches
from domain.hooks.messages import body, id_floor
from domain.hooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from domain.hooks.schedule import DeliveryStatus, Outcome, next_attempt_at
from domain.hooks.subscriptions import signing_secrets
from domain.ids import new_id

LOOKBACK = timedelta(minutes=10)
LEASE = timedelta(minutes=5)
_SCAN = 500
_INSERT_CHUNK = 100
MAX_EXCERPT = 1024


@dataclass(frozen=True)
class Outgoing:
    """One claimed delivery, with everything the sender needs and nothing it must look up."""

    delivery_id: str
    lease_id: str
    url: str
    secrets: tuple[str, ...]
    body: str
    event_type: str


def fan_out(session: Session, *, now: datetime, limit: int = 2000) -> int:
    """Create a pending delivery for every (enabled subscription, matching event) that has
    none yet; returns how many were created."""
    made, after, complete = 0, None, False
    while made < limit:
        query = (
            select(Event.id, Event.type, WebhookSubscription.id, WebhookSubscription.events)
            .join(WebhookSubscription, WebhookSubscription.household_id == Event.household_id)
            .where(
                WebhookSubscription.enabled,
                Event.id > WebhookSubscription.fanout_after_id,
                ~exists().where(
                    WebhookDelivery.subscription_id == WebhookSubscription.id,
                    WebhookDelivery.event_id == Event.id,
                ),
            )
        )
        if after is not None:
            query = query.where(tuple_(Event.id, WebhookSubscription.id) > after)
        rows = session.execute(query.order_by(Event.id, WebhookSubscription.id).limit(_SCAN)).all()
        wanted = [
            _new_delivery(subscription_id, event_id, event_type, now)
            for event_id, event_type, subscription_id, patterns in rows
            if matches(patterns, event_type)
        ]
        made += _insert_missing(session, wanted)
        if len(rows) < _SCAN:
            complete = True
            break
        after = tuple_(rows[-1][0], rows[-1][2])
    if complete:
        _advance_watermarks(session, now)
    return made


def _new_delivery(
    subscription_id: str, event_id: str, event_type: str, now: datetime
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "subscription_id": subscription_id,
        "event_id": event_id,
        "event_type": event_type,
        "status": DeliveryStatus.PENDING.value,
        "attempt_count": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def _insert_missing(session: Session, rows: list[dict[str, Any]]) -> int:
    """INSERT … ON CONFLICT DO NOTHING, which both dialects spell the same way."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        insert: Any = postgresql_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        insert = sqlite_insert
    inserted = 0
    for start in range(0, len(rows), _INSERT_CHUNK):
        statement = (
            insert(WebhookDelivery)
            .values(rows[start : start + _INSERT_CHUNK])
            .on_conflict_do_nothing(index_elements=["subscription_id", "event_id"])
        )
        inserted += session.execute(statement).rowcount
    return inserted


def _advance_watermarks(session: Session, now: datetime) -> None:
    """Only when a watermark lags by two lookbacks, so this writes rarely, not every pass."""
    session.execute(
        update(WebhookSubscription)
        .where(
            WebhookSubscription.enabled,
            WebhookSubscription.fanout_after_id < id_floor(now - 2 * LOOKBACK),
        )
        .values(fanout_after_id=id_floor(now - LOOKBACK))
    )


def claim_due(
    session: Session,
    *,
    now: datetime,
    limit: int,
    secret_key: str | None,
    lease: timedelta = LEASE,
) -> list[Outgoing]:
    """Due deliveries, leased to the caller, with their signing secrets opened with
    `secret_key` (FAIRSTEAD_SECRET_KEY)."""
    due = list(
        session.scalars(
            select(WebhookDelivery)
            .join(
                WebhookSubscription,
                WebhookSubscription.id == WebhookDelivery.subscription_id,
            )
            .where(
                WebhookSubscription.enabled,
                WebhookDelivery.status == DeliveryStatus.PENDING.value,
                WebhookDelivery.next_attempt_at <= now,
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True, of=WebhookDelivery)
        )
    )
    if not due:
        return []
    events = by_id(session, Event, {d.event_id for d in due})
    subscriptions = by_id(session, WebhookSubscription, {d.subscription_id for d in due})
    claimed = []
    for delivery in due:
        delivery.lease_id = new_id()
        delivery.next_attempt_at = now + lease
        subscription = subscriptions[delivery.subscription_id]
        claimed.append(
            Outgoing(
                delivery_id=delivery.id,
                lease_id=delivery.lease_id,
                url=subscription.url,
                secrets=signing_secrets(subscription, now, secret_key=secret_key),
                body=body(events[delivery.event_id]),
                event_type=delivery.event_type,
            )
        )
    session.flush()
    return claimed


def by_id(session: Session, model: Any, ids: Iterable[str]) -> dict[str, Any]:
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}


def settle(session: Session, *, results: Sequence[tuple[Outgoing, Outcome]], now: datetime) -> None:
    """Record each attempt; move a delivery on only if this worker still holds its lease."""
    ids = [outgoing.delivery_id for outgoing, _ in results]
    deliveries = {
        d.id: d
        for d in session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.id.in_(ids)).with_for_update()
        )
    }
    for outgoing, outcome in results:
        delivery = deliveries.get(outgoing.delivery_id)
        if delivery is not None:  # None: the webhook was deleted meanwhile, deliveries too
            _settle_one(session, delivery, outgoing, outcome, now)


def release(session: Session, *, claimed: Sequence[Outgoing], now: datetime) -> None:
    """Give back deliveries claimed but never sent: due now, for whichever worker comes."""
    for outgoing in claimed:
        session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == outgoing.delivery_id,
                WebhookDelivery.lease_id == outgoing.lease_id,
            )
            .values(lease_id=None, next_attempt_at=now)
        )


def _settle_one(
    session: Session,
    delivery: WebhookDelivery,
    outgoing: Outgoing,
    outcome: Outcome,
    now: datetime,
) -> None:
    attempt = WebhookAttempt(
        delivery_id=delivery.id,
        attempted_at=now,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        response_excerpt=(outcome.response_excerpt or "")[:MAX_EXCERPT] or None,
        error=outcome.error[:500] if outcome.error else None,
    )
    session.add(attempt)
    if delivery.lease_id != outgoing.lease_id:
        return  # the lease ran out and another worker has it now: that one decides
    delivery.lease_id = None
    delivery.attempt_count += 1
    delivery.last_status_code = outcome.status_code
    if outcome.succeeded:
        _finish(delivery, DeliveryStatus.SUCCEEDED, now)
    elif outcome.gone:
        _finish(delivery, DeliveryStatus.FAILED, now)
        _disable(session, delivery.subscription_id)
    else:
        attempt.next_attempt_at = next_attempt_at(delivery.attempt_count, now)
        delivery.next_attempt_at = attempt.next_attempt_at
        if attempt.next_attempt_at is None:
            _finish(delivery, DeliveryStatus.FAILED, now)


def _finish(delivery: WebhookDelivery, status: DeliveryStatus, now: datetime) -> None:
    delivery.status = status.value
    delivery.next_attempt_at = None
    delivery.finished_at = now


def _disable(session: Session, subscription_id: str) -> None:
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None or not subscription.enabled:
        return
    subscription.enabled = False
    subscription.disabled_reason = "the receiver answered 410 Gone"
    subscription.version += 1
    record(
        session,
        household_id=subscription.household_id,
        type=WEBHOOK_DISABLED,
        subject_id=subscription.id,
        actor=SYSTEM,
        data={"reason": subscription.disabled_reason},
    )
