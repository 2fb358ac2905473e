"""Deliveries as admins see them: listed with their attempts, redelivered on request, and
forgotten after the retention period."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.errors import Conflict, NotFound
from domain.hooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from domain.hooks.outbox import by_id
from domain.hooks.schedule import DeliveryStatus
from domain.paging import newest_id_first


def get_delivery(session: Session, *, subscription_id: str, delivery_id: str) -> WebhookDelivery:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription_id:
        raise NotFound("delivery not found")
    return delivery


def redeliver(
    session: Session, *, subscription: WebhookSubscription, delivery_id: str, now: datetime
) -> WebhookDelivery:
    """Queue one delivery again, now, with a fresh retry schedule; its history stays."""
    delivery = get_delivery(session, subscription_id=subscription.id, delivery_id=delivery_id)
    if not subscription.enabled:
        raise Conflict("the webhook is disabled: enable it before redelivering")
    delivery.status = DeliveryStatus.PENDING.value
    delivery.attempt_count = 0
    delivery.next_attempt_at = now
    delivery.lease_id = None
    delivery.finished_at = None
    return delivery


def list_deliveries(
    session: Session,
    *,
    subscription_id: str,
    status: DeliveryStatus | None,
    after: str | None,
    limit: int,
) -> list[WebhookDelivery]:
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status.value)
    query = newest_id_first(query, WebhookDelivery.id, after=after, limit=limit)
    return list(session.scalars(query))


def details_of(
    session: Session, deliveries: list[WebhookDelivery], *, attempts_each: int = 20
) -> tuple[dict[str, list[WebhookAttempt]], dict[str, Event]]:
    """The newest attempts of each delivery, and its event, for a page of deliveries."""
    ids = [d.id for d in deliveries]
    attempts: dict[str, list[WebhookAttempt]] = {i: [] for i in ids}
    for attempt in session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(ids))
        .order_by(WebhookAttempt.attempted_at.desc(), WebhookAttempt.id.desc())
    ):
        if len(attempts[attempt.delivery_id]) < attempts_each:
            attempts[attempt.delivery_id].append(attempt)
    return attempts, by_id(session, Event, {d.event_id for d in deliveries})


def prune(session: Session, *, now: datetime, keep: timedelta, limit: int = 5000) -> int:
    """Delete deliveries finished more than `keep` ago, with their attempts; the events stay
    in the activity feed. Returns how many went (at most `limit` a call)."""
    old = list(
        session.scalars(
            select(WebhookDelivery.id).where(WebhookDelivery.finished_at < now - keep).limit(limit)
        )
    )
    if old:
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(old)))
    return len(old)
