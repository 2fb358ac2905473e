"""RFC 9457 problem details: the one shape every error takes."""

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:fairstead:problem:"


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where the bad value is, e.g. ['body', 'amount'].")
    msg: str


class Problem(BaseModel):
    """An error. `type` is stable and meant for code; `detail` is meant for people."""

    type: str = Field(examples=[TYPE_PREFIX + "not-found"])
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(
        default=None, description="Present on 422: every field that was wrong."
    )


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)
