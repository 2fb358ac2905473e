"""Sending one webhook delivery: Standard Webhooks signing over httpx, defensively.

Headers (https://www.standardwebhooks.com): `webhook-id` is the delivery's id (the same on
every retry, so receivers can deduplicate), `webhook-timestamp` the Unix time of this
attempt, `webhook-signature` one `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per
signing secret, space-separated (two while a rotated secret is still valid).

A receiver cannot hurt the worker: connect and read time out, redirects are not followed,
at most `MAX_READ` bytes of the response are read (and nothing is decompressed), and every
failure becomes an `Outcome` instead of an exception.
"""

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import httpcore
import httpx
from standardwebhooks import Webhook

from domain.hooks.outbox import Outgoing
from domain.hooks.schedule import Outcome
from integrations.ssrf import RefusedDestination, vetted_addresses

MAX_READ = 4096
EXCERPT = 1024
USER_AGENT = "Fairstead-Webhooks/1.0 (+https://www.standardwebhooks.com)"


def signature_headers(outgoing: Outgoing, at: datetime) -> dict[str, str]:
    signatures = " ".join(
        Webhook(secret).sign(outgoing.delivery_id, at, outgoing.body) for secret in outgoing.secrets
    )
    return {
        "webhook-id": outgoing.delivery_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signatures,
    }


class VettingBackend(httpcore.NetworkBackend):
    """httpcore's network backend, but it resolves the host itself, refuses forbidden
    addresses, and connects only to the addresses it checked."""

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = vetted_addresses(host, port, allow_private=self.allow_private)
        except RefusedDestination as exc:
            raise httpcore.ConnectError(f"refused: {exc}") from exc
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("webhooks do not connect to unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class VettingTransport(httpx.HTTPTransport):
    """httpx's transport with the connection pool built on `VettingBackend`."""

    def __init__(self, *, allow_private: bool, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        # HTTPTransport has no parameter for the network backend, so the pool it built is
        # replaced by the same pool on ours (tests/integrations prove the check applies).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=VettingBackend(allow_private=allow_private),
        )


class WebhookSender:
    """Callable `Outgoing -> Outcome`, safe to call from several threads at once."""

    def __init__(self, *, timeout: float, allow_private: bool, concurrency: int = 8) -> None:
        self.timeout = timeout
        limits = httpx.Limits(
            max_connections=concurrency * 2, max_keepalive_connections=concurrency
        )
        self._client = httpx.Client(
            transport=VettingTransport(allow_private=allow_private, limits=limits),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=False,
            trust_env=False,
            headers={"user-agent": USER_AGENT, "accept-encoding": "identity"},
        )

    def __call__(self, outgoing: Outgoing) -> Outcome:
        started = time.monotonic()
        headers = {
            **signature_headers(outgoing, datetime.now(UTC)),
            "content-type": "application/json",
        }
        try:
            with self._client.stream(
                "POST", outgoing.url, content=outgoing.body.encode(), headers=headers
            ) as response:
                excerpt = self._read_capped(response, started)
        except httpx.TimeoutException as exc:
            return self._failed(started, f"timed out ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            return self._failed(started, f"{type(exc).__name__}: {exc}")
        error = None
        if response.is_redirect:
            location = response.headers.get("location", "")[:200]
            error = f"redirect to {location!r} not followed"
        return Outcome(
            status_code=response.status_code,
            duration_ms=_elapsed_ms(started),
            response_excerpt=excerpt,
            error=error,
        )

    def _read_capped(self, response: httpx.Response, started: float) -> str | None:
        """At most MAX_READ bytes, and no longer than twice the timeout in all: a receiver
        that trickles a byte at a time cannot hold a worker thread."""
        received = b""
        for chunk in response.iter_raw():
            received += chunk
            if len(received) >= MAX_READ or time.monotonic() - started > 2 * self.timeout:
                break
        text = received[:MAX_READ].decode("utf-8", errors="replace")[:EXCERPT]
        return text or None

    def _failed(self, started: float, error: str) -> Outcome:
        return Outcome(status_code=None, duration_ms=_elapsed_ms(started), error=error)

    def close(self) -> None:
        self._client.close()


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
