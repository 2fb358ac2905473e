"""Chores: definitions, stats, and the one-call completion for buttons and NFC tags."""

from dataclasses import replace
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response, status

from api.deps import (
    AutomationHousehold,
    DbSession,
    Now,
    ReadHousehold,
    WriteHousehold,
)
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.revalidation import NOT_MODIFIED, Revalidated
from api.routers.chore_occurrences import completion_of, render_occurrence
from api.schemas import chores as schemas
from api.schemas.common import Day
from domain.chores import chores as service
from domain.chores import completion
from domain.chores import stats as stats_service
from domain.chores.assignment import LOAD_WINDOW_DAYS
from domain.chores.members import local_day
from domain.chores.models import Chore

router = APIRouter(prefix="/v1/households/{household_id}/chores", tags=["chores"])
ChoreId = Annotated[str, Path(max_length=36)]


def render(chore: Chore, eligible: list[str] | None) -> schemas.Chore:
    return schemas.Chore(
        id=chore.id,
        name=chore.name,
        estimated_minutes=chore.estimated_minutes,
        effort=chore.effort,
        load=chore.load,  # type: ignore[arg-type]
        recurrence=chore.recurrence,
        starts_on=chore.starts_on,
        assignment=schemas.AssignmentOut(
            strategy=chore.strategy,  # type: ignore[arg-type]
            member_id=chore.fixed_member_id,
        ),
        eligible_member_ids=eligible,
        created_at=chore.created_at,
        updated_at=chore.updated_at,
    )


def _input(body: schemas.ChoreCreate) -> service.ChoreInput:
    return service.ChoreInput(
        name=body.name,
        estimated_minutes=body.estimated_minutes,
        effort=body.effort,
        load=body.load,
        recurrence=body.recurrence,
        starts_on=body.starts_on,
        strategy=body.assignment.strategy,
        fixed_member_id=body.assignment.member_id,
        eligible_member_ids=_eligible(body.eligible_member_ids),
    )


def _patched(current: service.ChoreInput, body: schemas.ChoreUpdate) -> service.ChoreInput:
    changes = body.changes()
    fields = ("name", "estimated_minutes", "effort", "load", "recurrence", "starts_on")
    out = {name: changes[name] for name in fields if name in changes}
    if body.assignment is not None:
        out |= {"strategy": body.assignment.strategy, "fixed_member_id": body.assignment.member_id}
    if "eligible_member_ids" in changes:
        out["eligible_member_ids"] = _eligible(body.eligible_member_ids)
    return replace(current, **out)


def _eligible(ids: list[str] | None) -> tuple[str, ...] | None:
    return None if ids is None else tuple(ids)


@router.get(
    "", response_model=Page[schemas.Chore], responses=errors(401, 403, 404, 422) | NOT_MODIFIED
)
def list_chores(
    membership: ReadHousehold, session: DbSession, paging: Paging, _etag: Revalidated
) -> Page[schemas.Chore]:
    """Newest first; deleted (archived) chores are left out."""
    rows = service.list_chores(
        session, household_id=membership.household.id, after=paging.after, limit=paging.fetch
    )
    eligible = service.eligible_of(session, rows)
    return page(rows, paging, lambda c: render(c, eligible[c.id]), lambda c: c.id)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Chore,
    responses=errors(401, 403, 404, 409, 422),
)
def create_chore(
    body: schemas.ChoreCreate,
    membership: WriteHousehold,
    session: DbSession,
    at: Now,
    response: Response,
) -> schemas.Chore:
    """Define a chore; its occurrences over the coming horizon are created and assigned."""
    chore = service.create_chore(session, membership=membership, data=_input(body), now=at)
    set_etag(response, chore.version)
    response.headers["Location"] = f"/v1/households/{chore.household_id}/chores/{chore.id}"
    return render(chore, body.eligible_member_ids)


