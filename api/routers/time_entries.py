"""Time entries: unplanned work, counted beside completed chores."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas import chores as schemas
from api.schemas.common import Day
from domain.chores import time_entries as service
from domain.chores.models import TimeEntry

router = APIRouter(prefix="/v1/households/{household_id}/time-entries", tags=["time-entries"])


def render(entry: TimeEntry) -> schemas.TimeEntry:
    return schemas.TimeEntry(
        id=entry.id,
        member_id=entry.member_id,
        minutes=entry.minutes,
        date=entry.date,
        chore_id=entry.chore_id,
        load=entry.load,  # type: ignore[arg-type]
        effort=entry.effort,
        note=entry.note,
        created_at=entry.created_at,
    )


@router.get("", response_model=Page[schemas.TimeEntry], responses=errors(401, 403, 404, 422))
def list_time_entries(
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
    member_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[schemas.TimeEntry]:
    """Newest first."""
    rows = service.list_time_entries(
        session,
        household_id=membership.household.id,
        member_id=member_id,
        date_from=from_,
        date_to=to,
        after=paging.after,
        limit=paging.fetch,
    )
    return page(rows, paging, render, lambda e: e.id)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.TimeEntry,
    responses=errors(401, 403, 404, 409, 422),
)
def create_time_entry(
    body: schemas.TimeEntryCreate,
    membership: WriteHousehold,
    session: DbSession,
    at: Now,
) -> schemas.TimeEntry:
    """Log work no occurrence describes, by the member themself or by an admin for a managed
    member. It counts in stats and in the load `least_loaded` balances."""
    entry = service.create_time_entry(
        session,
        membership=membership,
        data=service.TimeEntryInput(
            member_id=body.member_id,
            minutes=body.minutes,
            date=body.date,
            load=body.load,
            chore_id=body.chore_id,
            effort=body.effort,
            note=body.note,
        ),
        now=at,
    )
    return render(entry)
