"""Import rules: how imported rows become shared expenses, personal, or ignored."""

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response, status

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, encode_cursor
from api.responses import errors
from api.schemas import imports as schemas
from api.schemas.ledger import SplitIn, SplitOut
from domain.errors import InvalidInput
from domain.imports import rule_store as service
from domain.imports.models import ImportRule
from domain.imports.rules import Action
from domain.ledger.splitting import SplitMethod

router = APIRouter(prefix="/v1/households/{household_id}/import-rules", tags=["import-rules"])
RuleId = Annotated[str, Path(max_length=36)]


def render(rule: ImportRule) -> schemas.ImportRule:
    return schemas.ImportRule(
        id=rule.id,
        position=rule.position,
        name=rule.name,
        action=rule.action,  # type: ignore[arg-type]
        payee=rule.payee,
        memo=rule.memo,
        category=rule.category,
        account=rule.account,
        regex=rule.regex,
        min_amount=rule.min_amount,
        max_amount=rule.max_amount,
        split=SplitOut.of(rule.split_method, rule.split_participants)
        if rule.split_method
        else None,
        set_category=rule.set_category,
        goal_id=rule.goal_id,
        created_at=rule.created_at,
        updated_at=rule.updated_at,
    )


def _split(split: SplitIn | None) -> dict[str, Any]:
    if split is None:
        return {"split_method": None, "participants": []}
    return {
        "split_method": SplitMethod(split.method),
        "participants": [
            {
                "member_id": p.member_id,
                **({"shares": p.shares} if p.shares is not None else {}),
                **({"percent": str(p.percent_decimal())} if p.percent is not None else {}),
                **({"amount": p.amount} if p.amount is not None else {}),
            }
            for p in split.participants
        ],
    }


@router.get("", response_model=Page[schemas.ImportRule], responses=errors(401, 403, 404, 422))
def list_import_rules(
    membership: ReadHousehold, session: DbSession, paging: Paging
) -> Page[schemas.ImportRule]:
    """In the order they are tried: by position, then oldest first."""
    rows = service.list_rules(session, household_id=membership.household.id)
    if paging.after is not None:
        position, _, rule_id = paging.after.partition("|")
        if not position.isdigit():
            raise InvalidInput("the cursor is not one this API gave out", field="cursor")
        rows = [r for r in rows if (r.position, r.id) > (int(position), rule_id)]
    shown = rows[: paging.limit]
    more = len(rows) > paging.limit
    return Page[schemas.ImportRule](
        data=[render(r) for r in shown],
        next_cursor=encode_cursor(f"{shown[-1].position}|{shown[-1].id}") if more else None,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ImportRule,
    responses=errors(401, 403, 404, 409, 422),
)
def create_import_rule(
    body: schemas.ImportRuleCreate,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
) -> schemas.ImportRule:
    """Rules are tried in order, first match wins; category rules before payee/memo rules."""
    rule = service.create_rule(
        session,
        household_id=membership.household.id,
        actor=membership.actor,
        data=service.RuleInput(
            action=Action(body.action),
            position=body.position,
            name=body.name,
            payee=body.payee,
            memo=body.memo,
            category=body.category,
            account=body.account,
            regex=body.regex,
            min_amount=body.min_amount,
            max_amount=body.max_amount,
            set_category=body.set_category,
            goal_id=body.goal_id,
            **_split(body.split),
        ),
    )
    set_etag(response, rule.version)
    response.headers["Location"] = f"/v1/households/{rule.household_id}/import-rules/{rule.id}"
    return render(rule)


@router.get("/{rule_id}", response_model=schemas.ImportRule, responses=errors(401, 403, 404))
def get_import_rule(
    rule_id: RuleId, membership: ReadHousehold, session: DbSession, response: Response
) -> schemas.ImportRule:
    rule = service.get_rule(session, household_id=membership.household.id, rule_id=rule_id)
    set_etag(response, rule.version)
    return render(rule)


@router.patch(
    "/{rule_id}",
    response_model=schemas.ImportRule,
    responses=errors(401, 403, 404, 409, 412, 422),
)
def update_import_rule(
    rule_id: RuleId,
    body: schemas.ImportRuleUpdate,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.ImportRule:
    rule = service.get_rule(session, household_id=membership.household.id, rule_id=rule_id)
    check_if_match(request, rule.version)
    changes = body.changes()
    if "action" in changes:
        changes["action"] = Action(changes["action"])
    if "split" in changes:
        changes |= _split(changes.pop("split"))
    elif changes.get("action", Action.SHARED) is not Action.SHARED:
        changes |= _split(None)  # a rule that stops sharing drops its split
    if "goal_id" not in changes and changes.get("action", Action.GOAL_CONTRIBUTION) is not (
        Action.GOAL_CONTRIBUTION
    ):
        changes["goal_id"] = None  # nor does a rule that stops booking into a goal keep it
    data = replace(service.input_of(rule), **changes)
    service.update_rule(session, rule=rule, actor=membership.actor, data=data, now=at)
    set_etag(response, rule.version)
    return render(rule)


@router.delete(
    "/{rule_id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(401, 403, 404, 412)
)
def delete_import_rule(
    rule_id: RuleId, membership: WriteHousehold, session: DbSession, request: Request
) -> None:
    rule = service.get_rule(session, household_id=membership.household.id, rule_id=rule_id)
    check_if_match(request, rule.version)
    service.delete_rule(session, rule=rule, actor=membership.actor)
