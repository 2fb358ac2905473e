"""Strong ETags for polled reads, from the household version; If-None-Match answers 304.

The tag covers everything a read's answer depends on besides its own inputs: the household
version (bumped by every write transaction, domain/households/versions.py), the path and
query, the caller's member (what they may see), and the clock — the household-local day
and the UTC hour, since a period, a due date or a pace moves with time alone. A poll that
presents the tag it was given gets a 304 after reading one row, never the ledger.
"""

import hashlib
from datetime import datetime
from functools import partial
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, Request, Response
from fastapi.responses import Response as PlainResponse
from sqlalchemy.orm import Session

from api.access import SCOPE_KEY, Access
from api.deps import Now, ReadHousehold, session_of
from domain.households import versions
from domain.households.service import Membership
from domain.recurrence import household_zone

SCHEME = "v1"  # bump when a response's shape changes, so no client keeps an old body


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the tag sent in If-None-Match is still current"}
}


class NotModified(Exception):
    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


def household_tag(session: Session, request: Request, membership: Membership, at: datetime) -> str:
    version = versions.current(session, household_id=membership.household.id)
    return tag_of(version, request, membership, at)


def tag_of(version: int, request: Request, membership: Membership, at: datetime) -> str:
    household = membership.household
    local_day = at.astimezone(household_zone(household.timezone)).date()
    parts = (
        SCHEME,
        str(version),
        membership.member.id,
        local_day.isoformat(),
        at.strftime("%Y%m%d%H"),
        request.url.path,
        request.url.query,
    )
    return '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'


def still_current(request: Request, tag: str) -> bool:
    """Whether the request's If-None-Match names `tag` (or `*`)."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return tag in candidates or "*" in candidates


async def _revalidate(
    request: Request, response: Response, membership: ReadHousehold, at: Now
) -> str:
    """On the event loop: the version comes with the token's statement (api/access.py),
    unless something was written since (then it is read again, in the thread pool)."""
    found: Access | None = request.scope.get(SCOPE_KEY)
    version = found.version if found is not None and found.membership is membership else None
    if version is None:
        household_id = membership.household.id
        read = partial(versions.current, session_of(request), household_id=household_id)
        version = await to_thread.run_sync(read)
    tag = tag_of(version, request, membership, at)
    if still_current(request, tag):
        raise NotModified(tag)
    response.headers["ETag"] = tag
    return tag


def tag_after_writing(
    request: Request, session: Session, membership: Membership, at: datetime
) -> str:
    """The tag of a read that writes first (occurrences made, decisions closed), taken after
    those writes (flushed, so their version bump counts): it names the answer."""
    session.flush()
    return household_tag(session, request, membership, at)


def revalidate_after_writing(
    request: Request, response: Response, session: Session, membership: Membership, at: datetime
) -> PlainResponse | None:
    """The 304 for a read that writes first, returned (not raised) so its writes are kept; or
    None, with the ETag set for the answer."""
    tag = tag_after_writing(request, session, membership, at)
    if still_current(request, tag):
        return PlainResponse(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return None


async def not_modified(_: Request, exc: Exception) -> PlainResponse:
    # async: Starlette runs a sync handler in the thread pool, a hop for every 304.
    assert isinstance(exc, NotModified)
    return PlainResponse(status_code=304, headers={"ETag": exc.tag})


# Declare after the membership (and after LedgerHousehold, which makes recurring expenses
# that came due first), so the version read is the one the answer is built from.
Revalidated = Annotated[str, Depends(_revalidate)]
