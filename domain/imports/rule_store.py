"""The household's import rules: stored, validated, ordered, and read as pure `Rule`s."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import Conflict, InvalidInput
from domain.goals.models import Goal
from domain.households.members import check_members, household_members
from domain.imports.models import ImportRule
from domain.imports.rules import Action, Rule, compile_pattern
from domain.ledger.splitting import Participant, SplitMethod
from domain.scoping import get_in_household

# Every imported row runs through every rule; a household needs tens, not thousands.
MAX_PER_HOUSEHOLD = 200


@dataclass(frozen=True)
class RuleInput:
    action: Action
    position: int | None = None
    name: str | None = None
    payee: str | None = None
    memo: str | None = None
    category: str | None = None
    account: str | None = None
    regex: bool = False
    min_amount: int | None = None
    max_amount: int | None = None
    split_method: SplitMethod | None = None
    participants: list[dict[str, Any]] = field(default_factory=list)
    set_category: str | None = None
    goal_id: str | None = None


def load_rules(session: Session, *, household_id: str) -> list[Rule]:
    return [to_rule(r) for r in list_rules(session, household_id=household_id)]


def to_rule(stored: ImportRule) -> Rule:
    return Rule(
        id=stored.id,
        action=Action(stored.action),
        name=stored.name,
        payee=stored.payee,
        memo=stored.memo,
        category=stored.category,
        account=stored.account,
        regex=stored.regex,
        min_amount=stored.min_amount,
        max_amount=stored.max_amount,
        split_method=SplitMethod(stored.split_method or SplitMethod.AGREEMENT),
        participants=tuple(_participant(p) for p in stored.split_participants),
        set_category=stored.set_category,
        goal_id=stored.goal_id,
    )


def _participant(raw: dict[str, Any]) -> Participant:
    percent = raw.get("percent")
    return Participant(
        raw["member_id"],
        shares=raw.get("shares"),
        percent=Decimal(str(percent)) if percent is not None else None,
        amount=raw.get("amount"),
    )


def _validate(session: Session, household_id: str, data: RuleInput) -> None:
    for name in ("payee", "memo", "category"):
        pattern = getattr(data, name)
        if pattern is not None:
            try:
                compile_pattern(pattern, data.regex)
            except InvalidInput as exc:
                raise InvalidInput(exc.detail, field=name) from exc
    if (
        data.min_amount is not None
        and data.max_amount is not None
        and data.min_amount > data.max_amount
    ):
        raise InvalidInput("min_amount is larger than max_amount", field="min_amount")
    if data.action is not Action.SHARED and (data.split_method or data.participants):
        raise InvalidInput("only a 'shared' rule has a split", field="split")
    _validate_goal(session, household_id, data)
    ids = [p["member_id"] for p in data.participants]
    check_members(household_members(session, household_id), ids, "split.participants")


def _validate_goal(session: Session, household_id: str, data: RuleInput) -> None:
    if (data.action is Action.GOAL_CONTRIBUTION) != (data.goal_id is not None):
        raise InvalidInput(
            "a 'goal_contribution' rule, and only one, names a goal_id", field="goal_id"
        )
    if data.goal_id is not None:
        goal = session.get(Goal, data.goal_id)
        if goal is None or goal.household_id != household_id:
            raise InvalidInput(f"{data.goal_id} is not a goal of this household", field="goal_id")
        if goal.archived_at is not None:
            raise InvalidInput(f"{goal.name} is archived", field="goal_id")


def refuse_if_goal_booked(session: Session, goal: Goal) -> None:
    """A goal an import rule books into cannot be deleted (409) until the rule goes."""
    rule = session.scalar(select(ImportRule).where(col(ImportRule.goal_id) == goal.id).limit(1))
    if rule is not None:
        raise Conflict(
            f"import rule {rule.name or rule.id!r} books into this goal: delete the rule or "
            "point it at another goal first"
        )


def list_rules(session: Session, *, household_id: str) -> list[ImportRule]:
    query = (
        select(ImportRule)
        .where(col(ImportRule.household_id) == household_id)
        .order_by(col(ImportRule.position), col(ImportRule.id))
    )
    return list(session.scalars(query))


def get_rule(session: Session, *, household_id: str, rule_id: str) -> ImportRule:
    return get_in_household(session, ImportRule, rule_id, household_id, what="import rule")


def _fields(data: RuleInput) -> dict[str, Any]:
    return {
        "name": data.name,
        "payee": data.payee,
        "memo": data.memo,
        "category": data.category,
        "account": data.account,
        "regex": data.regex,
        "min_amount": data.min_amount,
        "max_amount": data.max_amount,
        "action": data.action.value,
        "split_method": data.split_method.value if data.split_method else None,
        "split_participants": data.participants,
        "set_category": data.set_category,
        "goal_id": data.goal_id,
    }


def create_rule(
    session: Session, *, household_id: str, actor: Actor, data: RuleInput
) -> ImportRule:
    _validate(session, household_id, data)
    existing = session.scalar(
        select(func.count())
        .select_from(ImportRule)
        .where(col(ImportRule.household_id) == household_id)
    )
    if (existing or 0) >= MAX_PER_HOUSEHOLD:
        raise Conflict(f"a household can have at most {MAX_PER_HOUSEHOLD} import rules")
    position = data.position
    if position is None:
        last = session.scalar(
            select(func.max(col(ImportRule.position))).where(
                col(ImportRule.household_id) == household_id
            )
        )
        position = (last or 0) + 1
    rule = ImportRule(household_id=household_id, position=position, **_fields(data))
    session.add(rule)
    session.flush()
    _record(session, rule, actor, events.IMPORT_RULE_CREATED)
    return rule


def input_of(rule: ImportRule) -> RuleInput:
    return RuleInput(
        action=Action(rule.action),
        position=rule.position,
        name=rule.name,
        payee=rule.payee,
        memo=rule.memo,
        category=rule.category,
        account=rule.account,
        regex=rule.regex,
        min_amount=rule.min_amount,
        max_amount=rule.max_amount,
        split_method=SplitMethod(rule.split_method) if rule.split_method else None,
        participants=list(rule.split_participants),
        set_category=rule.set_category,
        goal_id=rule.goal_id,
    )


def update_rule(
    session: Session, *, rule: ImportRule, actor: Actor, data: RuleInput, now: datetime
) -> ImportRule:
    _validate(session, rule.household_id, data)
    for name, value in _fields(data).items():
        setattr(rule, name, value)
    if data.position is not None:
        rule.position = data.position
    rule.version += 1
    rule.updated_at = now
    _record(session, rule, actor, events.IMPORT_RULE_UPDATED)
    return rule


def delete_rule(session: Session, *, rule: ImportRule, actor: Actor) -> None:
    _record(session, rule, actor, events.IMPORT_RULE_DELETED)
    session.delete(rule)


def _record(session: Session, rule: ImportRule, actor: Actor, type: events.EventType) -> None:
    record(
        session,
        household_id=rule.household_id,
        type=type,
        subject_id=rule.id,
        actor=actor,
        data={"name": rule.name, "action": rule.action, "position": rule.position},
    )
