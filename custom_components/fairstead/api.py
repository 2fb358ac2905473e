"""A small client of the Fairstead API over Home Assistant's aiohttp session.

GETs revalidate: each URL's last ETag and body are kept, sent back as If-None-Match, and a
304 returns the kept body, so a poll that finds nothing new costs the server one row read and
the network a few hundred bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=30)


class FairsteadError(Exception):
    """The API answered with an error, or could not be reached."""


class FairsteadConnectionError(FairsteadError):
    """Fairstead could not be reached (or timed out)."""


class FairsteadAuthError(FairsteadError):
    """401: the token is unknown, expired or revoked."""


class FairsteadResponseError(FairsteadError):
    """Any other error answer; `status` and the problem's `detail` say which."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"Fairstead answered {status}: {detail}")
        self.status = status
        self.detail = detail


@dataclass
class Revalidation:
    """What the cache did: how many GETs were sent and how many came back 304."""

    requests: int = 0
    not_modified: int = 0
    kept: dict[str, tuple[str, Any]] = field(default_factory=dict)


class FairsteadApi:
    def __init__(self, session: aiohttp.ClientSession, url: str, token: str) -> None:
        self._session = session
        self.base = url.rstrip("/")
        self._token = token
        self.revalidation = Revalidation()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}

    async def get(
        self, path: str, params: dict[str, Any] | None = None, *, keep: bool = True
    ) -> Any:
        """The JSON answer; with `keep`, revalidated against the last one for this URL."""
        url = f"{self.base}{path}"
        if params:
            url += "?" + urlencode({k: v for k, v in params.items() if v is not None})
        headers = self._headers()
        kept = self.revalidation.kept.get(url)
        if kept is not None:
            headers["If-None-Match"] = kept[0]
        self.revalidation.requests += 1
        try:
            async with self._session.get(url, headers=headers, timeout=TIMEOUT) as response:
                if response.status == 304 and kept is not None:
                    self.revalidation.not_modified += 1
                    return kept[1]
                body = await self._body(response)
                tag = response.headers.get("ETag")
                if keep and tag is not None and tag.startswith('"'):
                    self.revalidation.kept[url] = (tag, body)
                return body
        except (TimeoutError, aiohttp.ClientError) as err:
            raise FairsteadConnectionError(f"cannot reach {self.base}: {err}") from err

    async def get_all(
        self, path: str, params: dict[str, Any] | None = None, *, keep: bool = True
    ) -> list[Any]:
        """Every page of a list (`{data, next_cursor}`)."""
        rows: list[Any] = []
        cursor = None
        while True:
            query = {**(params or {}), "limit": 200, "cursor": cursor}
            page = await self.get(path, query, keep=keep)
            rows.extend(page["data"])
            cursor = page.get("next_cursor")
            if not cursor:
                return rows

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        try:
            async with self._session.post(
                f"{self.base}{path}", json=body or {}, headers=self._headers(), timeout=TIMEOUT
            ) as response:
                return await self._body(response)
        except (TimeoutError, aiohttp.ClientError) as err:
            raise FairsteadConnectionError(f"cannot reach {self.base}: {err}") from err

    @staticmethod
    async def _body(response: aiohttp.ClientResponse) -> Any:
        if response.status == 401:
            raise FairsteadAuthError("the token was refused (unknown, expired or revoked)")
        if response.status >= 400:
            try:
                problem = await response.json(content_type=None)
                detail = problem.get("detail") or problem.get("title") or ""
            except (ValueError, aiohttp.ContentTypeError):
                detail = await response.text()
            raise FairsteadResponseError(response.status, str(detail))
        return await response.json(content_type=None)
