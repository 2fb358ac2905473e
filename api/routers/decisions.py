"""Decisions: propose, vote (open or secret ballots), close, and who decides."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold, writes_on_read
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.revalidation import NOT_MODIFIED, revalidate_after_writing
from api.schemas import decisions as schemas
from api.schemas.common import Day
from domain.decisions import closing, service
from domain.decisions.methods import Method
from domain.decisions.models import Decision, DecisionVoter
from domain.decisions.statistics import household_decision_stats

router = APIRouter(prefix="/v1/households/{household_id}/decisions", tags=["decisions"])
DecisionId = Annotated[str, Path(max_length=36)]
MemberId = Annotated[str, Path(max_length=36)]


def render(session: Session, decision: Decision) -> schemas.Decision:
    return _render(decision, service.voters_of(session, [decision.id]).get(decision.id, []))


def _render(decision: Decision, voters: list[DecisionVoter]) -> schemas.Decision:
    secret = decision.ballot == service.BallotKind.SECRET
    quorum = service.quorum_of(decision)
    return schemas.Decision(
        id=decision.id,
        title=decision.title,
        description=decision.description,
        method=Method(decision.method),
        options=[schemas.Option(**o) for o in decision.options],
        ballot=service.BallotKind(decision.ballot),
        quorum=quorum if quorum is None or isinstance(quorum, int) else float(quorum),
        category=decision.category,
        closes_at=decision.closes_at,
        status="closed" if decision.status == service.CLOSED else "open",
        proposed_by_member_id=decision.proposed_by_member_id,
        voters=[v.member_id for v in voters],
        votes=None if secret else [_vote(v) for v in voters],
        result=None if decision.result is None else schemas.Result.model_validate(decision.result),
        closed_at=decision.closed_at,
        closed_by_member_id=decision.closed_by_member_id,
        created_at=decision.created_at,
    )


def _vote(vote: DecisionVoter) -> schemas.Vote:
    return schemas.Vote(
        decision_id=vote.decision_id,
        member_id=vote.member_id,
        ballot=vote.ballot,
        voted_at=vote.voted_at,
        cast_by_member_id=vote.cast_by_member_id,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Decision,
    responses=errors(401, 403, 404, 409, 422),
)
def create_decision(
    body: schemas.DecisionCreate,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
    at: Now,
) -> schemas.Decision:
    """Propose a decision; the caller is recorded as its proposer."""
    decision = service.create_decision(
        session,
        membership=membership,
        data=service.DecisionInput(
            title=body.title,
            description=body.description,
            method=body.method,
            options=body.options,
            closes_at=body.closes_at,
            quorum=body.quorum_value(),
            ballot=body.ballot,
            category=body.category,
        ),
        now=at,
    )
    set_etag(response, decision.version)
    response.headers["Location"] = f"/v1/households/{decision.household_id}/decisions/{decision.id}"
    return render(session, decision)


@router.get(
    "",
    response_model=Page[schemas.Decision],
    responses=errors(401, 403, 404, 422) | NOT_MODIFIED,
)
@writes_on_read
def list_decisions(
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    at: Now,
    request: Request,
    response: Response,
    status: Literal["open", "closed"] | None = None,
) -> Page[schemas.Decision] | Response:
    """Newest first. Decisions whose deadline has passed are closed and counted first."""
    closing.close_due(session, now=at, household_id=membership.household.id)
    if unchanged := revalidate_after_writing(request, response, session, membership, at):
        return unchanged
    rows = service.list_decisions(
        session,
        household_id=membership.household.id,
        status=status,
        after=paging.after,
        limit=paging.fetch,
    )
    voters = service.voters_of(session, [d.id for d in rows[: paging.limit]])
    return page(rows, paging, lambda d: _render(d, voters.get(d.id, [])), lambda d: d.id)


@router.get(
    "/stats",
    response_model=schemas.DecisionStats,
    responses=errors(401, 403, 404, 422),
)
def get_decision_stats(
    membership: ReadHousehold,
    session: DbSession,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
) -> schemas.DecisionStats:
    """Who decides, per member: decisions proposed, ballots cast, how often their (open)
    ballot matched the outcome, and blocks used, over decisions proposed in the period."""
    rows = household_decision_stats(
        session, household=membership.household, date_from=from_, date_to=to
    )
    return schemas.DecisionStats.model_validate(
        {"from": from_, "to": to, "members": [r.as_json() for r in rows]}
    )


@router.get("/{decision_id}", response_model=schemas.Decision, responses=errors(401, 403, 404))
@writes_on_read
def get_decision(
    decision_id: DecisionId,
    membership: ReadHousehold,
    session: DbSession,
    response: Response,
    at: Now,
) -> schemas.Decision:
    """With its result once closed (a passed deadline closes it now)."""
    decision = service.get_decision(
        session, household_id=membership.household.id, decision_id=decision_id
    )
    closing.close_if_due(session, decision, now=at)
    set_etag(response, decision.version)
    return render(session, decision)


@router.put(
    "/{decision_id}/votes/{member_id}",
    response_model=schemas.Vote,
    responses=errors(401, 403, 404, 409, 412, 422),
)
def cast_vote(
    decision_id: DecisionId,
    member_id: MemberId,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
    ballot: Annotated[
        dict[str, Any],
        Body(description=schemas.BALLOT_DESCRIPTION, openapi_examples=schemas.BALLOT_EXAMPLES),
    ],
) -> schemas.Vote:
    """Cast a member's ballot, or change it while the decision is open. The member votes
    themself; an admin may vote for a managed member, recorded as on their behalf. A secret
    ballot is final once cast (409 on a second one) and is never returned."""
    decision = service.get_decision(
        session, household_id=membership.household.id, decision_id=decision_id
    )
    # A malformed ballot is a 422 before the If-Match check, as any malformed body is.
    service.read_ballot(decision, ballot)
    current = service.find_vote(session, decision_id=decision.id, member_id=member_id)
    if current is not None:
        check_if_match(request, current.version)
    vote = service.cast_vote(
        session,
        membership=membership,
        decision=decision,
        member_id=member_id,
        raw_ballot=ballot,
        now=at,
    )
    set_etag(response, vote.version)
    return _vote(vote)


@router.post(
    "/{decision_id}/close",
    response_model=schemas.Decision,
    responses=errors(401, 403, 404, 409),
)
def close_decision(
    decision_id: DecisionId,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
    at: Now,
) -> schemas.Decision:
    """Count the ballots now (the proposer or an admin) and return the decision with its
    result. Closing a decision that is already closed returns the result it has."""
    decision = service.get_decision(
        session, household_id=membership.household.id, decision_id=decision_id
    )
    closing.close_decision(session, membership=membership, decision=decision, now=at)
    set_etag(response, decision.version)
    return render(session, decision)
