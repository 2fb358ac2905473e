"""Chore preferences: how each member feels about a chore (prefer, neutral, avoid)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from api.deps import DbSession, ReadHousehold, WriteHousehold
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas import chores as schemas
from domain.chores import chores as service
from domain.chores.models import ChorePreference
from domain.households.service import get_member

router = APIRouter(
    prefix="/v1/households/{household_id}/chores/{chore_id}/preferences",
    tags=["chore-preferences"],
)
ChoreId = Annotated[str, Path(max_length=36)]
MemberId = Annotated[str, Path(max_length=36)]


def render_preference(row: ChorePreference) -> schemas.ChorePreference:
    return schemas.ChorePreference(
        chore_id=row.chore_id,
        member_id=row.member_id,
        preference=row.preference,  # type: ignore[arg-type]
    )


@router.get("", response_model=Page[schemas.ChorePreference], responses=errors(401, 403, 404, 422))
def list_chore_preferences(
    chore_id: ChoreId, membership: ReadHousehold, session: DbSession, paging: Paging
) -> Page[schemas.ChorePreference]:
    """The preferences members have set; a member who set none is neutral."""
    chore = service.get_chore(session, household_id=membership.household.id, chore_id=chore_id)
    rows = service.list_preferences(session, chore=chore, after=paging.after, limit=paging.fetch)
    return page(rows, paging, render_preference, lambda r: r.member_id)


@router.put(
    "/{member_id}",
    response_model=schemas.ChorePreference,
    responses=errors(401, 403, 404, 412, 422),
)
def set_chore_preference(
    chore_id: ChoreId,
    member_id: MemberId,
    body: schemas.PreferenceIn,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
) -> schemas.ChorePreference:
    """The member themself, or an admin for a managed member. `least_loaded` gives a tie
    to whoever prefers the chore."""
    household_id = membership.household.id
    chore = service.get_chore(session, household_id=household_id, chore_id=chore_id)
    member = get_member(session, household_id=household_id, member_id=member_id)
    existing = service.get_preference(session, chore=chore, member=member)
    check_if_match(request, existing.version if existing is not None else 0)
    row = service.set_preference(
        session, membership=membership, chore=chore, member=member, preference=body.preference
    )
    set_etag(response, row.version)
    return render_preference(row)
