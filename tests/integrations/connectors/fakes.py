"""A scripted source behind `httpx.MockTransport`, recorded payloads, and a sleep that only
remembers how long it was asked to wait."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from domain.imports.records import ImportedTransaction

PAYLOADS = Path(__file__).parent / "payloads"


def payload_text(name: str) -> str:
    return (PAYLOADS / name).read_text(encoding="utf-8")


def payload(name: str) -> Any:
    return json.loads(payload_text(name))


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None  # JSON-encoded
    text: str | None = None  # sent as is, when the body must not be JSON
    headers: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def of(name: str, status: int = 200, **headers: str) -> Reply:
        return Reply(status=status, body=payload(name), headers=headers)

    def response(self) -> httpx.Response:
        if self.text is not None:
            return httpx.Response(self.status, text=self.text, headers=self.headers)
        return httpx.Response(self.status, json=self.body, headers=self.headers)


Script = Reply | Exception | list[Reply | Exception] | Callable[[httpx.Request], Reply]


class FakeSource:
    """Answers each path from its script: one reply always, a list in turn (the last one
    repeats), or a function of the request. Every request is kept for the assertions."""

    def __init__(self, routes: dict[str, Script]) -> None:
        self._routes = {path: list(s) if isinstance(s, list) else s for path, s in routes.items()}
        self.requests: list[httpx.Request] = []

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self._answer))

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]

    def params(self, path: str | None = None) -> list[dict[str, str]]:
        return [
            dict(request.url.params)
            for request in self.requests
            if path is None or request.url.path == path
        ]

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        script = self._routes.get(request.url.path)
        if script is None:
            return httpx.Response(404, json={"error": f"no route for {request.url.path}"})
        if isinstance(script, list):
            step = script.pop(0) if len(script) > 1 else script[0]
        elif callable(script):
            step = script(request)
        else:
            step = script
        if isinstance(step, Exception):
            raise step
        return step.response()


@dataclass
class FakeSleep:
    delays: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def without_raw(rows: Iterable[ImportedTransaction]) -> list[ImportedTransaction]:
    """The rows with `raw` emptied, to compare them field by field with expected records."""
    return [replace(row, raw={}) for row in rows]
