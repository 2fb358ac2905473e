"""Absences: days a member is away, when nothing is assigned to them."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas import chores as schemas
from domain.chores import absences as service
from domain.chores.models import Absence
from domain.households.service import get_member

router = APIRouter(
    prefix="/v1/households/{household_id}/members/{member_id}/absences", tags=["absences"]
)
MemberId = Annotated[str, Path(max_length=36)]
AbsenceId = Annotated[str, Path(max_length=36)]


def render(absence: Absence) -> schemas.Absence:
    return schemas.Absence(
        id=absence.id,
        member_id=absence.member_id,
        from_=absence.first_day,
        to=absence.last_day,
        created_at=absence.created_at,
    )


@router.get("", response_model=Page[schemas.Absence], responses=errors(401, 403, 404, 422))
def list_absences(
    member_id: MemberId, membership: ReadHousehold, session: DbSession, paging: Paging
) -> Page[schemas.Absence]:
    """Newest first."""
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    rows = service.list_absences(session, member=member, after=paging.after, limit=paging.fetch)
    return page(rows, paging, render, lambda a: a.id)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Absence,
    responses=errors(401, 403, 404, 409, 422),
)
def create_absence(
    member_id: MemberId,
    body: schemas.AbsenceCreate,
    membership: WriteHousehold,
    session: DbSession,
    at: Now,
    response: Response,
) -> schemas.Absence:
    """By the member themself, or an admin for a managed member. Open occurrences already
    assigned to them in those days move to the next member by each chore's strategy
    (recorded as `chore.assigned`); a fixed chore goes to the least-loaded eligible member
    present, and one nobody present may take is left unassigned."""
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    absence = service.create_absence(
        session,
        membership=membership,
        member=member,
        first_day=body.from_,
        last_day=body.to,
        now=at,
    )
    set_etag(response, absence.version)
    response.headers["Location"] = (
        f"/v1/households/{member.household_id}/members/{member.id}/absences/{absence.id}"
    )
    return render(absence)


@router.get("/{absence_id}", response_model=schemas.Absence, responses=errors(401, 403, 404, 422))
def get_absence(
    member_id: MemberId,
    absence_id: AbsenceId,
    membership: ReadHousehold,
    session: DbSession,
    response: Response,
) -> schemas.Absence:
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    absence = service.get_absence(session, member=member, absence_id=absence_id)
    set_etag(response, absence.version)
    return render(absence)


@router.delete(
    "/{absence_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 412, 422),
)
def delete_absence(
    member_id: MemberId,
    absence_id: AbsenceId,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
) -> None:
    """Occurrences moved when it was created stay where they are now."""
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    absence = service.get_absence(session, member=member, absence_id=absence_id)
    check_if_match(request, absence.version)
    service.delete_absence(session, membership=membership, member=member, absence=absence)
