"""Fairness: the measured report, the dashboard summary, and proposals with their responses."""

from fractions import Fraction
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from api import chart
from api.deps import DbSession, Now, ReadHousehold, WriteHousehold, write_apart
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.rendered import Rendered
from api.responses import errors
from api.revalidation import NOT_MODIFIED, Revalidated
from api.schemas import fairness as schemas
from api.schemas.common import Day
from domain.agreement.versions import versions
from domain.chores.members import local_day
from domain.fairness import responding
from domain.fairness.models import Proposal, ProposalResponse
from domain.fairness.proposing import generate
from domain.fairness.reporting import (
    build_report,
    current_period,
    measure_summary,
    track,
)
from domain.fairness.timeline import default_range, timeline
from domain.goals.nearest import nearest_goal_fields
from domain.households.models import Household
from domain.households.service import get_member
from domain.proposals.measures import Dimension
from domain.proposals.scores import Report

router = APIRouter(prefix="/v1/households/{household_id}/fairness", tags=["fairness"])
ProposalId = Annotated[str, Path(max_length=36)]
MemberId = Annotated[str, Path(max_length=36)]
Status = Literal["open", "accepted", "rejected", "superseded", "applied"]
_REPORT = Rendered(schemas.FairnessReport)
_SUMMARY = Rendered(schemas.FairnessSummary)


def _score(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 1)


def _share(value: Fraction) -> float:
    return round(float(value), 4)


def _dimension(dimension: Dimension, *, money: bool) -> dict[str, Any]:
    return {
        "score": _score(dimension.score),
        "members": [
            {
                "member_id": m.member_id,
                "actual": int(m.actual) if money else round(float(m.actual), 2),
                "actual_share": _share(m.actual_share),
                "target_share": _share(m.target_share),
                "deviation": _share(m.deviation),
            }
            for m in dimension.members
        ],
    }


def report_json(report: Report) -> dict[str, Any]:
    """The report as `schemas.FairnessReport` shows it, in plain values."""
    return {
        "from": report.first,
        "to": report.last,
        "currency": report.currency,
        "overall_score": _score(report.scores.overall),
        "agreement_version": report.agreement_version,
        "dimensions": {
            "money": _dimension(report.money, money=True),
            "time": _dimension(report.time, money=False),
            "decisions": {"members": [d.as_json() for d in report.decisions]},
            "goals": (
                _dimension(report.goals, money=True)
                if report.goals is not None
                else {"score": None, "members": []}
            ),
        },
        "check_ins": [
            {
                "member_id": c.member_id,
                "count": c.count,
                "fairness": None if c.fairness is None else round(float(c.fairness), 1),
                "heard": None if c.heard is None else round(float(c.heard), 1),
            }
            for c in report.check_ins
        ],
        "findings": list(report.findings),
    }


def _render(proposal: Proposal, responses: list[ProposalResponse]) -> schemas.Proposal:
    period = None
    if proposal.period_from is not None and proposal.period_to is not None:
        period = {"from": proposal.period_from, "to": proposal.period_to}
    return schemas.Proposal(
        id=proposal.id,
        kind=proposal.kind,
        status=proposal.status,  # type: ignore[arg-type]
        rationale=proposal.rationale,
        affected_member_ids=proposal.affected_member_ids,
        responses=[
            schemas.ProposalResponse(
                member_id=r.member_id,
                response=r.response,  # type: ignore[arg-type]
                note=r.note,
                responded_at=r.responded_at,
                responded_by_member_id=r.responded_by_member_id,
            )
            for r in responses
        ],
        expected=schemas.ExpectedScores.model_validate(proposal.expected),
        details=proposal.details,
        period=period,
        created_at=proposal.created_at,
        closed_at=proposal.closed_at,
    )


def render_proposal(session: Session, proposal: Proposal) -> schemas.Proposal:
    return _render(proposal, responding.responses_of(session, [proposal.id])[proposal.id])


@router.get(
    "/report",
    response_model=schemas.FairnessReport,
    responses=errors(401, 403, 404, 422) | NOT_MODIFIED,
)
def get_fairness_report(
    membership: ReadHousehold,
    session: DbSession,
    response: Response,
    at: Now,
    _etag: Revalidated,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
) -> Response:
    """Money, time and decisions of a period measured against the agreement, with the
    members' check-ins and findings in words. Default period: this week or month (as
    agreed) up to today. At most five years."""
    history = versions(session, membership.household.id)
    first, last = current_period(session, membership.household, at, history)
    report, _ = build_report(
        session,
        household=membership.household,
        first=from_ or first,
        last=to or last,
        history=history,
    )
    return _REPORT.response(report_json(report), headers_from=response)


@router.get(
    "/summary",
    response_model=schemas.FairnessSummary,
    responses=errors(401, 403, 404) | NOT_MODIFIED,
)
def get_fairness_summary(
    membership: ReadHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
    _etag: Revalidated,
) -> Response:
    """This period's scores, the biggest imbalance in one sentence, open proposals and the
    largest balance (in major units), and the nearest goal's progress (the active goal with
    a target still to reach that is due soonest): flat, for dashboards and Home Assistant
    sensors.
    Reading it records `fairness.changed` when the overall score moved by more than the
    agreed tolerance since the last reading."""
    household = membership.household
    result = measure_summary(session, household=household, now=at)
    if not result.tracked:
        # Kept in a transaction of its own, so the reads that find the score unchanged (most
        # of them) never take SQLite's write lock; `track` reads the kept score again there.
        with write_apart(request) as writing:
            kept = writing.get_one(Household, household.id)
            track(writing, household=kept, report=result.report, now=at)
    scores = result.report.scores
    answer = {
        "overall_score": _score(scores.overall),
        "money_score": _score(scores.money),
        "time_score": _score(scores.time),
        "headline": result.headline,
        "open_proposals": result.open_proposals,
        "currency": result.report.currency,
        "largest_balance": float(result.largest_balance),
        **nearest_goal_fields(session, membership.household, at, read=result.goals),
    }
    return _SUMMARY.response(answer, headers_from=response)


