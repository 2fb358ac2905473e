"""Money put into a goal by its members, and taken out again."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.pagination import Page, Paging, date_after, date_key, page
from api.responses import errors
from api.schemas import goals as schemas
from domain.goals import contributions as service
from domain.goals.models import GoalContribution
from domain.goals.service import get_goal

router = APIRouter(
    prefix="/v1/households/{household_id}/goals/{goal_id}/contributions",
    tags=["goal-contributions"],
)
GoalId = Annotated[str, Path(max_length=36)]


def render(contribution: GoalContribution) -> schemas.Contribution:
    return schemas.Contribution.model_validate(contribution, from_attributes=True)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Contribution,
    responses=errors(401, 403, 404, 409, 422),
)
def create_goal_contribution(
    goal_id: GoalId,
    body: schemas.ContributionCreate,
    membership: WriteHousehold,
    session: DbSession,
    at: Now,
) -> schemas.Contribution:
    """Money a member put in; a negative amount takes money out, needs a note, and never
    more than is saved. An archived goal takes nothing (409)."""
    household = membership.household
    goal = get_goal(session, household_id=household.id, goal_id=goal_id, lock=True)
    contribution = service.add_contribution(
        session,
        household=household,
        goal=goal,
        actor=membership.actor,
        data=service.ContributionInput(
            member_id=body.member_id,
            amount=body.amount,
            currency=body.currency,
            date=body.date,
            note=body.note,
            exchange_rate=Decimal(body.exchange_rate) if body.exchange_rate else None,
        ),
        now=at,
    )
    return render(contribution)


@router.get("", response_model=Page[schemas.Contribution], responses=errors(401, 403, 404, 422))
def list_goal_contributions(
    goal_id: GoalId,
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    member_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[schemas.Contribution]:
    """Newest first by date; `member_id` keeps that member's."""
    goal = get_goal(session, household_id=membership.household.id, goal_id=goal_id)
    rows = service.list_contributions(
        session, goal_id=goal.id, member_id=member_id, after=date_after(paging), limit=paging.fetch
    )
    return page(rows, paging, render, lambda c: date_key(c.date, c.id))
