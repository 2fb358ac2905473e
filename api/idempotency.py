"""Idempotency-Key for every POST: the same key and request replay the first response.

The key is claimed in its own transaction before the request runs (a unique constraint on
user and key), so two concurrent requests with one key cannot both run: the second gets 409
while the first is in flight, and a replay once it is done. "The same request" is decided
by `api.idempotency_fingerprint` (canonical JSON, multipart parts, query parameters, and
the token's user, household restriction and scopes); another request under the key is 422.

What is kept is what Stripe keeps: a response that changed something. A 2xx is stored in
the same transaction as the work itself (`keep_in_transaction`, called by the request's
session just before it commits), so a request that committed is replayed, never run twice,
even when the process dies before answering. An error (4xx: nothing was changed; 5xx; a
response marked no-store, which holds a secret) releases the key, so a retry runs afresh.

A claim is a lease: a process killed mid-request leaves its claim behind, and after
`lease` a retry takes it over. The work of a request that outlives its lease is rolled
back at commit (409), so the key's work still happens at most once.

Keys belong to the token's user; requests without a valid token (sign-up, login) are not
recorded, and neither is a new token (`_SECRET_PATHS`), so no bearer token is ever stored.
"""

import json
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from sqlmodel import col
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.idempotency_fingerprint import fingerprint
from api.problems import problem_response
from domain.accounts.models import ApiToken
from domain.accounts.service import hash_token
from domain.db import unit_of_work
from domain.errors import Conflict
from domain.idempotency.models import IdempotencyRecord
from domain.tables import utcnow

MAX_KEY_LENGTH = 255
log = logging.getLogger("fairstead")
_REPLAYED_HEADERS = ("content-type", "location", "etag")
_SECRET_PATHS = frozenset({"/v1/tokens"})
SCOPE_KEY = "fairstead.idempotency"
_UNAVAILABLE = (OperationalError, PoolTimeout)


@dataclass
class Claim:
    """This request's hold on its key: the record's id, and the response once it is known."""

    record_id: str
    response: Response | None = None
    stored: bool = False


def keepable(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    no_store = any(k.lower() == b"cache-control" and b"no-store" in v.lower() for k, v in headers)
    return status < 400 and not no_store


def _kept_headers(headers: list[tuple[bytes, bytes]]) -> str:
    return json.dumps(
        {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in headers
            if k.decode("latin-1").lower() in _REPLAYED_HEADERS
        }
    )


def keep_in_transaction(session: Session, scope: Scope) -> None:
    """Store the response beside the work, in the request's own transaction (just before it
    commits). Raises Conflict, rolling the work back, when the claim was taken over."""
    claim: Claim | None = scope.get(SCOPE_KEY)
    if claim is None or claim.response is None or claim.stored:
        return
    response = claim.response
    body = getattr(response, "body", None)
    headers = list(response.raw_headers)
    if not isinstance(body, bytes) or not keepable(response.status_code, headers):
        return
    stored = session.execute(
        update(IdempotencyRecord)
        .where(
            col(IdempotencyRecord.id) == claim.record_id,
            col(IdempotencyRecord.status_code).is_(None),
        )
        .values(
            status_code=response.status_code,
            response_headers=_kept_headers(headers),
            response_body=body,
            completed_at=utcnow(),
        )
    )
    if stored.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            "this request took longer than its Idempotency-Key's lease and a retry took the "
            "key over; nothing was changed by this one"
        )
    claim.stored = True


