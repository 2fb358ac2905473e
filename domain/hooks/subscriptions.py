"""Webhook subscriptions: create, change, rotate the secret, delete.

Whether a URL's host may be called (the SSRF policy) needs DNS, which is the outside world:
the caller passes `vet_url`, which raises `InvalidInput` for a refused destination.
"""

import base64
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity.events import WEBHOOK_CREATED, WEBHOOK_DELETED, WEBHOOK_UPDATED, EventType
from domain.activity.service import Actor, record
from domain.errors import Conflict, InvalidInput
from domain.hooks.catalog import is_known_pattern
from domain.hooks.messages import id_floor
from domain.hooks.models import WebhookSubscription
from domain.hooks.signing_keys import SecretsUnreadable, seal_secret, unseal_secret
from domain.paging import newest_id_first
from domain.scoping import get_in_household

MAX_URL_LENGTH = 2000
MAX_PER_HOUSEHOLD = 25
# During a rotation both secrets sign, so receivers can switch without dropping a delivery.
ROTATION_OVERLAP = timedelta(hours=24)
SECRET_PREFIX = "whsec_"

UrlVetter = Callable[[str], None]


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def check_url(url: str) -> None:
    """The syntax rules; where it points is `vet_url`'s business."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput(f"the URL is longer than {MAX_URL_LENGTH} characters", field="url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(f"not a valid URL: {exc}", field="url") from exc
    if parts.scheme not in ("http", "https"):
        raise InvalidInput("the URL must start with http:// or https://", field="url")
    if not parts.hostname:
        raise InvalidInput("the URL has no host", field="url")
    if port == 0:
        raise InvalidInput("the URL's port must be 1-65535", field="url")
    if parts.fragment:
        raise InvalidInput("the URL may not have a #fragment", field="url")


def check_events(events: list[str]) -> list[str]:
    for position, pattern in enumerate(events):
        if not is_known_pattern(pattern):
            raise InvalidInput(
                f"'{pattern}' is not an event type, '<resource>.*' or '*'",
                field=f"events.{position}",
            )
    return list(dict.fromkeys(events))


def create_subscription(
    session: Session,
    *,
    household_id: str,
    actor: Actor,
    url: str,
    events: list[str],
    description: str | None,
    enabled: bool,
    vet_url: UrlVetter,
    secret_key: str | None,
    now: datetime,
) -> tuple[WebhookSubscription, str]:
    """The new subscription and its signing secret in the clear (shown once; stored sealed)."""
    check_url(url)
    events = check_events(events)
    vet_url(url)
    existing = session.scalar(
        select(func.count())
        .select_from(WebhookSubscription)
        .where(col(WebhookSubscription.household_id) == household_id)
    )
    if (existing or 0) >= MAX_PER_HOUSEHOLD:
        raise Conflict(f"a household can have at most {MAX_PER_HOUSEHOLD} webhooks")
    secret = new_secret()
    subscription = WebhookSubscription(
        household_id=household_id,
        url=url,
        events=events,
        description=description,
        enabled=enabled,
        secret=seal_secret(secret, secret_key=secret_key),
        fanout_after_id=id_floor(now),
        created_at=now,
    )
    session.add(subscription)
    session.flush()
    _record(session, subscription, WEBHOOK_CREATED, actor, {"host": _host(url)})
    return subscription, secret


def get_subscription(
    session: Session, *, household_id: str, subscription_id: str
) -> WebhookSubscription:
    return get_in_household(
        session, WebhookSubscription, subscription_id, household_id, what="webhook"
    )


def list_subscriptions(
    session: Session, *, household_id: str, after: str | None, limit: int
) -> list[WebhookSubscription]:
    query = select(WebhookSubscription).where(col(WebhookSubscription.household_id) == household_id)
    query = newest_id_first(query, col(WebhookSubscription.id), after=after, limit=limit)
    return list(session.scalars(query))


def update_subscription(
    session: Session,
    *,
    subscription: WebhookSubscription,
    actor: Actor,
    changes: dict[str, Any],
    vet_url: UrlVetter,
    now: datetime,
) -> WebhookSubscription:
    """Applies `url`, `events`, `description` and `enabled` from `changes`.

    Re-enabling starts from new events: what happened while it was off is not queued up,
    though deliveries queued before it was turned off resume.
    """
    if "url" in changes:
        url = str(changes["url"])
        check_url(url)
        vet_url(url)
        subscription.url = url
    if "events" in changes:
        subscription.events = check_events(list(changes["events"]))
    if "description" in changes:
        subscription.description = changes["description"]
    if "enabled" in changes:
        enabled = bool(changes["enabled"])
        if enabled and not subscription.enabled:
            subscription.fanout_after_id = id_floor(now)
            subscription.disabled_reason = None
        elif not enabled and subscription.enabled:
            subscription.disabled_reason = "disabled by an admin"
        subscription.enabled = enabled
    subscription.version += 1
    subscription.updated_at = now
    _record(session, subscription, WEBHOOK_UPDATED, actor, {"fields": sorted(changes)})
    return subscription


def rotate_secret(
    session: Session,
    *,
    subscription: WebhookSubscription,
    actor: Actor,
    secret_key: str | None,
    now: datetime,
) -> str:
    """A new secret signs from now on; the old one also signs for `ROTATION_OVERLAP`.
    Returns the new secret in the clear (shown once; stored sealed)."""
    secret = new_secret()
    sealed = seal_secret(secret, secret_key=secret_key)
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = now + ROTATION_OVERLAP
    subscription.secret = sealed
    subscription.version += 1
    subscription.updated_at = now
    _record(session, subscription, WEBHOOK_UPDATED, actor, {"fields": ["secret"]})
    return secret


def signing_secrets(
    subscription: WebhookSubscription, now: datetime, *, secret_key: str | None
) -> tuple[str, ...]:
    """The secrets that sign a delivery now, in the clear. The current one must open; a
    previous one sealed under another key (rotated after a key change) is left out."""
    current = unseal_secret(subscription.secret, secret_key=secret_key)
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret is not None and expires is not None and expires > now:
        try:
            return (current, unseal_secret(subscription.previous_secret, secret_key=secret_key))
        except SecretsUnreadable:
            pass
    return (current,)


def delete_subscription(
    session: Session, *, subscription: WebhookSubscription, actor: Actor
) -> None:
    """Its deliveries and their attempts go with it."""
    _record(session, subscription, WEBHOOK_DELETED, actor, {"host": _host(subscription.url)})
    session.delete(subscription)


def _host(url: str) -> str:
    """What the activity feed shows of a URL: never its path or credentials."""
    return urlsplit(url).hostname or ""


def _record(
    session: Session,
    subscription: WebhookSubscription,
    type: EventType,
    actor: Actor,
    data: dict[str, object],
) -> None:
    record(
        session,
        household_id=subscription.household_id,
        type=type,
        subject_id=subscription.id,
        actor=actor,
        data=data,
    )
