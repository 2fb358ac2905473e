"""Declared error responses, so generated clients know every status a route can give."""

from typing import Any

from api.problems import Problem

_DESCRIPTIONS = {
    400: "The body cannot be read at all (not UTF-8, or a broken multipart form).",
    401: "Missing, unknown, expired or revoked token.",
    403: "The token lacks the scope, or the member lacks the role.",
    404: "Not found, or in a household you are not a member of.",
    409: "Conflicts with the current state (a duplicate, a concurrent request, a rule).",
    410: "No longer available.",
    412: "If-Match does not match the current ETag.",
    413: "The request body is too large.",
    422: "The request is not valid.",
    429: "Too many requests, or too many failed logins: wait `Retry-After` seconds.",
    503: "The database is busy or unreachable; nothing was changed.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": Problem, "description": _DESCRIPTIONS[s]} for s in statuses}
