"""For the MQTT tests: the broker gate, a recording subscriber, and a TCP proxy that can play
"the broker went down" without touching the shared Mosquitto."""

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as paho
import pytest

BROKER = ("127.0.0.1", 1883)


def require_broker() -> None:
    """Skip when Mosquitto is not reachable on a laptop; under CI that is a failure."""
    try:
        socket.create_connection(BROKER, timeout=2).close()
    except OSError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Mosquitto at {BROKER[0]}:{BROKER[1]} is required under CI: {exc}")
        pytest.skip(f"Mosquitto at {BROKER[0]}:{BROKER[1]} not reachable: MQTT tests skipped")


@dataclass(frozen=True)
class Message:
    topic: str
    payload: bytes
    retain: bool

    def json(self) -> Any:
        return json.loads(self.payload)


class Subscriber:
    def __init__(self, *topics: str) -> None:
        self.messages: list[Message] = []
        self._lock = threading.Lock()
        subscribed = threading.Event()
        self.client = paho.Client(paho.CallbackAPIVersion.VERSION2)
        self.client.on_connect = lambda c, *_: c.subscribe([(t, 1) for t in topics])
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.on_message = self._record
        self.client.connect(*BROKER)
        self.client.loop_start()
        assert subscribed.wait(10), "could not subscribe"

    def _record(self, _c: Any, _u: Any, message: paho.MQTTMessage) -> None:
        with self._lock:
            self.messages.append(Message(message.topic, message.payload, bool(message.retain)))

    def wait_for(self, match: Callable[[Message], bool], timeout: float = 10) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = [m for m in self.messages if match(m)]
            if found:
                return found[-1]
            time.sleep(0.02)
        raise AssertionError(f"no matching message among {[m.topic for m in self.messages]}")

    def on(self, topic: str, timeout: float = 10) -> Message:
        return self.wait_for(lambda m: m.topic == topic, timeout)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def clear_retained(topics: list[str]) -> None:
    client = paho.Client(paho.CallbackAPIVersion.VERSION2)
    client.connect(*BROKER)
    client.loop_start()
    for topic in topics:
        client.publish(topic, b"", qos=1, retain=True).wait_for_publish(5)
    client.disconnect()
    client.loop_stop()


class Proxy:
    """127.0.0.1:<port> → the broker; `down()` drops every connection and stops listening,
    `up()` listens on the same port again."""

    def __init__(self) -> None:
        self.port = 0
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(BROKER)
            self._sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()

    def down(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread in accept()
            self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._sockets.clear()


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_RDWR)
