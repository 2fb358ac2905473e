"""Pure ASGI middleware: body size limit and request metrics."""

import re
import time
from collections.abc import Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response


class BodyTooLarge(HTTPException):
    """An HTTPException, because FastAPI turns any other error raised while it reads the body
    into a 400; this one it re-raises, and the app's handlers render it as the 413 problem."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"the request body is larger than {max_bytes} bytes")


class BodyLimit:
    """Answers 413 for bodies over the limit, whether announced by Content-Length or not.

    `limits` gives paths (regular expressions, matched whole) a limit of their own: a bank
    file upload may be larger than any JSON body.
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, limits: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limits = [(re.compile(path), limit) for path, limit in (limits or {}).items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = next(
            (limit for path, limit in self.limits if path.fullmatch(scope["path"])),
            self.max_bytes,
        )
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._reject(scope, receive, send, max_bytes)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    raise BodyTooLarge(max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self._reject(scope, receive, send, max_bytes)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, max_bytes: int) -> None:
        response = problem_response(
            413,
            "payload-too-large",
            "Payload too large",
            f"the request body is larger than {max_bytes} bytes",
        )
        await response(scope, receive, send)


class Metrics:
    """Counts requests and times them, labelled by route template (never by raw path)."""

    def __init__(self, app: ASGIApp, *, registry: CollectorRegistry) -> None:
        self.app = app
        self.requests = Counter(
            "fairstead_http_requests",
            "HTTP requests handled.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "fairstead_http_request_duration_seconds",
            "Time to handle a request.",
            ["method", "route"],
            registry=registry,
        )
        # The labelled children, each made once: routes are templates, so these stay small.
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._timers: dict[tuple[str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            counted = (scope["method"], route, status)
            counter = self._counters.get(counted)
            if counter is None:  # `labels` takes a lock and builds its key on every call
                counter = self._counters[counted] = self.requests.labels(
                    scope["method"], route, str(status)
                )
                self._timers[counted[:2]] = self.latency.labels(scope["method"], route)
            counter.inc()
            self._timers[counted[:2]].observe(time.perf_counter() - started)
