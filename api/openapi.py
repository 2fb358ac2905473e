"""The OpenAPI document: generated from the routes, then made complete and deterministic.

FastAPI documents 422 with its own schema and every error as application/json; our errors
are RFC 9457 problems, so every 4xx/5xx response is rewritten to application/problem+json
with the Problem schema, and the statuses every route can give (401/403 with a token,
400/413 with a body, 429 wherever rate limits apply, 503 always) are added where a route
did not declare them, with the Idempotency-Key and If-Match headers that middleware and
ETag checks read.
"""

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.idempotency import _SECRET_PATHS, MAX_KEY_LENGTH
from api.problems import PROBLEM_MEDIA_TYPE
from api.ratelimit import EXEMPT_PATHS
from api.reference.document import complete
from api.responses import _DESCRIPTIONS
from api.webhook_events import RECEIVER_RESPONSES

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_METHODS = {"get", "put", "post", "delete", "patch"}
_RETRY_AFTER = {
    "description": "Seconds until the current window ends.",
    "schema": {"type": "integer", "minimum": 1},
}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        webhooks=app.webhooks.routes,
        license_info=app.license_info,
    )
    for webhook in schema.get("webhooks", {}).values():
        # What a receiver answers, not FastAPI's 200/422 for an endpoint we would serve.
        webhook["post"]["responses"] = RECEIVER_RESPONSES
    for path, path_item in schema.get("paths", {}).items():
        for method, operation in path_item.items():
            if method in _METHODS:
                _headers(operation, method, path)
                _complete(operation, rate_limited=path not in EXEMPT_PATHS)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    complete(schema)
    app.openapi_schema = schema
    return schema


def _complete(operation: dict[str, Any], *, rate_limited: bool) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    implied = {"503", "429"} if rate_limited else {"503"}
    if operation.get("security"):
        implied |= {"401", "403"}
    if "requestBody" in operation:
        implied |= {"400", "413", "422"}
    if operation.get("parameters"):
        implied.add("422")
    if _IDEMPOTENCY_KEY in operation.get("parameters", []):
        implied.add("409")  # the same key while its first request is still running
    for status in implied - responses.keys():
        responses[status] = {"description": _DESCRIPTIONS[int(status)]}
    for status, response in responses.items():
        if int(status) >= 400:
            response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}
        if status == "429":
            response["headers"] = {"Retry-After": _RETRY_AFTER}
    operation["responses"] = dict(sorted(responses.items()))


def _headers(operation: dict[str, Any], method: str, path: str) -> None:
    """The headers the middleware and the ETag checks read, so clients (and fuzzers) see
    them: Idempotency-Key on every authenticated POST, If-Match wherever a 412 can come."""
    parameters: list[dict[str, Any]] = operation.setdefault("parameters", [])
    if method == "post" and operation.get("security") and path not in _SECRET_PATHS:
        parameters.append(_IDEMPOTENCY_KEY)
    if "412" in operation["responses"]:
        parameters.append(_IF_MATCH)
    if not parameters:
        del operation["parameters"]


_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "The same key and body within 24 h replays the first response.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag you read; a stale one is 412 instead of overwriting a change.",
    "schema": {"type": "string"},
}


def render(app: FastAPI) -> str:
    return json.dumps(build_openapi(app), indent=2, ensure_ascii=False) + "\n"
