"""The household's fairness agreement: read the version in force, or ask to change it."""

from collections.abc import Mapping
from fractions import Fraction
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.etags import check_if_match, set_etag
from api.responses import errors
from api.routers.fairness import render_proposal
from api.schemas import fairness as schemas
from api.schemas.common import Day, Money
from domain.agreement import versions as agreements
from domain.agreement.terms import Agreement, Load
from domain.chores.weights import EFFORT_LEVELS
from domain.fairness.agreement_changes import put_agreement as change_agreement
from domain.fairness.responding import pending_agreement_change
from domain.households.models import Household

router = APIRouter(prefix="/v1/households/{household_id}/agreement", tags=["agreement"])


def render_agreement(
    version: agreements.Version, household: Household, pending: str | None
) -> schemas.Agreement:
    a = version.agreement
    return schemas.Agreement(
        version=version.number,
        effective_from=version.effective_from,
        money=schemas.MoneyTermsOut(target=a.money, weights=_floats(a.money_weights) or None),
        time=schemas.TimeTermsOut(target=a.time, weights=_floats(a.time_weights) or None),
        weights=schemas.MultipliersOut(
            effort={str(k): float(a.effort_multipliers.get(k, 1)) for k in EFFORT_LEVELS},
            load={k.value: float(a.load_multipliers.get(k, 1)) for k in Load},
        ),
        hour_value=(
            None
            if a.hour_value is None
            else Money(amount=a.hour_value, currency=household.currency)
        ),
        period=a.period,
        tolerance=float(a.tolerance),
        dimension_weights=_floats(a.dimension_weights) or None,
        pending_proposal_id=pending,
    )


def _floats(table: Mapping[str, Fraction]) -> dict[str, float]:
    return {key: float(value) for key, value in table.items()}


def to_agreement(body: schemas.AgreementIn) -> Agreement:
    f = schemas.fraction
    return Agreement(
        money=body.money.target,
        money_weights={m: f(w) for m, w in (body.money.weights or {}).items()},
        time=body.time.target,
        time_weights={m: f(w) for m, w in (body.time.weights or {}).items()},
        effort_multipliers={int(k): f(v) for k, v in body.weights.effort.items()},
        load_multipliers={k: f(v) for k, v in body.weights.load.items()},
        hour_value=None if body.hour_value is None else body.hour_value.amount,
        period=body.period,
        tolerance=f(body.tolerance),
        dimension_weights=(
            {}
            if body.dimension_weights is None
            else {
                "money": f(body.dimension_weights.money),
                "time": f(body.dimension_weights.time),
            }
        ),
    )


@router.get("", response_model=schemas.Agreement, responses=errors(401, 403, 404, 422))
def get_agreement(
    membership: ReadHousehold,
    session: DbSession,
    response: Response,
    on: Annotated[Day | None, Query(description="The version in force that day.")] = None,
) -> schemas.Agreement:
    """The agreement in force (today, or `on` a given day). The ETag is the latest
    version's number, for `If-Match` on PUT."""
    household = membership.household
    history = agreements.versions(session, household.id)
    set_etag(response, agreements.version_on(history, None).number)
    return render_agreement(
        agreements.version_on(history, on),
        household,
        pending_agreement_change(session, household_id=household.id),
    )


@router.put(
    "",
    response_model=schemas.Agreement,
    responses={
        202: {"model": schemas.Proposal, "description": "An agreement_change proposal."},
        **errors(401, 403, 404, 412, 422),
    },
)
def put_agreement(
    body: schemas.AgreementIn,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.Agreement | JSONResponse:
    """Replace the agreement. In a household with one active member it takes effect at
    once (200, from today). Otherwise it becomes an `agreement_change` proposal (202) that
    takes effect when every active member accepts; asking counts as the caller's accept."""
    household = membership.household
    check_if_match(request, agreements.in_force(session, household.id, None).number)
    change = change_agreement(
        session,
        membership=membership,
        agreement=to_agreement(body),
        hour_value_currency=None if body.hour_value is None else body.hour_value.currency,
        now=at,
    )
    if change.proposal is not None:
        rendered = render_proposal(session, change.proposal)
        return JSONResponse(
            jsonable_encoder(rendered, by_alias=True),
            status_code=status.HTTP_202_ACCEPTED,
            headers={
                "Location": f"/v1/households/{household.id}/fairness/proposals/{change.proposal.id}"
            },
        )
    assert change.version is not None
    set_etag(response, change.version.number)
    return render_agreement(change.version, household, None)
