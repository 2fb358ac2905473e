"""The one table from domain errors (and framework errors) to HTTP problems."""

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from api.problems import problem_response
from domain import errors

log = logging.getLogger("fairstead")

# domain error class → (status, problem slug, title)
DOMAIN_PROBLEMS: dict[type[errors.DomainError], tuple[int, str, str]] = {
    errors.InvalidInput: (422, "invalid-input", "The request is not valid"),
    errors.NotFound: (404, "not-found", "Not found"),
    errors.Conflict: (409, "conflict", "Conflict with the current state"),
    errors.Unauthenticated: (401, "unauthenticated", "Authentication required"),
    errors.Forbidden: (403, "forbidden", "Not allowed"),
    errors.PreconditionFailed: (412, "precondition-failed", "The resource has changed"),
    errors.Gone: (410, "gone", "No longer available"),
}

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_HTTP_SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    429: "too-many-requests",
}


def _index_or_key(part: str | int) -> str | int:
    # isdigit() alone holds for '³', which int() refuses: a user's own key in a field path
    # (a credentials name) must not turn a 422 into a 500.
    text = str(part)
    return int(text) if text.isascii() and text.isdigit() else part


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    # async: Starlette runs a sync handler in the thread pool, a hop for every 401/403/404.
    assert isinstance(exc, errors.DomainError)
    status, slug, title = next(
        value for cls, value in DOMAIN_PROBLEMS.items() if isinstance(exc, cls)
    )
    field_errors = None
    if status == 422:
        loc: list[str | int] = ["body", *exc.field.split(".")] if exc.field else ["body"]
        field_errors = [{"loc": [_index_or_key(p) for p in loc], "msg": exc.detail}]
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return problem_response(status, slug, title, exc.detail, errors=field_errors, headers=headers)


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    field_errors: list[dict[str, Any]] = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", "invalid"), "type": e.get("type")}
        for e in exc.errors()
    ]
    summary = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in field_errors[:5]
    )
    return problem_response(
        422, "validation-error", "The request is not valid", summary, errors=field_errors
    )


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    slug = _HTTP_SLUGS.get(exc.status_code, "http-error")
    title = slug.replace("-", " ").capitalize()
    detail = exc.detail if isinstance(exc.detail, str) else title
    headers = dict(exc.headers) if exc.headers is not None else None
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    return problem_response(exc.status_code, slug, title, detail, headers=headers)


def _allowed_methods(request: Request) -> str:
    """Starlette's 405 names the methods of the first route on the path only; one path is
    served by several routes here (GET and POST are two endpoints), so read them from the
    OpenAPI paths. Where a literal path and a template both match (`/chores/stats`,
    `/chores/{chore_id}`), the literal one is the resource meant, so only its methods count."""
    matching = [
        (template, item)
        for template, item in request.app.openapi()["paths"].items()
        if re.fullmatch(re.sub(r"{\w+}", "[^/]+", template), request.url.path)
    ]
    fewest = min((template.count("{") for template, _ in matching), default=0)
    methods = {
        method.upper()
        for template, item in matching
        if template.count("{") == fewest
        for method in item
    }
    return ", ".join(m for m in _METHODS if m in methods)


def _integrity_error(_: Request, exc: Exception) -> JSONResponse:
    log.info("integrity error: %s", exc)
    return problem_response(
        409,
        "conflict",
        "Conflict with the current state",
        "the change conflicts with existing data (a duplicate, or something still refers to it)",
    )


def _unavailable(_: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", exc)
    return problem_response(
        503,
        "unavailable",
        "Service unavailable",
        "the database is busy or unreachable; nothing was changed, try again",
        headers={"Retry-After": "1"},
    )


def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return problem_response(
        500, "internal-error", "Internal error", "something went wrong on our side"
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(OperationalError, _unavailable)
    app.add_exception_handler(PoolTimeout, _unavailable)
    app.add_exception_handler(Exception, _unexpected)
