"""Households: create, list, read, change, delete."""

from fastapi import APIRouter, Request, Response, status

from api.deps import AdminHousehold, DbSession, Now, Reader, ReadHousehold, UnrestrictedWriter
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas import households as schemas
from domain.accounts import service as accounts
from domain.households import service
from domain.households.models import Household

router = APIRouter(prefix="/v1/households", tags=["households"])


def render(household: Household) -> schemas.Household:
    return schemas.Household.model_validate(household, from_attributes=True)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Household,
    responses=errors(401, 403, 409, 422),
)
def create_household(
    body: schemas.HouseholdCreate,
    principal: UnrestrictedWriter,
    session: DbSession,
    response: Response,
    at: Now,
) -> schemas.Household:
    """Create a household; the caller becomes its first member, with role admin."""
    user = accounts.get_user(session, user_id=principal.user_id)
    household, _ = service.create_household(
        session,
        user=user,
        name=body.name,
        currency=body.currency,
        timezone=body.timezone,
        now=at,
    )
    set_etag(response, household.version)
    response.headers["Location"] = f"/v1/households/{household.id}"
    return render(household)


@router.get("", response_model=Page[schemas.Household], responses=errors(401, 403, 422))
def list_households(
    principal: Reader, session: DbSession, paging: Paging
) -> Page[schemas.Household]:
    """The households the caller belongs to (only one, for a household-restricted token)."""
    rows = service.list_households(
        session,
        user_id=principal.user_id,
        only=principal.household_id,
        before_id=paging.after,
        limit=paging.fetch,
    )
    return page(rows, paging, lambda row: render(row[0]), lambda row: row[0].id)


@router.get("/{household_id}", response_model=schemas.Household, responses=errors(401, 403, 404))
def get_household(membership: ReadHousehold, response: Response) -> schemas.Household:
    set_etag(response, membership.household.version)
    return render(membership.household)


@router.patch(
    "/{household_id}",
    response_model=schemas.Household,
    responses=errors(401, 403, 404, 412, 422),
)
def update_household(
    body: schemas.HouseholdUpdate,
    membership: AdminHousehold,
    session: DbSession,
    request: Request,
    response: Response,
) -> schemas.Household:
    check_if_match(request, membership.household.version)
    household = service.update_household(session, membership=membership, changes=body.changes())
    set_etag(response, household.version)
    return render(household)


@router.delete(
    "/{household_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 412),
)
def delete_household(membership: AdminHousehold, session: DbSession, request: Request) -> None:
    """Delete the household and everything in it. Admins only."""
    check_if_match(request, membership.household.version)
    service.delete_household(session, membership=membership)
