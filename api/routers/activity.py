"""The activity feed: who did what in a household, newest first."""

from fastapi import APIRouter

from api.deps import DbSession, ReadHousehold
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas.households import Activity
from domain.activity.service import list_events

router = APIRouter(prefix="/v1/households/{household_id}/activity", tags=["activity"])


@router.get("", response_model=Page[Activity], responses=errors(401, 403, 404, 422))
def list_activity(membership: ReadHousehold, session: DbSession, paging: Paging) -> Page[Activity]:
    rows = list_events(
        session,
        household_id=membership.household.id,
        before_id=paging.after,
        limit=paging.fetch,
    )
    return page(
        rows, paging, lambda e: Activity.model_validate(e, from_attributes=True), lambda e: e.id
    )