@router.get("/stats", response_model=schemas.ChoreStats, responses=errors(401, 403, 404, 422))
def get_chore_stats(
    membership: ReadHousehold,
    session: DbSession,
    at: Now,
    from_: Annotated[Day | None, Query(alias="from", description="Default: 27 days ago.")] = None,
    to: Annotated[Day | None, Query(description="Default: today, household time.")] = None,
) -> schemas.ChoreStats:
    """Per member: occurrences completed (by the day they were done) and time entries, in
    minutes and weighted minutes, split by load type."""
    last = to or local_day(membership.household, at)
    first = from_ or last - timedelta(days=LOAD_WINDOW_DAYS - 1)
    rows = stats_service.chore_stats(
        session, household_id=membership.household.id, first=first, last=last
    )
    return schemas.ChoreStats(
        from_=first,
        to=last,
        members=[
            schemas.MemberChoreStats(
                member_id=row.member_id,
                completed_count=row.completed_count,
                time_entry_count=row.time_entry_count,
                minutes=row.minutes,
                weighted_minutes=float(row.weighted_minutes),
                by_load=schemas.LoadBreakdown(
                    **{
                        load.value: schemas.LoadTotal(
                            minutes=total.minutes, weighted_minutes=float(total.weighted_minutes)
                        )
                        for load, total in row.by_load.items()
                    }
                ),
            )
            for row in rows
        ],
    )


@router.get("/{chore_id}", response_model=schemas.Chore, responses=errors(401, 403, 404, 422))
def get_chore(
    chore_id: ChoreId, membership: ReadHousehold, session: DbSession, response: Response
) -> schemas.Chore:
    chore = service.get_chore(session, household_id=membership.household.id, chore_id=chore_id)
    set_etag(response, chore.version)
    return render(chore, service.eligible_of(session, [chore])[chore.id])


@router.patch(
    "/{chore_id}",
    response_model=schemas.Chore,
    responses=errors(401, 403, 404, 409, 412, 422),
)
def update_chore(
    chore_id: ChoreId,
    body: schemas.ChoreUpdate,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.Chore:
    """A new schedule or assignment re-plans the open occurrences after today; today's and
    past ones, and those done or skipped, stay as they are."""
    chore = service.get_chore(session, household_id=membership.household.id, chore_id=chore_id)
    check_if_match(request, chore.version)
    current = service.input_of(chore, service.eligible_of(session, [chore])[chore.id])
    data = _patched(current, body)
    service.update_chore(session, membership=membership, chore=chore, data=data, now=at)
    set_etag(response, chore.version)
    eligible = data.eligible_member_ids
    return render(chore, None if eligible is None else list(eligible))


@router.delete(
    "/{chore_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 412, 422),
)
def delete_chore(
    chore_id: ChoreId, membership: WriteHousehold, session: DbSession, request: Request, at: Now
) -> None:
    """The chore and its open occurrences go; occurrences done or skipped stay, with their
    chore_id, in the history that stats and fairness count."""
    chore = service.get_chore(session, household_id=membership.household.id, chore_id=chore_id)
    check_if_match(request, chore.version)
    service.delete_chore(session, membership=membership, chore=chore, now=at)


@router.post(
    "/{chore_id}/complete",
    response_model=schemas.ChoreOccurrence,
    responses=errors(401, 403, 404, 409, 422),
)
def complete_chore(
    chore_id: ChoreId,
    membership: AutomationHousehold,
    session: DbSession,
    at: Now,
    response: Response,
    body: Annotated[schemas.CompletionIn | None, Body()] = None,
) -> schemas.ChoreOccurrence:
    """*Automation*: one call from a button or an NFC tag, the body optional. Completes the
    earliest open occurrence due by today (a one-off chore's whenever it is due), or logs
    an ad-hoc one for today; if today's is already done, returns it unchanged."""
    chore = service.get_chore(session, household_id=membership.household.id, chore_id=chore_id)
    occurrence = completion.complete_chore(
        session, membership=membership, chore=chore, completion=completion_of(body), now=at
    )
    set_etag(response, occurrence.version)
    return render_occurrence(occurrence)