_SVG_EXAMPLE = (
    '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title chart-desc"'
    ' viewBox="0 0 800 520"><title id="chart-title">Fairness in Home, 2026-01-01 to 2026-06-30'
    '</title><desc id="chart-desc">Fairness scores (0 to 100) per month …</desc>…</svg>'
)


@router.get(
    "/chart.svg",
    response_class=Response,
    responses={
        200: {
            "description": "An SVG image (accessible: title, description, labelled axes).",
            "content": {"image/svg+xml": {"schema": {"type": "string"}, "example": _SVG_EXAMPLE}},
        },
        **errors(401, 403, 404, 422),
        **NOT_MODIFIED,
    },
    summary="Get the fairness chart",
    description="The overall, money and time scores per period (week or month, as agreed) and"
    " each member's actual against target shares of money and time over the whole range, as"
    " an accessible SVG for a dashboard or a wall tablet. Default range: the last twelve"
    " periods up to today; at most five years (a range of more than 62 weeks is drawn by"
    " month). `theme=dark` draws light on dark. A strong ETag comes with it;"
    " `If-None-Match` with a current one answers 304.",
)
def get_fairness_chart(
    membership: ReadHousehold,
    session: DbSession,
    at: Now,
    etag: Revalidated,
    from_: Annotated[Day | None, Query(alias="from", description="First day drawn.")] = None,
    to: Annotated[Day | None, Query(description="Last day drawn (default: today).")] = None,
    theme: Annotated[Literal["light", "dark"], Query(description="Colours.")] = "light",
) -> Response:
    household = membership.household
    today = local_day(household, at)
    last = to or today
    first = from_ or default_range(session, household, last)[0]
    drawn = timeline(session, household=household, first=first, last=last)
    return Response(
        content=chart.render(drawn, theme=theme),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=60", "ETag": etag},
    )


@router.post(
    "/proposals",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ProposalList,
    responses=errors(401, 403, 404, 409, 422),
)
def generate_fairness_proposals(
    body: schemas.ProposalsRequest, membership: WriteHousehold, session: DbSession, at: Now
) -> schemas.ProposalList:
    """Measure the period and propose what would bring it back to the agreement:
    settle_up, chore_rebalance, time_compensation, agreement_review, decision_balance.
    Proposals still open from an earlier run are superseded."""
    proposals = generate(session, membership=membership, first=body.from_, last=body.to, now=at)
    responses = responding.responses_of(session, [p.id for p in proposals])
    return schemas.ProposalList(data=[_render(p, responses[p.id]) for p in proposals])


@router.get(
    "/proposals",
    response_model=Page[schemas.Proposal],
    responses=errors(401, 403, 404, 422) | NOT_MODIFIED,
)
def list_fairness_proposals(
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    _etag: Revalidated,
    status: Status | None = None,
) -> Page[schemas.Proposal]:
    """Newest first."""
    rows = responding.list_proposals(
        session,
        household_id=membership.household.id,
        status=status,
        after=paging.after,
        limit=paging.fetch,
    )
    responses = responding.responses_of(session, [p.id for p in rows[: paging.limit]])
    return page(rows, paging, lambda p: _render(p, responses[p.id]), lambda p: p.id)


@router.get(
    "/proposals/{proposal_id}", response_model=schemas.Proposal, responses=errors(401, 403, 404)
)
def get_fairness_proposal(
    proposal_id: ProposalId, membership: ReadHousehold, session: DbSession, response: Response
) -> schemas.Proposal:
    proposal = responding.get_proposal(
        session, household_id=membership.household.id, proposal_id=proposal_id
    )
    set_etag(response, proposal.version)
    return render_proposal(session, proposal)


@router.put(
    "/proposals/{proposal_id}/responses/{member_id}",
    response_model=schemas.Proposal,
    responses=errors(401, 403, 404, 409, 412, 422),
)
def respond_to_fairness_proposal(
    proposal_id: ProposalId,
    member_id: MemberId,
    body: schemas.ProposalResponseIn,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.Proposal:
    """A member accepts or rejects (themself, or an admin for a managed member). Any
    reject closes the proposal; when every affected member has accepted it is applied,
    once — or superseded if its data changed meanwhile. Returns the proposal; `If-Match`
    takes the proposal's ETag."""
    household_id = membership.household.id
    proposal = responding.get_proposal(session, household_id=household_id, proposal_id=proposal_id)
    check_if_match(request, proposal.version)
    member = get_member(session, household_id=household_id, member_id=member_id)
    responding.respond(
        session,
        membership=membership,
        proposal=proposal,
        member=member,
        accept=body.response == "accept",
        note=body.note,
        now=at,
    )
    set_etag(response, proposal.version)
    return render_proposal(session, proposal)
