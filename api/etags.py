"""ETag / If-Match: optimistic concurrency for single resources.

The ETag is the row's version number, bumped by every change, so a client that edits what
it read gets 412 instead of silently overwriting someone else's edit.
"""

from fastapi import Request, Response

from domain.errors import PreconditionFailed


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def check_if_match(request: Request, version: int) -> None:
    header = request.headers.get("if-match")
    if header is None:
        return
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    if "*" not in candidates and etag(version) not in candidates:
        raise PreconditionFailed(
            f"If-Match {header} does not match the current ETag {etag(version)}; "
            "fetch the resource again and reapply your change"
        )
