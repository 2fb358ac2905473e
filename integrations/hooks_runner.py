"""The delivery loop: webhooks and MQTT, once a second, in whichever process runs it.

`fairstead worker` runs it, and so does the API process itself when
`FAIRSTEAD_DELIVER_IN_PROCESS` is on (the default, so `make run` delivers webhooks with no
second command). Running it in several processes at once is safe: deliveries are claimed
with leases (and `SKIP LOCKED` on PostgreSQL), and one process at a time publishes MQTT.
Once an hour it also forgets deliveries finished longer ago than the retention setting.
"""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from domain.db import unit_of_work
from domain.hooks.deliveries import prune
from domain.hooks.dispatch import FAN_OUT_LIMIT, deliver_due, fan_out_new
from domain.hooks.outbox import Outgoing
from domain.hooks.schedule import Outcome
from domain.settings import Settings
from domain.tables import utcnow

if TYPE_CHECKING:
    from integrations.webhooks import WebhookSender

log = logging.getLogger("fairstead.hooks")
BATCH = 50
PRUNE_EVERY = 3600.0  # seconds


def _webhook_sender(*, timeout: float, allow_private: bool, concurrency: int) -> "WebhookSender":
    from integrations.webhooks import WebhookSender

    return WebhookSender(timeout=timeout, allow_private=allow_private, concurrency=concurrency)


class CountingSender:
    """The sender, counting what it did since the last `take()`, and saying loudly, once,
    when this process's settings refuse a destination: the API may have accepted the URL
    under other settings (FAIRSTEAD_WEBHOOK_ALLOW_PRIVATE set there and not here).

    The sender is made on the first delivery: most servers never send a webhook, and httpx
    with its TLS context is some 8 MB of a server's memory (issue 17: RSS after start)."""

    def __init__(self, make: Callable[[], "WebhookSender"], *, allow_private: bool) -> None:
        self._make = make
        self._sender: WebhookSender | None = None
        self.allow_private = allow_private
        self._lock = threading.Lock()
        self._counts = {"sent": 0, "failed": 0, "refused": 0}
        self._warned = False

    @property
    def sender(self) -> "WebhookSender":
        with self._lock:
            if self._sender is None:
                self._sender = self._make()
            return self._sender

    def __call__(self, outgoing: Outgoing) -> Outcome:
        outcome = self.sender(outgoing)
        refused = outcome.error is not None and "refused:" in outcome.error
        with self._lock:
            self._counts["sent" if outcome.succeeded else "failed"] += 1
            self._counts["refused"] += refused
            warn, self._warned = refused and not self._warned, self._warned or refused
        if warn:
            log.warning(
                "webhook deliveries are refused by this process's settings "
                "(FAIRSTEAD_WEBHOOK_ALLOW_PRIVATE=%s): %s. If the API accepted this URL, its "
                "settings differ from this worker's; give both the same value. Said once; "
                "each refused attempt is recorded on the delivery.",
                str(self.allow_private).lower(),
                outcome.error,
            )
        return outcome

    def take(self) -> dict[str, int]:
        with self._lock:
            counts, self._counts = self._counts, dict.fromkeys(self._counts, 0)
        return counts

    def close(self) -> None:
        with self._lock:
            sender, self._sender = self._sender, None
        if sender is not None:
            sender.close()


class HookRunner:
    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.secret_key = settings.secret_key.get_secret_value() if settings.secret_key else None
        self.sender = CountingSender(
            partial(
                _webhook_sender,
                timeout=settings.webhook_timeout_seconds,
                allow_private=settings.webhook_allow_private,
                concurrency=settings.webhook_concurrency,
            ),
            allow_private=settings.webhook_allow_private,
        )
        self.published = 0
        self.executor = ThreadPoolExecutor(
            settings.webhook_concurrency, thread_name_prefix="fairstead-webhook"
        )
        self.mqtt = None
        if settings.mqtt_url:
            from integrations.mqtt import MqttBridge  # paho-mqtt is the optional [mqtt] extra

            self.mqtt = MqttBridge(
                url=settings.mqtt_url,
                engine=engine,
                topic_prefix=settings.mqtt_topic_prefix,
                discovery_prefix=settings.mqtt_discovery_prefix,
            )
        self.retention = timedelta(days=settings.webhook_retention_days)
        self._next_prune = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, now: datetime | None = None) -> int:
        """Deliver everything due (in batches) and publish new events; returns how many."""
        while fan_out_new(self.engine, now=now or utcnow()) >= FAN_OUT_LIMIT:
            pass  # a backlog (after downtime, or a burst): fan all of it out first
        done = 0
        while not self._stop.is_set():
            sent = deliver_due(
                self.engine,
                now=now or utcnow(),
                send=self.sender,
                secret_key=self.secret_key,
                batch=BATCH,
                executor=self.executor,
                stopping=self._stop.is_set,
            )
            done += sent
            if sent < BATCH:
                break
        if self.mqtt is not None:
            published = self.mqtt.publish_pending(now or utcnow())
            self.published += published
            done += published
        if time.monotonic() >= self._next_prune:
            with unit_of_work(self.engine) as session:
                prune(session, now=now or utcnow(), keep=self.retention)
            self._next_prune = time.monotonic() + PRUNE_EVERY
        return done

    def take_counts(self) -> dict[str, int]:
        """Deliveries sent, failed (refused among them) and MQTT messages published since
        the last call: the worker's line per pass."""
        counts = {**self.sender.take(), "mqtt_published": self.published}
        self.published = 0
        return counts

    def start(self, interval: float = 1.0) -> None:
        self._thread = threading.Thread(
            target=self._loop, args=(interval,), name="fairstead-hooks", daemon=True
        )
        self._thread.start()

    def _loop(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except OperationalError as exc:
                # Busy or unreachable: expected now and then, one line is enough.
                reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
                log.warning("delivery pass: database unavailable (%s); trying again", reason)
            except Exception:
                # A bug in one pass must not end delivery for good.
                log.exception("delivery pass failed; trying again")
            self._stop.wait(interval)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.executor.shutdown(wait=True)
        self.sender.close()
        if self.mqtt is not None:
            self.mqtt.close()
