"""Security headers on every response, and a Content-Security-Policy the docs pages work with.

API responses are JSON (or CSV) nobody should render, frame or sniff: `default-src 'none'`,
`nosniff`, no framing, no referrer, and under /v1 `Cache-Control: no-store` (households'
finances must not rest in shared caches) unless a route set its own. The docs pages (Swagger
UI, ReDoc) load their scripts, styles and favicon from this server (api/docs_pages.py: no
CDN, so they work offline) and run one inline script; that script is allowed by its
SHA-256 hash, computed from the page as served, so no `'unsafe-inline'` script can run there.

The household page (/app, api/web) is HTML with forms: everything it loads comes from this
server (`default-src 'self'`, no inline script or style), forms post only here, and the
referrer is sent to this origin only, so a browser's POST carries the Origin header that
the page's CSRF check reads (under `no-referrer` it would be `null`).
"""

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
WEB_PREFIX = "/app"
WEB_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    )
)
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def docs_policy(html: bytes) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' {hashes}".strip(),
            # ReDoc and Swagger UI set styles at run time.
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self' data:",
            "img-src 'self' data:",
            "connect-src 'self'",
            "worker-src blob:",  # ReDoc parses the document in a worker
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )


def _raw(*pairs: tuple[str, str]) -> tuple[tuple[bytes, bytes], ...]:
    """Headers in precedence order as raw pairs, the first of each name kept."""
    kept: dict[bytes, bytes] = {}
    for name, value in pairs:
        kept.setdefault(name.lower().encode("latin-1"), value.encode("latin-1"))
    return tuple(kept.items())


_WEB = (("Content-Security-Policy", WEB_POLICY), ("Referrer-Policy", "same-origin"))
_API = (("Content-Security-Policy", API_POLICY),)
# Built once: what each kind of path gets, unless the response set a header of that name.
WEB_HEADERS = _raw(*_WEB, *COMMON.items(), *_API)
V1_HEADERS = _raw(*COMMON.items(), *_API, ("Cache-Control", "no-store"))
OTHER_HEADERS = _raw(*COMMON.items(), *_API)


def headers_for(path: str) -> tuple[tuple[bytes, bytes], ...]:
    if path == WEB_PREFIX or path.startswith(WEB_PREFIX + "/"):
        return WEB_HEADERS
    if path.startswith("/v1/"):
        return V1_HEADERS
    return OTHER_HEADERS


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, docs_paths: Iterable[str]) -> None:
        self.app = app
        self.docs_paths = frozenset(docs_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path in self.docs_paths:
            await self._docs(scope, receive, send)
            return
        added = headers_for(path)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                if not isinstance(headers, list):
                    headers = message["headers"] = list(headers)
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in added if pair[0] not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Holds the page back until its body is known, to hash the inline scripts in it."""
        start: Message | None = None
        body = bytearray()

        async def send_with_policy(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            headers = MutableHeaders(scope=start)
            for name, value in COMMON.items():
                headers.setdefault(name, value)
            headers["Content-Security-Policy"] = docs_policy(bytes(body))
            await send(start)
            await send({"type": "http.response.body", "body": bytes(body)})

        await self.app(scope, receive, send_with_policy)
