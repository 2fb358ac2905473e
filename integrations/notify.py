"""Reminders to people, through Apprise (ntfy, e-mail, Matrix, Telegram, Gotify, …).

A target's URL is checked when it is saved: Apprise must know its scheme, and a plain HTTP
target (`json://`, `xml://`, `form://` and their `s` forms) must not point at a private or
loopback address unless FAIRSTEAD_WEBHOOK_ALLOW_PRIVATE says so, as for webhooks. Sending
claims each delivery first (a conditional UPDATE), so two workers never send one twice.
"""

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import or_, update
from sqlalchemy.orm import Session
from sqlmodel import col, select

from domain.errors import InvalidInput
from domain.reminders.models import NotificationTarget, ReminderDelivery
from domain.reminders.targets import UrlUnreadable, target_url
from domain.settings import get_settings
from integrations.ssrf import url_vetter

log = logging.getLogger("fairstead.notify")
_HTTP_SCHEMES = {"json", "jsons", "xml", "xmls", "form", "forms"}
CLAIM = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BATCH = 100


def check_url(url: str, *, allow_private: bool) -> str:
    """The URL masked for display, or InvalidInput when Apprise cannot use it."""
    import apprise  # on first use: it and its plugins weigh some 17 MB, most servers never send

    plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if not plugin:
        raise InvalidInput("Apprise does not recognise this URL", field="url")
    scheme = urlsplit(url).scheme.lower()
    if scheme in _HTTP_SCHEMES:
        http = "https" if scheme.endswith("s") else "http"
        url_vetter(allow_private=allow_private)(f"{http}:{url.split(':', 1)[1]}")
    private: str = plugin.url(privacy=True)  # type: ignore[no-untyped-call]  # apprise is untyped
    return _mask(private)


def _mask(private: str) -> str:
    """Apprise stars passwords and tokens; a path can be a secret too (an ntfy topic, a
    webhook id), so each path segment keeps only its first and last character, and the
    options go."""
    parts = urlsplit(private)
    segments = [s if len(s) <= 2 else f"{s[0]}…{s[-1]}" for s in parts.path.split("/")]
    return f"{parts.scheme}://{parts.netloc}{'/'.join(segments)}"[:500]


def _send(url: str, title: str, body: str) -> bool:
    import apprise

    notifier = apprise.Apprise()
    if not notifier.add(url):
        return False
    return bool(notifier.notify(title=title, body=body))


def deliver_reminders(session: Session, now: datetime) -> int:
    """Send the deliveries whose quiet hours are over; returns how many were sent."""
    settings = get_settings()
    secret_key = settings.secret_key.get_secret_value() if settings.secret_key else None
    due = session.scalars(
        select(ReminderDelivery)
        .where(
            col(ReminderDelivery.sent_at).is_(None),
            col(ReminderDelivery.not_before) <= now,
            col(ReminderDelivery.attempts) < MAX_ATTEMPTS,
            or_(
                col(ReminderDelivery.claimed_until).is_(None),
                col(ReminderDelivery.claimed_until) < now,
            ),
        )
        .order_by(col(ReminderDelivery.not_before), col(ReminderDelivery.id))
        .limit(BATCH)
    ).all()
    sent = 0
    for delivery in due:
        claimed = session.execute(
            update(ReminderDelivery)
            .where(
                col(ReminderDelivery.id) == delivery.id,
                col(ReminderDelivery.sent_at).is_(None),
                or_(
                    col(ReminderDelivery.claimed_until).is_(None),
                    col(ReminderDelivery.claimed_until) < now,
                ),
            )
            .values(claimed_until=now + CLAIM, attempts=ReminderDelivery.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another worker has it
        target = session.get(NotificationTarget, delivery.target_id)
        session.refresh(delivery)
        if target is None:
            continue
        try:
            ok = _send(target_url(target, secret_key=secret_key), delivery.title, delivery.body)
            error = None if ok else "the notification service did not accept it"
        except UrlUnreadable:
            ok, error = (
                False,
                (
                    "the URL cannot be decrypted with the current FAIRSTEAD_SECRET_KEY: "
                    "enter it again (PATCH the target's url)"
                ),
            )
        except Exception:  # Apprise plugins raise what their libraries raise
            log.exception("notification target %s failed", target.id)
            ok, error = False, "sending failed"
        if ok:
            delivery.sent_at = now
            sent += 1
        else:
            delivery.last_error = error
            delivery.claimed_until = now + CLAIM * delivery.attempts  # back off
    return sent
