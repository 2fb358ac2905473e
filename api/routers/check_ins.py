"""Check-ins: how fair it feels and how heard each member feels, beside the measures."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas import fairness as schemas
from api.schemas.common import Day
from domain.fairness import check_ins as service
from domain.fairness.models import CheckIn
from domain.households.models import Member

router = APIRouter(prefix="/v1/households/{household_id}/check-ins", tags=["check-ins"])


def render(check_in: CheckIn, viewer: Member) -> schemas.CheckIn:
    return schemas.CheckIn(
        id=check_in.id,
        member_id=check_in.member_id,
        fairness=check_in.fairness,
        heard=check_in.heard,
        note=service.visible_note(check_in, viewer=viewer),
        share_note=check_in.share_note,
        date=check_in.date,
        created_by_member_id=check_in.created_by_member_id,
        created_at=check_in.created_at,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.CheckIn,
    responses=errors(401, 403, 404, 422),
)
def create_check_in(
    body: schemas.CheckInCreate,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
    at: Now,
) -> schemas.CheckIn:
    """A member rates fairness and feeling heard, 1–5 (themself, or an admin for a managed
    member). The note stays private to them unless `share_note` is true."""
    check_in = service.create_check_in(
        session,
        membership=membership,
        member_id=body.member_id,
        fairness=body.fairness,
        heard=body.heard,
        note=body.note,
        share_note=body.share_note,
        now=at,
    )
    response.headers["Location"] = f"/v1/households/{check_in.household_id}/check-ins"
    return render(check_in, membership.member)


@router.get("", response_model=Page[schemas.CheckIn], responses=errors(401, 403, 404, 422))
def list_check_ins(
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    member_id: Annotated[str | None, Query(max_length=36)] = None,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
) -> Page[schemas.CheckIn]:
    """Newest first; notes only where shared, or your own."""
    rows = service.list_check_ins(
        session,
        household_id=membership.household.id,
        member_id=member_id,
        first=from_,
        last=to,
        after=paging.after,
        limit=paging.fetch,
    )
    return page(rows, paging, lambda c: render(c, membership.member), lambda c: c.id)
