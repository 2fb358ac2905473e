"""Calendar feeds (RFC 5545) for calendar apps: the household's, and each member's.

Both carry a strong ETag from the household version (api/revalidation.py), taken after the
occurrences up to the horizon are made, so a calendar app or Home Assistant that polls with
If-None-Match gets a 304 until something in the household changes (or the day or hour turns).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from api import ics
from api.deps import DbSession, FeedHousehold, Now, writes_on_read
from api.responses import errors
from api.revalidation import NOT_MODIFIED, still_current, tag_after_writing
from domain.chores.members import local_day
from domain.chores.occurrences import materialise_household
from domain.feeds.entries import Window, household_entries, member_entries
from domain.households.service import get_member
from domain.settings import get_settings

router = APIRouter(prefix="/v1/households/{household_id}", tags=["calendars"])
MemberId = Annotated[str, Path(max_length=36, description="The member whose feed this is.")]

_EXAMPLE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Fairstead//Household calendar//EN\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n…\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nSUMMARY:Bins (Alex)\r\nDTSTART;VALUE=DATE:20260602\r\n"
    "DTEND;VALUE=DATE:20260603\r\nUID:chore-occurrence-0190…@fairstead\r\nSEQUENCE:0\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)
_FEED: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An iCalendar document (RFC 5545).",
        "content": {
            ics.MEDIA_TYPE.split(";")[0]: {"schema": {"type": "string"}, "example": _EXAMPLE}
        },
    },
    **errors(401, 403, 404, 422),
    **NOT_MODIFIED,
}
_HOW = (
    " Calendar apps subscribe to it by URL: add `?token=` with a token whose only scope is"
    " `feed` (restricted to this household), or send a bearer token with `read`. UIDs never"
    " change and SEQUENCE grows when an entry changes, so a re-read updates events in place."
    " The window reaches as far back as ahead (FAIRSTEAD_CHORE_HORIZON_DAYS). A strong ETag"
    " comes with it; `If-None-Match` with a current one answers 304."
)


def _window(membership: FeedHousehold, at: Now) -> Window:
    horizon = get_settings().chore_horizon_days
    return Window.around(local_day(membership.household, at), horizon)


def _not_modified(tag: str) -> Response:
    return Response(status_code=304, headers={"ETag": tag, "Cache-Control": "private"})


def _calendar(body: bytes, tag: str) -> Response:
    return Response(
        content=body,
        media_type=ics.MEDIA_TYPE,
        headers={"Cache-Control": "private", "ETag": tag},
    )


@router.get(
    "/calendar.ics",
    response_class=Response,
    responses=_FEED,
    summary="Get the household's calendar feed",
    description="Every chore occurrence with its assignee, decision deadlines and goal target"
    " dates, in the household's time zone." + _HOW,
)
@writes_on_read
def get_household_calendar(
    membership: FeedHousehold, session: DbSession, request: Request, at: Now
) -> Response:
    household = membership.household
    materialise_household(session, household=household, now=at)
    tag = tag_after_writing(request, session, membership, at)
    if still_current(request, tag):
        return _not_modified(tag)
    entries = household_entries(session, household=household, window=_window(membership, at))
    uid = f"{household.id}@fairstead"
    body = ics.render(entries, household=household, name=household.name, uid=uid, now=at)
    return _calendar(body, tag)


@router.get(
    "/members/{member_id}/calendar.ics",
    response_class=Response,
    responses=_FEED,
    summary="Get a member's calendar feed",
    description="What the member has to do: the chore occurrences assigned to (or done by)"
    " them, and the open decisions they have not voted on yet, with their deadlines." + _HOW,
)
@writes_on_read
def get_member_calendar(
    membership: FeedHousehold, session: DbSession, request: Request, at: Now, member_id: MemberId
) -> Response:
    household = membership.household
    member = get_member(session, household_id=household.id, member_id=member_id)
    materialise_household(session, household=household, now=at)
    tag = tag_after_writing(request, session, membership, at)
    if still_current(request, tag):
        return _not_modified(tag)
    entries = member_entries(
        session, household=household, member_id=member.id, window=_window(membership, at)
    )
    name = f"{household.name}: {member.display_name}"
    uid = f"{member.id}@fairstead"
    return _calendar(ics.render(entries, household=household, name=name, uid=uid, now=at), tag)
