"""Throttling password guessing at `POST /v1/tokens`, `DELETE /v1/me`, `PATCH /v1/me` and
the household page's sign-in form (`POST /app/sign-in`, counted exactly as `/v1/tokens`).

Failed logins (answered 401) are counted in the exact counter store per client address, per
email from that address, and per email from every address; once any of them has reached its
limit in the window, every login attempt it covers is 429 with `Retry-After` until the window
ends, the right password included, so guessing cannot go on. The per-email-and-address limit
is the low one: a stranger guessing from elsewhere locks out only their own address, not the
owner. The per-email limit over all addresses is higher and stops a guesser spread over many
addresses. Failures count by the email as typed (normalised, hashed), whether or not an
account has it: a throttled unknown email and a throttled real one answer alike.

`DELETE /v1/me` and a password change (`PATCH /v1/me` with `password` or
`current_password`) check the current password too (a wrong one is 403): their failures
count per client address and per bearer token, in the same windows and limits as logins.

Counting happens out here, outside the request's own transaction, so a failure stays
recorded although that transaction rolls back, and never waits for its write lock.
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable
from urllib.parse import parse_qs

from anyio import to_thread
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response
from api.ratelimit import client_address, too_many
from domain.accounts.service import normalise_email
from domain.ratelimits.counters import Counters
from domain.ratelimits.windows import Window, window_at

LOGIN_PATH = "/v1/tokens"
WEB_LOGIN_PATH = "/app/sign-in"  # the household page's form (api/web/auth.py)
# (method, path) → the statuses that count as a failed password check.
GUARDED: dict[tuple[str, str], tuple[int, ...]] = {
    ("POST", LOGIN_PATH): (401,),
    ("POST", WEB_LOGIN_PATH): (401,),
    ("DELETE", "/v1/me"): (401, 403),
    ("PATCH", "/v1/me"): (401, 403),
}
# Of these, the ones that check a password only when the body carries one: a display-name
# change is no guess and must not count.
_ONLY_WITH_PASSWORD = {("PATCH", "/v1/me")}
log = logging.getLogger("fairstead.ratelimits")


def unavailable() -> ASGIApp:
    return problem_response(
        503,
        "unavailable",
        "Service unavailable",
        "logins cannot be counted right now; nothing was changed, try again",
        headers={"Retry-After": "1"},
    )


def _web_too_many(window: Window) -> ASGIApp:
    """The sign-in form's 429 is a page a person can read, not a problem document."""
    minutes = max(1, -(-window.retry_after // 60))
    return HTMLResponse(
        '<!doctype html><html lang="en"><title>Too many attempts</title>'
        "<h1>Too many sign-in attempts</h1>"
        f"<p>Try again in {minutes} minute{'s' if minutes != 1 else ''}.</p>"
        '<p><a href="/app/sign-in">Back to sign-in</a></p></html>',
        status_code=429,
        headers={"Retry-After": str(window.retry_after)},
    )


def _bearer_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            return "token:" + hashlib.sha256(value[7:].strip()).hexdigest()
    return None


def _document(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def _carries_password(body: bytes) -> bool:
    document = _document(body)
    return isinstance(document, dict) and bool({"password", "current_password"} & document.keys())


def _email_of(body: bytes, *, form: bool) -> str | None:
    if form:
        try:
            emails = parse_qs(body.decode("utf-8", "replace"), max_num_fields=50).get("email")
        except ValueError:
            return None
        return normalise_email(emails[0]) if emails else None
    document = _document(body)
    email = document.get("email") if isinstance(document, dict) else None
    return normalise_email(email) if isinstance(email, str) else None


def _replaying(body: bytes, receive: Receive) -> Receive:
    """Hands the app the body this middleware already read, then the real channel."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class LoginThrottle:
    def __init__(
        self,
        app: ASGIApp,
        *,
        counters: Counters,
        per_account: int,
        per_account_total: int,
        per_ip: int,
        window_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.counters = counters
        self.per_account = per_account
        self.per_account_total = per_account_total
        self.per_ip = per_ip
        self.window_seconds = window_seconds
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = (scope["method"], scope["path"].rstrip("/")) if scope["type"] == "http" else None
        failures = GUARDED.get(route) if route is not None else None
        if failures is None:
            await self.app(scope, receive, send)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if route in _ONLY_WITH_PASSWORD and not _carries_password(bytes(body)):
            await self.app(scope, _replaying(bytes(body), receive), send)
            return
        window = window_at(self.clock(), self.window_seconds)
        source = client_address(scope)
        limits = {window.key("login-ip", source): self.per_ip}
        path = scope["path"].rstrip("/")
        login = path in (LOGIN_PATH, WEB_LOGIN_PATH)
        if login:
            account = _email_of(bytes(body), form=path == WEB_LOGIN_PATH)
        else:
            account = _bearer_of(scope)
        if account is not None:
            limits[window.key("login-account-source", f"{account}\n{source}")] = self.per_account
            limits[window.key("login-account", account)] = self.per_account_total
        # Counted before the password is checked, so a burst of parallel guesses cannot all
        # pass before the first failure is written; anything but a 401 is taken back after.
        try:
            attempts = await to_thread.run_sync(self._add, limits, window.ends_at, 1)
        except Exception:
            # Without its counters the throttle cannot hold: no password check goes uncounted.
            log.warning("login counters unavailable; refusing logins", exc_info=True)
            await unavailable()(scope, receive, send)
            return
        if any(attempts[key] > limit for key, limit in limits.items()):
            await self._take_back(limits, window.ends_at)
            response = (
                _web_too_many(window)
                if path == WEB_LOGIN_PATH
                else too_many(window, "too many failed logins")
            )
            await response(scope, receive, send)
            return

        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, _replaying(bytes(body), receive), capture)
        finally:
            if status not in failures:
                await self._take_back(limits, window.ends_at)

    async def _take_back(self, limits: dict[str, int], expires_at: int) -> None:
        try:
            await to_thread.run_sync(self._add, limits, expires_at, -1)
        except Exception:
            log.warning("could not take back a login attempt's count", exc_info=True)

    def _add(self, limits: dict[str, int], expires_at: int, amount: int) -> dict[str, int]:
        return self.counters.add(dict.fromkeys(limits, amount), expires_at=expires_at)
