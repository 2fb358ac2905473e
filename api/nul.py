"""NUL characters in paths, query strings and forms are a 422 before any route runs.

PostgreSQL refuses NUL in text, so a `%00` in an id or a filter would otherwise reach the
database and come back as a 500 on PostgreSQL (and as a silent miss on SQLite). Bodies are
checked by `RequestModel`; this covers what is not a JSON body.
"""

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from api.schemas.common import has_nul

_MSG = "text cannot contain NUL (U+0000) characters"


async def refuse_nul_characters(request: Request) -> None:
    places: list[tuple[str, Any]] = [
        *(("path", item) for item in request.path_params.items()),
        *(("query", item) for item in request.query_params.multi_items()),
    ]
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        # Already parsed by the route before its dependencies run: this reads the cache.
        form = await request.form()
        places += [("body", (k, v)) for k, v in form.multi_items() if isinstance(v, str)]
    bad = [
        {"loc": (where, name), "msg": _MSG, "type": "string_nul"}
        for where, (name, value) in places
        if has_nul(name) or has_nul(value)
    ]
    if bad:
        raise RequestValidationError(bad)
