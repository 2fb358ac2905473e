"""JSON request bodies are UTF-8 and name each key once.

Python's json module guesses UTF-16 and UTF-32 from the first bytes and lets the last of two
equal keys win silently; FastAPI parses bodies with it. A body in another encoding, or an
object with a key twice (`{"amount": 1, "amount": 100000}`: which one did the client mean,
and which one did a proxy or a signature check in front of us read?), is refused as 400
before any route sees it. Other syntax errors are left to FastAPI (422, `json_invalid`).
"""

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response


class _DuplicateKey(ValueError):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _DuplicateKey(key)
        document[key] = value
    return document


def refusal(body: bytes) -> str | None:
    """Why this JSON body is refused, or None to let it through."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8 (JSON bodies must be UTF-8)"
    if "\x00" in text:  # UTF-16 or UTF-32 text that happens to decode
        return "the body is not UTF-8 (JSON bodies must be UTF-8)"
    try:
        json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_unique)
    except _DuplicateKey as exc:
        return f"the key '{exc}' appears twice in one JSON object"
    except ValueError:
        return None
    return None


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return bool(media == b"application/json" or media.endswith(b"+json"))
    return False


class JsonBodies:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        reason = refusal(bytes(body)) if body else None
        if reason is not None:
            response = problem_response(400, "bad-request", "Bad request", reason)
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
