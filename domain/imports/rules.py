"""What an imported row becomes: the rule chain, as pure functions over plain values.

The chain is fixed and first match wins:

1. transfers and settlements (a transfer between one's own accounts is not spending;
   a settlement needs both people mapped to members);
2. rows with per-person shares from the source (Splitwise): exact payers and shares;
   except that a transfer a `goal_contribution` rule matches is a contribution to a goal;
3. the connection's account map: who paid (a member, or the joint account); an account the
   map does not know waits for review;
4. category rules, then payee/memo rules, each group in the household's order;
5. nothing matched: `needs_review` — an import never shares money on a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from domain.errors import InvalidInput
from domain.imports.pots.rules import JOINT, POT_PREFIX, pot_movement, pot_of
from domain.imports.records import ImportedTransaction, Kind
from domain.ledger.splitting import Participant, SplitMethod
from domain.ledger.values import MemberAmount

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

__all__ = ["JOINT", "POT_PREFIX"]


class Action(StrEnum):
    SHARED = "shared"
    PERSONAL = "personal"
    IGNORE = "ignore"
    GOAL_CONTRIBUTION = "goal_contribution"
    INCOME = "income"  # a payroll credit: the member's income from that day


class Outcome(StrEnum):
    SHARED = "shared"
    SETTLEMENT = "settlement"
    PERSONAL = "personal"
    IGNORED = "ignored"
    TRANSFER = "transfer"
    NEEDS_REVIEW = "needs_review"
    DELETED = "deleted"
    GOAL_CONTRIBUTION = "goal_contribution"
    CONTRIBUTION = "contribution"  # money a member moved into a pot (or took out)
    INCOME = "income"


@lru_cache(maxsize=512)
def compile_pattern(pattern: str, regex: bool) -> re.Pattern[str]:
    """Case-insensitive; a plain pattern is a substring. A bad regex is the caller's error."""
    try:
        return re.compile(pattern if regex else re.escape(pattern), re.IGNORECASE)
    except re.error as exc:
        raise InvalidInput(f"not a valid regular expression: {exc}", field="pattern") from exc


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    action: Action
    name: str | None = None
    payee: str | None = None
    memo: str | None = None
    category: str | None = None
    account: str | None = None
    regex: bool = False
    min_amount: int | None = None  # compared with the absolute amount, minor units
    max_amount: int | None = None
    split_method: SplitMethod = SplitMethod.AGREEMENT
    participants: tuple[Participant, ...] = ()
    set_category: str | None = None
    goal_id: str | None = None  # `goal_contribution`: the goal it books into

    def matches(self, row: ImportedTransaction) -> bool:
        texts = (
            (self.payee, row.payee),
            (self.memo, row.memo),
            (self.category, category_text(row.category)),
        )
        for pattern, text in texts:
            if pattern is not None and not (
                text and compile_pattern(pattern, self.regex).search(text)
            ):
                return False
        if self.account is not None and self.account.casefold() != row.account.casefold():
            return False
        size = abs(row.amount)
        if self.min_amount is not None and size < self.min_amount:
            return False
        return self.max_amount is None or size <= self.max_amount

    @property
    def label(self) -> str:
        return f"rule {self.name!r}" if self.name else f"rule {self.id}"


@dataclass(frozen=True, slots=True)
class SettlementPlan:
    from_member_id: str
    to_member_id: str
    amount: int


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    reason: str
    rule_id: str | None = None
    paid_by: str | None = None
    joint: bool = False  # paid from the joint account: payers follow the agreement
    split_method: SplitMethod = SplitMethod.AGREEMENT
    participants: tuple[Participant, ...] = ()
    category: str | None = None
    payers: tuple[MemberAmount, ...] = ()  # from the source's shares
    shares: tuple[MemberAmount, ...] = ()
    settlement: SettlementPlan | None = None
    goal_id: str | None = None  # a contribution by `paid_by` to this goal
    pot_id: str | None = None  # paid from this pot, or the pot a contribution goes into
    contribution: int | None = None  # the contribution's signed amount, row currency


@dataclass(frozen=True, slots=True)
class Context:
    rules: Sequence[Rule]  # in the household's order
    account_map: Mapping[str, str]  # account -> member id, "joint" or "pot:<id>"
    member_map: Mapping[str, str]  # a source's person id -> member id (Splitwise)
    default_member: str | None = None  # the payer when there is no account map


def category_text(path: Sequence[str]) -> str:
    return " / ".join(path)


def review(reason: str) -> Decision:
    return Decision(Outcome.NEEDS_REVIEW, reason)


def decide(row: ImportedTransaction, context: Context) -> Decision:
    moved = pot_movement(row, context.account_map, context.member_map)
    if moved is not None:
        return Decision(
            Outcome.CONTRIBUTION,
            moved.reason,
            paid_by=moved.member_id,
            pot_id=moved.pot_id,
            contribution=moved.amount,
        )
    if row.kind is Kind.TRANSFER:
        return _goal_transfer(row, context) or Decision(
            Outcome.TRANSFER, "a transfer between accounts is not spending"
        )
    if row.kind is Kind.SETTLEMENT:
        return _settlement(row, context)
    if row.shares:
        return _source_shares(row, context.member_map)
    if row.amount == 0:
        return Decision(Outcome.IGNORED, "an amount of 0 moves no money")
    payer = context.account_map.get(row.account)
    if payer is None and context.account_map:
        return review(f"account {row.account!r} is not in the connection's account_map")
    payer = payer or context.default_member
    ordered = [r for r in context.rules if r.category is not None] + [
        r for r in context.rules if r.category is None
    ]
    for rule in ordered:
        if rule.matches(row):
            return _apply(rule, row, payer)
    return review("no rule matched")


