"""Shared goals: what the household saves towards, and how far along it is."""

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page_of
from api.responses import errors
from api.revalidation import NOT_MODIFIED, Revalidated
from api.schemas import goals as schemas
from api.schemas.common import Money
from api.schemas.ledger import SplitIn, SplitOut
from domain.goals import service
from domain.goals.models import Goal
from domain.goals.tracking import note_changes, progress_of
from domain.imports.rule_store import refuse_if_goal_booked
from domain.ledger.recurring import local_today
from domain.ledger.splitting import Participant, SplitMethod

router = APIRouter(prefix="/v1/households/{household_id}/goals", tags=["goals"])
GoalId = Annotated[str, Path(max_length=36)]


def render_many(session: Session, goals: list[Goal]) -> list[schemas.Goal]:
    saved = service.saved_of(session, [g.id for g in goals])
    return [_render(g, saved[g.id]) for g in goals]


def render(session: Session, goal: Goal) -> schemas.Goal:
    return render_many(session, [goal])[0]


def _render(goal: Goal, saved: int) -> schemas.Goal:
    target = goal.target_amount
    return schemas.Goal(
        id=goal.id,
        name=goal.name,
        description=goal.description,
        target=None if target is None else Money(amount=target, currency=goal.currency),
        currency=goal.currency,
        due_on=goal.due_on,
        split=SplitOut.of(goal.split_method, goal.split_participants),
        saved=saved,
        reached=target is not None and saved >= target,
        archived=goal.archived_at is not None,
        archived_at=goal.archived_at,
        created_at=goal.created_at,
        updated_at=goal.updated_at,
    )


def _split(split: SplitIn | None) -> dict[str, Any]:
    split = split or SplitIn(method=SplitMethod.AGREEMENT)
    return {
        "split_method": split.method,
        "participants": [
            Participant(p.member_id, shares=p.shares, percent=p.percent_decimal(), amount=p.amount)
            for p in split.participants
        ],
    }


def _target(target: Money | None) -> dict[str, Any]:
    return {
        "target_amount": None if target is None else target.amount,
        "target_currency": None if target is None else target.currency,
    }


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Goal,
    responses=errors(401, 403, 404, 422),
)
def create_goal(
    body: schemas.GoalCreate,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
    at: Now,
) -> schemas.Goal:
    """A goal the household saves towards; its split says who should carry what share."""
    household = membership.household
    goal = service.create_goal(
        session,
        household=household,
        actor=membership.actor,
        data=service.GoalInput(
            name=body.name,
            due_on=body.due_on,
            description=body.description,
            **_target(body.target),
            **_split(body.split),
        ),
        today=local_today(household, at),
    )
    set_etag(response, goal.version)
    response.headers["Location"] = f"/v1/households/{household.id}/goals/{goal.id}"
    return render(session, goal)


@router.get(
    "", response_model=Page[schemas.Goal], responses=errors(401, 403, 404, 422) | NOT_MODIFIED
)
def list_goals(
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    _etag: Revalidated,
    archived: Annotated[bool | None, Query(description="Only archived, or only active.")] = None,
) -> Page[schemas.Goal]:
    """Newest first."""
    rows = service.list_goals(
        session,
        household_id=membership.household.id,
        archived=archived,
        after=paging.after,
        limit=paging.fetch,
    )
    return page_of(rows, paging, lambda shown: render_many(session, list(shown)), lambda g: g.id)


@router.get("/{goal_id}", response_model=schemas.Goal, responses=errors(401, 403, 404))
def get_goal(
    goal_id: GoalId, membership: ReadHousehold, session: DbSession, response: Response
) -> schemas.Goal:
    goal = service.get_goal(session, household_id=membership.household.id, goal_id=goal_id)
    set_etag(response, goal.version)
    return render(session, goal)


@router.patch(
    "/{goal_id}", response_model=schemas.Goal, responses=errors(401, 403, 404, 409, 412, 422)
)
def update_goal(
    goal_id: GoalId,
    body: schemas.GoalUpdate,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.Goal:
    """Change any field (`null` clears the target, due date, split or description), or
    archive and unarchive with `archived`."""
    household = membership.household
    goal = service.get_goal(session, household_id=household.id, goal_id=goal_id, lock=True)
    check_if_match(request, goal.version)
    changes = body.changes()
    if changes.get("archived") is False:
        service.set_archived(session, goal=goal, actor=membership.actor, archived=False, now=at)
    fields = {k: v for k, v in changes.items() if k != "archived"}
    if fields:
        data = service.input_of(goal)
        out: dict[str, Any] = {
            k: fields[k] for k in ("name", "due_on", "description") if k in fields
        }
        if "target" in fields:
            out |= _target(body.target)
        if "split" in fields:
            out |= _split(body.split)
        service.update_goal(
            session,
            household=household,
            actor=membership.actor,
            goal=goal,
            data=replace(data, **out),
            changed=list(fields),
            today=local_today(household, at),
            now=at,
        )
        note_changes(session, household=household, goal=goal, actor=membership.actor, now=at)
    if changes.get("archived") is True:
        service.set_archived(session, goal=goal, actor=membership.actor, archived=True, now=at)
    set_etag(response, goal.version)
    return render(session, goal)


@router.delete(
    "/{goal_id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(401, 403, 404, 409, 412)
)
def delete_goal(
    goal_id: GoalId, membership: WriteHousehold, session: DbSession, request: Request, at: Now
) -> None:
    """Deleted while nothing has been put in; archived once it has contributions, so the
    money stays on record (GET shows it with `archived: true`). A goal an import rule books
    into cannot go (409) until the rule does."""
    goal = service.get_goal(session, household_id=membership.household.id, goal_id=goal_id)
    check_if_match(request, goal.version)
    refuse_if_goal_booked(session, goal)
    service.delete_goal(session, goal=goal, actor=membership.actor, now=at)


@router.get(
    "/{goal_id}/progress", response_model=schemas.GoalProgress, responses=errors(401, 403, 404, 422)
)
def get_goal_progress(
    goal_id: GoalId, membership: ReadHousehold, session: DbSession, at: Now
) -> schemas.GoalProgress:
    """Saved, remaining, the monthly saving needed by the due date, whether the last three
    months' pace gets there, and per member what they put in against their agreed share.
    A 422 means the household agreement can no longer split it (a missing income, say)."""
    household = membership.household
    goal = service.get_goal(session, household_id=household.id, goal_id=goal_id)
    today = local_today(household, at)
    state = progress_of(session, goal=goal, today=today)
    return schemas.GoalProgress(
        goal_id=goal.id,
        as_of=today,
        currency=goal.currency,
        saved=state.saved,
        target=state.target,
        remaining=state.remaining,
        reached=state.reached,
        due_on=goal.due_on,
        past_due=state.past_due,
        months_left=state.months_left,
        monthly_needed=state.monthly_needed,
        pace_monthly=int(state.pace_monthly),
        projected=state.projected,
        on_track=state.on_track,
        members=[
            schemas.MemberProgress(
                member_id=m.member_id,
                contributed=int(m.actual),
                contributed_share=float(m.actual_share),
                target_share=float(m.target_share),
                deviation=float(m.deviation),
                agreed=state.agreed.get(m.member_id, 0),
            )
            for m in state.members.members
        ],
    )
