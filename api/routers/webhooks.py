"""Webhooks: subscriptions, their deliveries, secret rotation and redelivery. Admins only:
a subscription holds its signing secret, and its URL receives the household's events."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from api.deps import AdminHousehold, DbSession, Now, Settings_
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, encode_cursor, page
from api.responses import errors
from api.schemas import hooks as schemas
from domain.hooks import deliveries
from domain.hooks import subscriptions as service
from domain.hooks.messages import envelope
from domain.hooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from domain.hooks.schedule import DeliveryStatus
from domain.settings import Settings
from integrations.ssrf import url_vetter

router = APIRouter(prefix="/v1/households/{household_id}/webhooks", tags=["webhooks"])
WebhookId = Annotated[str, Path(max_length=36)]
DeliveryId = Annotated[str, Path(max_length=36)]


def render(subscription: WebhookSubscription) -> schemas.Webhook:
    return schemas.Webhook.model_validate(subscription, from_attributes=True)


def render_with_secret(subscription: WebhookSubscription, secret: str) -> schemas.WebhookWithSecret:
    """The stored secret is sealed; the one shown is the clear one the service handed back."""
    return schemas.WebhookWithSecret(**render(subscription).model_dump(), secret=secret)


def secret_key(settings: Settings) -> str | None:
    return settings.secret_key.get_secret_value() if settings.secret_key else None


@router.get("", response_model=Page[schemas.Webhook], responses=errors(401, 403, 404, 422))
def list_webhooks(
    membership: AdminHousehold, session: DbSession, paging: Paging
) -> Page[schemas.Webhook]:
    rows = service.list_subscriptions(
        session, household_id=membership.household.id, after=paging.after, limit=paging.fetch
    )
    return page(rows, paging, render, lambda s: s.id)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.WebhookWithSecret,
    responses=errors(401, 403, 404, 409, 422),
)
def create_webhook(
    body: schemas.WebhookCreate,
    membership: AdminHousehold,
    session: DbSession,
    settings: Settings_,
    response: Response,
    at: Now,
) -> schemas.WebhookWithSecret:
    """The response holds the signing secret: store it, it is not shown again. The server
    keeps it encrypted with FAIRSTEAD_SECRET_KEY; without that setting this is 409."""
    subscription, secret = service.create_subscription(
        session,
        household_id=membership.household.id,
        actor=membership.actor,
        url=body.url,
        events=body.events,
        description=body.description,
        enabled=body.enabled,
        vet_url=url_vetter(allow_private=settings.webhook_allow_private),
        secret_key=secret_key(settings),
        now=at,
    )
    set_etag(response, subscription.version)
    response.headers["Location"] = (
        f"/v1/households/{subscription.household_id}/webhooks/{subscription.id}"
    )
    response.headers["Cache-Control"] = "no-store"  # never kept for Idempotency-Key replay
    return render_with_secret(subscription, secret)


@router.get("/{webhook_id}", response_model=schemas.Webhook, responses=errors(401, 403, 404))
def get_webhook(
    webhook_id: WebhookId, membership: AdminHousehold, session: DbSession, response: Response
) -> schemas.Webhook:
    subscription = service.get_subscription(
        session, household_id=membership.household.id, subscription_id=webhook_id
    )
    set_etag(response, subscription.version)
    return render(subscription)


@router.patch(
    "/{webhook_id}",
    response_model=schemas.Webhook,
    responses=errors(401, 403, 404, 412, 422),
)
def update_webhook(
    webhook_id: WebhookId,
    body: schemas.WebhookUpdate,
    membership: AdminHousehold,
    session: DbSession,
    settings: Settings_,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.Webhook:
    """Re-enabling a webhook starts with new events; those in between are not queued."""
    subscription = service.get_subscription(
        session, household_id=membership.household.id, subscription_id=webhook_id
    )
    check_if_match(request, subscription.version)
    service.update_subscription(
        session,
        subscription=subscription,
        actor=membership.actor,
        changes=body.changes(),
        vet_url=url_vetter(allow_private=settings.webhook_allow_private),
        now=at,
    )
    set_etag(response, subscription.version)
    return render(subscription)


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 412),
)
def delete_webhook(
    webhook_id: WebhookId, membership: AdminHousehold, session: DbSession, request: Request
) -> None:
    """Its pending deliveries are dropped and its delivery history goes with it."""
    subscription = service.get_subscription(
        session, household_id=membership.household.id, subscription_id=webhook_id
    )
    check_if_match(request, subscription.version)
    service.delete_subscription(session, subscription=subscription, actor=membership.actor)


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=schemas.WebhookWithSecret,
    responses=errors(401, 403, 404, 409, 412),
)
def rotate_webhook_secret(
    webhook_id: WebhookId,
    membership: AdminHousehold,
    session: DbSession,
    settings: Settings_,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.WebhookWithSecret:
    """A new secret signs from now on; for 24 hours the previous one signs too (two
    signatures in `webhook-signature`), so receivers can switch without missing one."""
    subscription = service.get_subscription(
        session, household_id=membership.household.id, subscription_id=webhook_id
    )
    check_if_match(request, subscription.version)
    secret = service.rotate_secret(
        session,
        subscription=subscription,
        actor=membership.actor,
        secret_key=secret_key(settings),
        now=at,
    )
    set_etag(response, subscription.version)
    response.headers["Cache-Control"] = "no-store"  # never kept for Idempotency-Key replay
    return render_with_secret(subscription, secret)


def _render_deliveries(session: Session, rows: list[WebhookDelivery]) -> list[schemas.Delivery]:
    attempts, events = deliveries.details_of(session, rows)
    return [
        schemas.Delivery(
            id=d.id,
            event_id=d.event_id,
            event_type=d.event_type,
            status=DeliveryStatus(d.status),
            attempt_count=d.attempt_count,
            next_attempt_at=d.next_attempt_at,
            last_status_code=d.last_status_code,
            created_at=d.created_at,
            finished_at=d.finished_at,
            payload=envelope(events[d.event_id]) if d.event_id in events else None,
            attempts=[_attempt(a) for a in attempts[d.id]],
        )
        for d in rows
    ]


def _attempt(attempt: WebhookAttempt) -> schemas.Attempt:
    return schemas.Attempt.model_validate(attempt, from_attributes=True)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=Page[schemas.Delivery],
    responses=errors(401, 403, 404, 422),
)
def list_webhook_deliveries(
    webhook_id: WebhookId,
    membership: AdminHousehold,
    session: DbSession,
    paging: Paging,
    status_: Annotated[
        DeliveryStatus | None, Query(alias="status", description="Only deliveries in this state.")
    ] = None,
) -> Page[schemas.Delivery]:
    """Newest first, each with its attempts: status code, duration, response excerpt, error,
    and when the next attempt is due."""
    subscription = service.get_subscription(
        session, household_id=membership.household.id, subscription_id=webhook_id
    )
    rows = deliveries.list_deliveries(
        session,
        subscription_id=subscription.id,
        status=status_,
        after=paging.after,
        limit=paging.fetch,
    )
    shown = rows[: paging.limit]
    more = len(rows) > paging.limit
    return Page[schemas.Delivery](
        data=_render_deliveries(session, shown),
        next_cursor=encode_cursor(shown[-1].id) if more else None,
    )


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=schemas.Delivery,
    responses=errors(401, 403, 404, 409),
)
def redeliver_webhook_delivery(
    webhook_id: WebhookId,
    delivery_id: DeliveryId,
    membership: AdminHousehold,
    session: DbSession,
    at: Now,
) -> schemas.Delivery:
    """Queue the delivery again now, with the same `webhook-id` and body and a fresh retry
    schedule; its past attempts stay in its history."""
    subscription = service.get_subscription(
        session, household_id=membership.household.id, subscription_id=webhook_id
    )
    delivery = deliveries.redeliver(
        session, subscription=subscription, delivery_id=delivery_id, now=at
    )
    return _render_deliveries(session, [delivery])[0]
