"""JSON answers of the polled reads, validated and serialised once.

Given a schema object to return, FastAPI validates it again against the route's response
model (in the threadpool, for a sync route: one more thread hop per request) and then
writes it out. The hot reads (balances, settle-up, the fairness summary and report, an
expense page) instead build their answer from plain rows as JSON-shaped values, and a
`Rendered` validates those once with the response model's `TypeAdapter` and writes the bytes
with the same adapter's `dump_json`: exactly what FastAPI's own fast path writes for the
route, so the bodies are byte for byte the same. The route keeps its `response_model` for
the OpenAPI document; headers its dependencies set (the ETag) are carried over.
"""

from typing import Any, Generic, TypeVar

from fastapi import Response
from pydantic import TypeAdapter

T = TypeVar("T")


class Rendered(Generic[T]):
    def __init__(self, schema: type[T]) -> None:
        self._adapter: TypeAdapter[T] = TypeAdapter(schema)

    def validate(self, value: Any) -> T:
        return self._adapter.validate_python(value)

    def response(self, value: Any, *, headers_from: Response | None = None) -> Response:
        """`value` as the route's answer; `headers_from` is the response the route's
        dependencies set headers on (FastAPI drops them when a route returns a Response)."""
        body = self._adapter.dump_json(self.validate(value), by_alias=True)
        answer = Response(content=body, media_type="application/json")
        if headers_from is not None:
            answer.headers.raw.extend(headers_from.headers.raw)
        return answer