def _goal_transfer(row: ImportedTransaction, context: Context) -> Decision | None:
    """Money moved into the goal's savings account is a contribution, not just a transfer."""
    for rule in context.rules:
        if rule.action is Action.GOAL_CONTRIBUTION and row.amount != 0 and rule.matches(row):
            payer = context.account_map.get(row.account)
            if payer is None and not context.account_map:
                payer = context.default_member
            return _apply(rule, row, payer)
    return None


def _apply(rule: Rule, row: ImportedTransaction, payer: str | None) -> Decision:
    if rule.action is Action.GOAL_CONTRIBUTION:
        if payer is None or payer == JOINT or payer.startswith(POT_PREFIX):
            return review(
                f"{rule.label} books into a goal, but account {row.account!r} is not one "
                "member's: map it to the member whose money it is in the account_map"
            )
        return Decision(
            Outcome.GOAL_CONTRIBUTION,
            f"{rule.label}: goal contribution",
            rule_id=rule.id,
            paid_by=payer,
            goal_id=rule.goal_id,
        )
    if rule.action is Action.PERSONAL:
        return Decision(Outcome.PERSONAL, f"{rule.label}: personal", rule_id=rule.id)
    if rule.action is Action.IGNORE:
        return Decision(Outcome.IGNORED, f"{rule.label}: ignore", rule_id=rule.id)
    if rule.action is Action.INCOME:
        return _income(rule, row, payer)
    if payer is None:
        return review(
            f"{rule.label} shares it, but no member is known for account {row.account!r}: "
            "map the account in the connection's account_map"
        )
    joint = payer == JOINT
    pot_id = pot_of(payer)
    return Decision(
        Outcome.SHARED,
        f"{rule.label}: shared",
        rule_id=rule.id,
        paid_by=None if joint or pot_id else payer,
        joint=joint,
        pot_id=pot_id,
        split_method=rule.split_method,
        participants=rule.participants,
        category=rule.set_category or (row.category[-1][:64] if row.category else None),
    )


def _income(rule: Rule, row: ImportedTransaction, payer: str | None) -> Decision:
    if payer is None or payer == JOINT or pot_of(payer) is not None:
        return review(f"{rule.label} records an income, but account {row.account!r} is no member's")
    if row.amount <= 0:
        return review(f"{rule.label} records an income, but money left the account")
    return Decision(Outcome.INCOME, f"{rule.label}: income", rule_id=rule.id, paid_by=payer)


def _members(
    row: ImportedTransaction, member_map: Mapping[str, str]
) -> tuple[list[MemberAmount], list[MemberAmount]] | str:
    """Paid and owed per member, merged and in the source's order; or why not."""
    paid: dict[str, int] = {}
    owed: dict[str, int] = {}
    for share in row.shares:
        member = member_map.get(share.person)
        if member is None:
            return f"person {share.person!r} is not in the connection's member_map"
        if share.paid:
            paid[member] = paid.get(member, 0) + share.paid
        if share.owed:
            owed[member] = owed.get(member, 0) + share.owed
    as_list = [[MemberAmount(m, a) for m, a in parts.items() if a != 0] for parts in (paid, owed)]
    return as_list[0], as_list[1]


def _source_shares(row: ImportedTransaction, member_map: Mapping[str, str]) -> Decision:
    parts = _members(row, member_map)
    if isinstance(parts, str):
        return review(parts)
    payers, shares = parts
    total = sum(p.amount for p in payers)
    if not payers or total == 0 or total != sum(s.amount for s in shares):
        return review("the source's paid and owed shares do not add up")
    return Decision(
        Outcome.SHARED,
        "shares as the source records them",
        payers=tuple(payers),
        shares=tuple(shares),
        split_method=SplitMethod.EXACT,
        category=row.category[-1][:64] if row.category else None,
    )


def _settlement(row: ImportedTransaction, context: Context) -> Decision:
    if row.shares:
        parts = _members(row, context.member_map)
        if isinstance(parts, str):
            return review(parts)
        payers, receivers = parts
        if len(payers) != 1 or len(receivers) != 1 or payers[0].amount != receivers[0].amount:
            return review("a settlement needs exactly one payer and one receiver")
        plan = SettlementPlan(payers[0].member_id, receivers[0].member_id, payers[0].amount)
    else:
        ours = context.account_map.get(row.account) or context.default_member
        theirs = context.member_map.get(row.counterparty or "")
        if ours is None or theirs is None or ours == JOINT or ours.startswith(POT_PREFIX):
            return review("a settlement whose two members are not both known")
        sender, receiver = (ours, theirs) if row.amount < 0 else (theirs, ours)
        plan = SettlementPlan(sender, receiver, abs(row.amount))
    if plan.amount <= 0 or plan.from_member_id == plan.to_member_id:
        return review("a settlement that moves no money between two members")
    return Decision(Outcome.SETTLEMENT, "a payment between members", settlement=plan)
