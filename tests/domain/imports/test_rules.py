"""The rule chain: fixed stages, first match wins, nothing shared on a guess."""

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.imports.records import ImportedTransaction, Kind, SourceShare
from domain.imports.rules import (
    Action,
    Context,
    Outcome,
    Rule,
    SettlementPlan,
    compile_pattern,
    decide,
)
from domain.ledger.values import MemberAmount


def tx(amount: int = -4510, payee: str | None = "REWE Markt", **fields: Any) -> ImportedTransaction:
    return ImportedTransaction(
        source_id=None,
        account=fields.pop("account", "checking"),
        date=dt.date(2026, 3, 1),
        amount=amount,
        currency="EUR",
        payee=payee,
        **fields,
    )


def context(*rules: Rule, **fields: Any) -> Context:
    return Context(
        rules=rules,
        account_map=fields.get("account_map", {}),
        member_map=fields.get("member_map", {}),
        default_member=fields.get("default_member", "m-sam"),
    )


def test_unmatched_rows_need_review() -> None:
    assert decide(tx(), context()).outcome is Outcome.NEEDS_REVIEW


def test_first_matching_rule_wins() -> None:
    rules = (Rule("r1", Action.IGNORE, payee="rewe"), Rule("r2", Action.SHARED, payee="rewe"))
    decision = decide(tx(), context(*rules))
    assert (decision.outcome, decision.rule_id) == (Outcome.IGNORED, "r1")


def test_category_rules_come_before_payee_rules_whatever_their_position() -> None:
    rules = (
        Rule("payee", Action.SHARED, payee="rewe"),
        Rule("category", Action.PERSONAL, category="eating out"),
    )
    row = tx(category=("Eating Out", "Cafe"))
    assert decide(row, context(*rules)).rule_id == "category"
    assert decide(tx(), context(*rules)).rule_id == "payee"


def test_patterns_are_case_insensitive_substrings_unless_regex() -> None:
    assert Rule("r", Action.SHARED, payee="markt").matches(tx())
    assert not Rule("r", Action.SHARED, payee="m.rkt").matches(tx())
    assert Rule("r", Action.SHARED, payee="m.rkt", regex=True).matches(tx())
    assert not Rule("r", Action.SHARED, memo="x").matches(tx(memo=None))


def test_amount_range_uses_the_absolute_amount_inclusively() -> None:
    rule = Rule("r", Action.SHARED, min_amount=1000, max_amount=4510)
    assert rule.matches(tx(-4510)) and rule.matches(tx(1000))
    assert not rule.matches(tx(-4511)) and not rule.matches(tx(-999))


def test_account_map_decides_the_payer_joint_follows_the_agreement_and_a_pot_pays() -> None:
    shared = Rule("r", Action.SHARED)
    mapped = context(shared, account_map={"checking": "m-alex", "joint-acct": "joint"})
    assert decide(tx(), mapped).paid_by == "m-alex"
    joint = decide(tx(account="joint-acct"), mapped)
    assert joint.joint and joint.paid_by is None
    pot = decide(tx(account="p"), context(shared, account_map={"p": "pot:123"}))
    assert (pot.outcome, pot.pot_id, pot.paid_by, pot.joint) == (Outcome.SHARED, "123", None, False)


def test_an_account_the_map_does_not_know_waits_for_review_even_with_a_rule() -> None:
    mapped = context(Rule("r", Action.SHARED), account_map={"other": "m-alex"})
    decision = decide(tx(), mapped)
    assert decision.outcome is Outcome.NEEDS_REVIEW
    assert "account_map" in decision.reason


def test_a_shared_rule_without_any_payer_waits_for_review() -> None:
    decision = decide(tx(), context(Rule("r", Action.SHARED), default_member=None))
    assert decision.outcome is Outcome.NEEDS_REVIEW


def test_transfers_come_first() -> None:
    row = tx(kind=Kind.TRANSFER)
    assert decide(row, context(Rule("r", Action.SHARED))).outcome is Outcome.TRANSFER


def test_source_shares_become_exact_payers_and_shares() -> None:
    row = tx(-5000, shares=(SourceShare("1", 5000, 2000), SourceShare("2", 0, 3000)))
    decision = decide(row, context(member_map={"1": "m-sam", "2": "m-alex"}))
    assert decision.outcome is Outcome.SHARED
    assert decision.payers == (MemberAmount("m-sam", 5000),)
    assert decision.shares == (MemberAmount("m-sam", 2000), MemberAmount("m-alex", 3000))


def test_an_unmapped_person_waits_for_review() -> None:
    row = tx(-5000, shares=(SourceShare("1", 5000, 2000), SourceShare("9", 0, 3000)))
    decision = decide(row, context(member_map={"1": "m-sam"}))
    assert decision.outcome is Outcome.NEEDS_REVIEW and "'9'" in decision.reason


def test_a_payment_becomes_a_settlement_between_the_mapped_members() -> None:
    row = tx(
        -3000, kind=Kind.SETTLEMENT, shares=(SourceShare("2", 3000, 0), SourceShare("1", 0, 3000))
    )
    decision = decide(row, context(member_map={"1": "m-sam", "2": "m-alex"}))
    assert decision.settlement == SettlementPlan("m-alex", "m-sam", 3000)


def test_a_bank_transfer_to_a_mapped_person_is_a_settlement() -> None:
    row = tx(-3000, kind=Kind.SETTLEMENT, counterparty="DE12 ALEX")
    decision = decide(row, context(member_map={"DE12 ALEX": "m-alex"}))
    assert decision.settlement == SettlementPlan("m-sam", "m-alex", 3000)


def test_a_bad_regex_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        compile_pattern("(", True)


@given(
    amount=st.integers(-(10**9), 10**9).filter(bool),
    payee=st.text(max_size=30),
    actions=st.lists(st.sampled_from([Action.PERSONAL, Action.IGNORE]), max_size=3),
)
def test_without_a_shared_rule_nothing_is_ever_shared(
    amount: int, payee: str, actions: list[Action]
) -> None:
    rules = [Rule(f"r{i}", a, payee=payee[:3] or None) for i, a in enumerate(actions)]
    assert decide(tx(amount, payee), context(*rules)).outcome is not Outcome.SHARED
