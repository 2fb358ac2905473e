"""Publishing events and household state to an MQTT broker, for Home Assistant.

Topics (prefix `FAIRSTEAD_MQTT_TOPIC_PREFIX`, default `fairstead`):
- `<prefix>/status`: `online`, or `offline` (the last will) — retained; every sensor's
  availability topic.
- `<prefix>/<household_id>/state`: the fairness summary (as `…/fairness/summary`),
  retained, republished after every event of that household.
- `<prefix>/<household_id>/events/<type>`: every event, as the webhook body
  `{type, timestamp, data}`; QoS 1, not retained.
- `<discovery prefix>/device/fairstead_<id>/config`: Home Assistant discovery, retained,
  sent again whenever Home Assistant announces itself (`<discovery prefix>/status` online).

One process publishes at a time (the feed's lease, see domain/hooks/feed.py): it connects
only while it holds the lease, so another process's last will cannot mark it offline. A
broker that is down costs nothing but a reconnect every few seconds; the cursor stays put
and publishing resumes where it stopped.
"""

import json
import logging
import threading
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import Engine, select
from sqlmodel import col

from domain.activity.events import HOUSEHOLD_CREATED, HOUSEHOLD_UPDATED, mqtt_suffix
from domain.db import unit_of_work
from domain.fairness.summary_fields import SummaryProvider, fairness_summary
from domain.hooks.feed import Feed
from domain.hooks.messages import body
from domain.households.models import Household
from domain.ids import new_id
from integrations.homeassistant.discovery import config_topic, device_config

log = logging.getLogger("fairstead.mqtt")
VERSION = "1.0.0"
# Events after which a household's device is announced again (its name is the device's).
_DEVICE_EVENTS = frozenset({HOUSEHOLD_CREATED.name, HOUSEHOLD_UPDATED.name})


class MqttBridge:
    def __init__(
        self,
        *,
        url: str,
        engine: Engine,
        topic_prefix: str = "fairstead",
        discovery_prefix: str = "homeassistant",
        summary: SummaryProvider = fairness_summary,
        max_reconnect_delay: int = 30,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise ValueError("FAIRSTEAD_MQTT_URL must look like mqtt://user:pass@host:1883")
        self.engine = engine
        self.prefix = topic_prefix
        self.discovery = discovery_prefix
        self.summary = summary
        self.feed = Feed("mqtt")
        self._host = parts.hostname
        self._port = parts.port or (8883 if parts.scheme == "mqtts" else 1883)
        self._announce = threading.Event()
        self._started = False
        self.client = paho.Client(
            CallbackAPIVersion.VERSION2, client_id=f"fairstead-{new_id()[-12:]}"
        )
        if parts.username:
            self.client.username_pw_set(unquote(parts.username), unquote(parts.password or ""))
        if parts.scheme == "mqtts":
            self.client.tls_set()
        self.client.will_set(self.status_topic, "offline", qos=1, retain=True)
        self.client.reconnect_delay_set(min_delay=1, max_delay=max_reconnect_delay)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message

    @property
    def status_topic(self) -> str:
        return f"{self.prefix}/status"

    @property
    def birth_topic(self) -> str:
        return f"{self.discovery}/status"

    def _on_connect(self, client: paho.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            log.warning("MQTT broker refused the connection: %s", reason)
            return
        client.publish(self.status_topic, "online", qos=1, retain=True)
        client.subscribe(self.birth_topic, qos=1)
        self._announce.set()  # the broker may have lost retained messages
        log.info("connected to MQTT broker %s:%s", self._host, self._port)

    def _on_message(self, _c: paho.Client, _u: Any, message: paho.MQTTMessage) -> None:
        if message.topic == self.birth_topic and message.payload == b"online":
            self._announce.set()

    def publish_pending(self, now: datetime) -> int:
        """One pass: take the lease, send discovery if due, new events and fresh states."""
        with unit_of_work(self.engine) as session:
            if not self.feed.acquire(session, now=now):
                self._stop_client()
                return 0
            self._start_client()
            if not self.client.is_connected():
                return 0
            events = self.feed.pending(session, now=now)
            announce = self._announce.is_set()
            self._announce.clear()
            wanted = None if announce else {e.household_id for e in events}
            query = select(Household)
            if wanted is not None:
                query = query.where(col(Household.id).in_(wanted))
            households = list(session.scalars(query))
            states = {h.id: self.summary(session, h, now) for h in households}
        # A household created or renamed since the last announcement is announced now, not
        # only when Home Assistant next restarts.
        changed = {e.household_id for e in events if e.type in _DEVICE_EVENTS}
        for household in households:
            if announce or household.id in changed:
                config = device_config(household, topic_prefix=self.prefix, version=VERSION)
                self._send(config_topic(self.discovery, household), config, retain=True)
        sent = []
        for event in events:
            topic = f"{self.prefix}/{event.household_id}/{mqtt_suffix(event.type)}"
            if not self._send(topic, body(event)):
                break
            sent.append(event.id)
        for household_id, state in states.items():
            self._send(f"{self.prefix}/{household_id}/state", state, retain=True)
        with unit_of_work(self.engine) as session:
            self.feed.published(session, event_ids=sent, now=now)
        return len(sent)

    def _send(self, topic: str, payload: Any, *, retain: bool = False) -> bool:
        text = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
        info = self.client.publish(topic, text, qos=1, retain=retain)
        return info.rc == paho.MQTT_ERR_SUCCESS

    def _start_client(self) -> None:
        if not self._started:
            self.client.connect_async(self._host, self._port, keepalive=30)
            self.client.loop_start()
            self._started = True

    def _stop_client(self) -> None:
        if self._started:
            self.client.disconnect()
            self.client.loop_stop()
            self._started = False

    def close(self) -> None:
        """A clean stop says `offline` itself (a clean disconnect sends no last will)."""
        if self._started and self.client.is_connected():
            info = self.client.publish(self.status_topic, "offline", qos=1, retain=True)
            info.wait_for_publish(timeout=2)
        self._stop_client()
