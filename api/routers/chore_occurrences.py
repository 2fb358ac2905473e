"""Chore occurrences: the plan over the coming horizon, and what was done, skipped or moved."""

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response

from api.deps import (
    AutomationHousehold,
    DbSession,
    Now,
    ReadHousehold,
    WriteHousehold,
    writes_on_read,
)
from api.etags import set_etag
from api.pagination import Page, Paging, date_after, date_key, page
from api.responses import errors
from api.revalidation import NOT_MODIFIED, revalidate_after_writing
from api.schemas import chores as schemas
from api.schemas.common import Day
from domain.chores import completion as service
from domain.chores.models import ChoreOccurrence, Status
from domain.chores.occurrences import get_occurrence, list_occurrences, materialise_household

router = APIRouter(
    prefix="/v1/households/{household_id}/chore-occurrences", tags=["chore-occurrences"]
)
OccurrenceId = Annotated[str, Path(max_length=36)]


def render_occurrence(occurrence: ChoreOccurrence) -> schemas.ChoreOccurrence:
    return schemas.ChoreOccurrence(
        id=occurrence.id,
        chore_id=occurrence.chore_id,
        due_on=occurrence.due_on,
        assigned_member_id=occurrence.assigned_member_id,
        status=occurrence.status,  # type: ignore[arg-type]
        completed_by_member_id=occurrence.completed_by_member_id,
        completed_at=occurrence.completed_at,
        minutes=occurrence.minutes,
    )


def completion_of(body: schemas.CompletionIn | None) -> service.Completion:
    if body is None:
        return service.Completion()
    return service.Completion(
        member_id=body.member_id, minutes=body.minutes, completed_at=body.completed_at
    )


@router.get(
    "",
    response_model=Page[schemas.ChoreOccurrence],
    responses=errors(401, 403, 404, 422) | NOT_MODIFIED,
)
@writes_on_read
def list_chore_occurrences(
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    at: Now,
    request: Request,
    response: Response,
    from_: Annotated[Day | None, Query(alias="from", description="Due on or after.")] = None,
    to: Annotated[Day | None, Query(description="Due on or before.")] = None,
    member_id: Annotated[
        str | None, Query(max_length=36, description="Assigned to or completed by.")
    ] = None,
    status: Annotated[schemas.OccurrenceStatus | None, Query()] = None,
) -> Page[schemas.ChoreOccurrence] | Response:
    """By due date, earliest first. The coming horizon (28 days) is materialised and
    planned first, so the list always reaches that far ahead."""
    materialise_household(session, household=membership.household, now=at)
    if unchanged := revalidate_after_writing(request, response, session, membership, at):
        return unchanged
    rows = list_occurrences(
        session,
        household_id=membership.household.id,
        date_from=from_,
        date_to=to,
        member_id=member_id,
        status=Status(status) if status is not None else None,
        after=date_after(paging),
        limit=paging.fetch,
    )
    return page(rows, paging, render_occurrence, lambda o: date_key(o.due_on, o.id))


@router.get(
    "/{occurrence_id}",
    response_model=schemas.ChoreOccurrence,
    responses=errors(401, 403, 404, 422),
)
def get_chore_occurrence(
    occurrence_id: OccurrenceId, membership: ReadHousehold, session: DbSession, response: Response
) -> schemas.ChoreOccurrence:
    occurrence = get_occurrence(
        session, household_id=membership.household.id, occurrence_id=occurrence_id
    )
    set_etag(response, occurrence.version)
    return render_occurrence(occurrence)


@router.post(
    "/{occurrence_id}/complete",
    response_model=schemas.ChoreOccurrence,
    responses=errors(401, 403, 404, 409, 422),
)
def complete_chore_occurrence(
    occurrence_id: OccurrenceId,
    membership: AutomationHousehold,
    session: DbSession,
    at: Now,
    response: Response,
    body: Annotated[schemas.CompletionIn | None, Body()] = None,
) -> schemas.ChoreOccurrence:
    """*Automation*. Completing a done occurrence changes nothing and returns it as it is;
    a skipped one can still be done. Who completed it is kept apart from who it was
    assigned to."""
    occurrence = get_occurrence(
        session, household_id=membership.household.id, occurrence_id=occurrence_id, for_update=True
    )
    service.complete_occurrence(
        session,
        membership=membership,
        occurrence=occurrence,
        completion=completion_of(body),
        now=at,
    )
    set_etag(response, occurrence.version)
    return render_occurrence(occurrence)


@router.post(
    "/{occurrence_id}/skip",
    response_model=schemas.ChoreOccurrence,
    responses=errors(401, 403, 404, 409, 422),
)
def skip_chore_occurrence(
    occurrence_id: OccurrenceId, membership: WriteHousehold, session: DbSession, response: Response
) -> schemas.ChoreOccurrence:
    """Nobody does this one. Skipping twice changes nothing; a done one cannot be skipped."""
    occurrence = get_occurrence(
        session, household_id=membership.household.id, occurrence_id=occurrence_id, for_update=True
    )
    service.skip_occurrence(session, membership=membership, occurrence=occurrence)
    set_etag(response, occurrence.version)
    return render_occurrence(occurrence)


@router.post(
    "/{occurrence_id}/reassign",
    response_model=schemas.ChoreOccurrence,
    responses=errors(401, 403, 404, 409, 422),
)
def reassign_chore_occurrence(
    occurrence_id: OccurrenceId,
    body: schemas.ReassignIn,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
) -> schemas.ChoreOccurrence:
    """Give an open occurrence to an eligible member who is not away that day."""
    occurrence = get_occurrence(
        session, household_id=membership.household.id, occurrence_id=occurrence_id, for_update=True
    )
    service.reassign_occurrence(
        session, membership=membership, occurrence=occurrence, member_id=body.member_id
    )
    set_etag(response, occurrence.version)
    return render_occurrence(occurrence)
