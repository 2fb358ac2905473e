"""GET JSON from a budgeting app the way every connector needs it.

A sync runs in a worker, unattended: a rate limit or a server hiccup is waited out a few
times (honouring `Retry-After`, whether seconds or an HTTP date), and anything that cannot
be waited out — a timeout, a refused token, an unreadable body — ends the run as
`SourceFailed` with a reason a user can act on, so the cursor stays where it was.

Credentials travel only in request headers: they never appear in a URL, a log line or a
failure reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from domain.imports.records import SourceFailed

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]
Params = Mapping[str, str | int]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long a sync may wait for a struggling source before it gives up."""

    attempts: int = 4  # requests in all, the first one included
    base_delay: float = 1.0  # seconds before the first retry, doubled for each one after
    max_delay: float = 30.0  # cap on our own backoff
    # A longer Retry-After fails the run instead of holding a worker for it (YNAB's hourly
    # limit can ask for most of an hour); the next scheduled sync tries again.
    max_retry_after: float = 120.0


class JsonClient:
    """One source's GET-JSON channel over an injected `httpx.Client`."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        source: str,
        headers: Mapping[str, str],
        policy: RetryPolicy = RetryPolicy(),
        sleep: Sleep = time.sleep,
        now: Callable[[], dt.datetime] = _utcnow,
        timeout: float = 30.0,
    ) -> None:
        self.source = source
        self._client = client
        self._headers = {"Accept": "application/json", **headers}
        self._policy = policy
        self._sleep = sleep
        self._now = now
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"JsonClient(source={self.source!r})"

    def get(self, url: str, params: Params | None = None) -> Any:
        """The decoded JSON body of a successful GET, after retrying 429 and 5xx answers."""
        attempt = 1
        while True:
            response = self._send(url, params)
            status = response.status_code
            if status != 429 and status < 500:
                return self._decode(response)
            if attempt >= self._policy.attempts:
                what = "is rate limiting us" if status == 429 else "keeps failing"
                raise SourceFailed(
                    f"{self.source} {what} (HTTP {status} after {attempt} attempts); "
                    "the next sync will try again"
                )
            delay = self._delay(response, attempt)
            log.warning(
                "%s answered HTTP %s for %s; retrying in %.1f s (attempt %d of %d)",
                self.source,
                status,
                response.request.url.path,
                delay,
                attempt + 1,
                self._policy.attempts,
            )
            self._sleep(delay)
            attempt += 1

    def _send(self, url: str, params: Params | None) -> httpx.Response:
        try:
            return self._client.get(
                url, params=dict(params or {}), headers=self._headers, timeout=self._timeout
            )
        except httpx.TimeoutException as exc:
            raise SourceFailed(
                f"{self.source} did not answer in time ({type(exc).__name__})"
            ) from exc
        except httpx.TransportError as exc:
            raise SourceFailed(f"could not reach {self.source} ({type(exc).__name__})") from exc

    def _decode(self, response: httpx.Response) -> Any:
        status = response.status_code
        if status in (401, 403):
            raise SourceFailed(
                f"{self.source} refused the credentials (HTTP {status}): "
                "check the token and its permissions"
            )
        if status >= 400:
            raise SourceFailed(
                f"{self.source} answered HTTP {status} for {response.request.url.path}"
                f"{_error_detail(response)}"
            )
        try:
            return response.json()
        except ValueError as exc:
            raise SourceFailed(
                f"{self.source} sent a response that is not valid JSON (HTTP {status})"
            ) from exc

    def _delay(self, response: httpx.Response, attempt: int) -> float:
        asked = retry_after_seconds(response.headers.get("Retry-After"), now=self._now())
        if asked is None:
            backoff: float = self._policy.base_delay * 2.0 ** (attempt - 1)
            return min(self._policy.max_delay, backoff)
        if asked > self._policy.max_retry_after:
            raise SourceFailed(
                f"{self.source} asked us to wait {asked:.0f} s before trying again "
                f"(HTTP {response.status_code}); the next sync will try again"
            )
        return asked


def retry_after_seconds(value: str | None, *, now: dt.datetime) -> float | None:
    """Seconds to wait from a `Retry-After` header (RFC 9110: delay-seconds or an HTTP
    date); None when absent or unreadable, so the caller falls back to its own backoff."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" in an HTTP date means UTC
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _error_detail(response: httpx.Response) -> str:
    """A short message from the error body when the source gives one (YNAB's
    `error.detail`, Firefly's `message`), never the raw body."""
    try:
        body = response.json()
    except ValueError:
        return ""
    detail: object = None
    if isinstance(body, dict):
        error = body.get("error")
        detail = error.get("detail") if isinstance(error, dict) else error
        detail = detail or body.get("message")
    if not isinstance(detail, str) or not detail.strip():
        return ""
    return f": {detail.strip()[:200]}"