class HandingOverRoute(APIRoute):
    """A route that hands its response to the request's claim before the request's session
    commits: FastAPI builds the response, then closes function-scoped dependencies (the
    session commits there, see api.deps.get_session), then sends it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            response = await handler(request)
            claim: Claim | None = request.scope.get(SCOPE_KEY)
            if claim is not None:
                claim.response = response
            return response

        return handle


def keeping_responses(router: APIRouter) -> APIRouter:
    """The router, its routes made `HandingOverRoute`s (before it is included: inclusion
    builds each route's handler)."""
    for route in router.routes:
        if type(route) is APIRoute:
            route.__class__ = HandingOverRoute
    return router


def kept_nothing(scope: Scope) -> None:
    """The request's transaction rolled back, and the response stored in it with it."""
    claim: Claim | None = scope.get(SCOPE_KEY)
    if claim is not None:
        claim.stored = False


def _unavailable() -> ASGIApp:
    return problem_response(
        503,
        "unavailable",
        "Service unavailable",
        "the database is busy or unreachable; nothing was changed, try again",
        headers={"Retry-After": "1"},
    )


class Idempotency:
    def __init__(
        self, app: ASGIApp, *, engine: Engine, ttl_hours: int, lease_seconds: int = 300
    ) -> None:
        self.app = app
        self.engine = engine
        self.ttl = timedelta(hours=ttl_hours)
        self.lease = timedelta(seconds=lease_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":  # before reading any header
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        key_bytes = headers.get(b"idempotency-key")
        if key_bytes is None:
            await self.app(scope, receive, send)
            return
        key = key_bytes.decode("latin-1")
        if not key or len(key) > MAX_KEY_LENGTH:
            response = problem_response(
                422,
                "validation-error",
                "The request is not valid",
                f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters",
                errors=[{"loc": ["header", "Idempotency-Key"], "msg": "length 1 to 255"}],
            )
            await response(scope, receive, send)
            return
        try:
            caller = await to_thread.run_sync(self._caller_of, headers.get(b"authorization"))
        except _UNAVAILABLE:
            log.warning("database unavailable while checking an Idempotency-Key's token")
            await _unavailable()(scope, receive, send)
            return
        if caller is None or scope["path"].rstrip("/") in _SECRET_PATHS:
            await self.app(scope, receive, send)
            return
        user_id, principal = caller

        body, more = bytearray(), True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        digest = fingerprint(
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b""),
            content_type=headers.get(b"content-type", b"").decode("latin-1"),
            body=bytes(body),
            principal=principal,
        )

        try:
            outcome = await to_thread.run_sync(self._claim, user_id, key, scope["path"], digest)
        except _UNAVAILABLE:
            outcome = _unavailable()
        if not isinstance(outcome, Claim):
            await outcome(scope, receive, send)
            return
        claim = outcome
        scope[SCOPE_KEY] = claim

        replay_done = False

        async def replay_receive() -> Message:
            nonlocal replay_done
            if not replay_done:
                replay_done = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        status, out_headers, out_body = 500, [], bytearray()

        async def capture(message: Message) -> None:
            nonlocal status, out_headers
            if message["type"] == "http.response.start":
                status, out_headers = message["status"], message.get("headers", [])
            elif message["type"] == "http.response.body":
                out_body.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capture)
        finally:
            if not claim.stored:
                try:
                    await to_thread.run_sync(
                        self._finish, claim, status, out_headers, bytes(out_body)
                    )
                except _UNAVAILABLE:
                    # The response is already sent; the claim's lease runs out by itself.
                    log.warning("could not record the response for an Idempotency-Key")

    def _caller_of(self, authorization: bytes | None) -> tuple[str, str] | None:
        """The token's user, and who exactly asks: user, household restriction, scopes."""
        if not authorization or not authorization.lower().startswith(b"bearer "):
            return None
        secret = authorization[7:].decode("latin-1").strip()
        now = utcnow()
        with unit_of_work(self.engine, write=False) as session:
            token = session.scalar(
                select(ApiToken).where(col(ApiToken.token_hash) == hash_token(secret))
            )
            if token is None or token.revoked_at is not None:
                return None
            if token.expires_at is not None and token.expires_at <= now:
                return None
            scopes = " ".join(sorted(token.scopes.split()))
            return token.user_id, f"{token.user_id}|{token.household_id or '*'}|{scopes}"

    def _claim(self, user_id: str, key: str, path: str, digest: str) -> Claim | ASGIApp:
        """A Claim when this request now holds the key; otherwise the response to send."""
        now = utcnow()
        try:
            with unit_of_work(self.engine) as session:
                where = (
                    col(IdempotencyRecord.user_id) == user_id,
                    col(IdempotencyRecord.key) == key,
                )
                record = session.scalar(select(IdempotencyRecord).where(*where))
                if record is not None and record.created_at + self.ttl <= now:
                    session.delete(record)
                    session.flush()
                    record = None
                if record is not None and record.request_hash != digest:
                    return problem_response(
                        422,
                        "idempotency-key-reused",
                        "Idempotency-Key reused",
                        "this Idempotency-Key was used with a different request (body, path, "
                        "query or token)",
                        errors=[{"loc": ["header", "Idempotency-Key"], "msg": "reused"}],
                    )
                if record is not None and record.status_code is not None:
                    return _replay(record)
                if record is not None:
                    if record.created_at + self.lease > now:
                        return _in_flight()
                    # Its holder died (or outlived the lease): take the key over. Its work,
                    # if it ever commits, finds its claim gone and rolls back.
                    taken = session.execute(
                        delete(IdempotencyRecord).where(
                            col(IdempotencyRecord.id) == record.id,
                            col(IdempotencyRecord.status_code).is_(None),
                        )
                    )
                    if taken.rowcount != 1:  # type: ignore[attr-defined]
                        return _in_flight()
                    session.flush()
                fresh = IdempotencyRecord(
                    user_id=user_id,
                    key=key,
                    method="POST",
                    path=path,
                    request_hash=digest,
                    created_at=now,
                )
                session.add(fresh)
                session.flush()
                return Claim(record_id=fresh.id)
        except IntegrityError:
            return _in_flight()

    def _finish(
        self, claim: Claim, status: int, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> None:
        """For a response not stored with its work: keep a 2xx, release the key otherwise."""
        with unit_of_work(self.engine) as session:
            where = (col(IdempotencyRecord.id) == claim.record_id,)
            if not keepable(status, headers):
                session.execute(
                    delete(IdempotencyRecord).where(
                        *where, col(IdempotencyRecord.status_code).is_(None)
                    )
                )
                return
            session.execute(
                update(IdempotencyRecord)
                .where(*where, col(IdempotencyRecord.status_code).is_(None))
                .values(
                    status_code=status,
                    response_headers=_kept_headers(headers),
                    response_body=body,
                    completed_at=utcnow(),
                )
            )


def _in_flight() -> ASGIApp:
    return problem_response(
        409,
        "idempotency-key-in-use",
        "Request in progress",
        "a request with this Idempotency-Key is still being processed; retry shortly",
        headers={"Retry-After": "1"},
    )


def _replay(record: IdempotencyRecord) -> ASGIApp:
    headers = json.loads(record.response_headers or "{}")
    headers["Idempotency-Replayed"] = "true"
    media_type = headers.pop("content-type", None)
    return Response(
        record.response_body or b"",
        status_code=record.status_code or 200,
        headers=headers,
        media_type=media_type,
    )
