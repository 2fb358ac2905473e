"""Idempotency-Key for every POST: the same key and body replay the first response.

The key is claimed in its own transaction before the request runs (a unique constraint on
user and key), so two concurrent requests with one key cannot both create: the second gets
409 while the first is in flight, and a replay once it is done. Keys belong to the token's
user; requests without a valid token (sign-up, login) are not recorded, and neither is a
new token (`_SECRET_PATHS`) when a logged-in client asks for one, so no bearer token is ever
stored in the clear.
"""

import hashlib
import json
import logging
from datetime import timedelta

from anyio import to_thread
from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import col, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response
from domain.accounts.models import ApiToken
from domain.accounts.service import hash_token
from domain.db import unit_of_work
from domain.idempotency.models import IdempotencyRecord
from domain.tables import utcnow

MAX_KEY_LENGTH = 255
log = logging.getLogger("fairstead")
_REPLAYED_HEADERS = ("content-type", "location", "etag")
_SECRET_PATHS = frozenset({"/v1/tokens"})


class Idempotency:
    def __init__(self, app: ASGIApp, *, engine: Engine, ttl_hours: int) -> None:
        self.app = app
        self.engine = engine
        self.ttl = timedelta(hours=ttl_hours)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", ())) if scope["type"] == "http" else {}
        key_bytes = headers.get(b"idempotency-key")
        if scope["type"] != "http" or scope["method"] != "POST" or key_bytes is None:
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
        user_id = await to_thread.run_sync(self._user_of, headers.get(b"authorization"))
        if user_id is None or scope["path"].rstrip("/") in _SECRET_PATHS:
            await self.app(scope, receive, send)
            return

        body, more = bytearray(), True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        digest = hashlib.sha256(
            scope["method"].encode() + b" " + scope["path"].encode() + b"\n" + bytes(body)
        ).hexdigest()

        try:
            claim = await to_thread.run_sync(self._claim, user_id, key, scope["path"], digest)
        except OperationalError:
            claim = problem_response(
                503,
                "unavailable",
                "Service unavailable",
                "the database is busy or unreachable; nothing was changed, try again",
                headers={"Retry-After": "1"},
            )
        if claim is not None:
            await claim(scope, receive, send)
            return

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
            try:
                await to_thread.run_sync(
                    self._finish, user_id, key, status, out_headers, bytes(out_body)
                )
            except OperationalError:
                # The response is already sent; an unfinished claim expires with the TTL.
                log.warning("could not record the response for an Idempotency-Key")

    def _user_of(self, authorization: bytes | None) -> str | None:
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
            return token.user_id

    def _claim(self, user_id: str, key: str, path: str, digest: str) -> ASGIApp | None:
        """None when this request now owns the key; otherwise the response to send instead."""
        now = utcnow()
        try:
            with unit_of_work(self.engine) as session:
                record = session.scalar(
                    select(IdempotencyRecord).where(
                        col(IdempotencyRecord.user_id) == user_id,
                        col(IdempotencyRecord.key) == key,
                    )
                )
                if record is not None and record.created_at + self.ttl <= now:
                    session.delete(record)
                    session.flush()
                    record = None
                if record is None:
                    session.add(
                        IdempotencyRecord(
                            user_id=user_id, key=key, method="POST", path=path, request_hash=digest
                        )
                    )
                    return None
                if record.request_hash != digest:
                    return problem_response(
                        422,
                        "idempotency-key-reused",
                        "Idempotency-Key reused",
                        "this Idempotency-Key was used with a different request body or path",
                        errors=[{"loc": ["header", "Idempotency-Key"], "msg": "reused"}],
                    )
                if record.status_code is None:
                    return _in_flight()
                return _replay(record)
        except IntegrityError:
            return _in_flight()

    def _finish(
        self, user_id: str, key: str, status: int, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> None:
        with unit_of_work(self.engine) as session:
            where = (col(IdempotencyRecord.user_id) == user_id, col(IdempotencyRecord.key) == key)
            secret = any(
                k.lower() == b"cache-control" and b"no-store" in v.lower() for k, v in headers
            )
            if status >= 500 or secret:
                # A server error is not an answer: let the client retry with the same key. A
                # response marked no-store holds a secret (an invitation code, a webhook
                # secret) that must never rest in this table, so its key is released too.
                session.execute(delete(IdempotencyRecord).where(*where))
                return
            record = session.scalar(select(IdempotencyRecord).where(*where))
            if record is None:
                return
            kept = {
                k.decode("latin-1"): v.decode("latin-1")
                for k, v in headers
                if k.decode("latin-1").lower() in _REPLAYED_HEADERS
            }
            record.status_code = status
            record.response_headers = json.dumps(kept)
            record.response_body = body
            record.completed_at = utcnow()


def _in_flight() -> ASGIApp:
    return problem_response(
        409,
        "idempotency-key-in-use",
        "Request in progress",
        "a request with this Idempotency-Key is still being processed; retry shortly",
        headers={"Retry-After": "1"},
    )


def _replay(record: IdempotencyRecord) -> ASGIApp:
    from starlette.responses import Response

    headers = json.loads(record.response_headers or "{}")
    headers["Idempotency-Replayed"] = "true"
    media_type = headers.pop("content-type", None)
    return Response(
        record.response_body or b"",
        status_code=record.status_code or 200,
        headers=headers,
        media_type=media_type,
    )
