"""Joint accounts in the rule chain: members' transfers become contributions, card payments
from the joint account are paid by the pot, and payroll credits can become incomes."""

import datetime as dt
from typing import Any

from domain.imports.records import ImportedTransaction, Kind
from domain.imports.rules import Action, Context, Outcome, Rule, decide

MAP = {"joint": "pot:p1", "sam-checking": "m-sam", "alex-checking": "m-alex"}


def tx(amount: int, account: str, **fields: Any) -> ImportedTransaction:
    return ImportedTransaction(
        source_id=None,
        account=account,
        date=dt.date(2026, 3, 1),
        amount=amount,
        currency="EUR",
        **fields,
    )


def context(*rules: Rule, **fields: Any) -> Context:
    return Context(rules=rules, account_map=MAP, member_map=fields.get("member_map", {}))


def test_a_transfer_into_the_joint_account_is_the_senders_contribution() -> None:
    row = tx(125_000, "joint", kind=Kind.TRANSFER, counterparty="sam-checking")
    decision = decide(row, context())
    assert decision.outcome is Outcome.CONTRIBUTION
    assert (decision.pot_id, decision.paid_by, decision.contribution) == ("p1", "m-sam", 125_000)


def test_the_same_transfer_seen_from_the_members_account_is_the_same_contribution() -> None:
    row = tx(-125_000, "sam-checking", kind=Kind.TRANSFER, counterparty="joint")
    decision = decide(row, context())
    assert (decision.outcome, decision.pot_id, decision.paid_by, decision.contribution) == (
        Outcome.CONTRIBUTION,
        "p1",
        "m-sam",
        125_000,
    )


def test_a_bank_credit_names_the_member_through_the_member_map() -> None:
    row = tx(75_000, "joint", payee="ALEX  Example")
    decision = decide(row, context(member_map={"Alex Example": "m-alex"}))
    assert (decision.outcome, decision.paid_by, decision.contribution) == (
        Outcome.CONTRIBUTION,
        "m-alex",
        75_000,
    )


def test_money_out_of_the_joint_account_to_a_member_is_a_withdrawal() -> None:
    row = tx(-5_000, "joint", payee="Sam", kind=Kind.EXPENSE)
    decision = decide(row, context(member_map={"sam": "m-sam"}))
    assert (decision.outcome, decision.contribution) == (Outcome.CONTRIBUTION, -5_000)


def test_a_card_payment_from_the_joint_account_is_paid_by_the_pot() -> None:
    row = tx(-9_990, "joint", payee="REWE")
    decision = decide(row, context(Rule("r", Action.SHARED, payee="rewe")))
    assert (decision.outcome, decision.pot_id, decision.paid_by) == (Outcome.SHARED, "p1", None)


def test_a_credit_from_a_stranger_on_the_joint_account_goes_to_the_rules() -> None:
    decision = decide(tx(1_000, "joint", payee="Refund shop"), context())
    assert decision.outcome is Outcome.NEEDS_REVIEW


def test_an_income_rule_records_a_payroll_credit_for_the_accounts_member() -> None:
    payroll = Rule("r", Action.INCOME, payee="ACME payroll")
    decision = decide(tx(310_000, "alex-checking", payee="ACME Payroll"), context(payroll))
    assert (decision.outcome, decision.paid_by) == (Outcome.INCOME, "m-alex")
    on_joint = decide(tx(310_000, "joint", payee="ACME Payroll"), context(payroll))
    assert on_joint.outcome is Outcome.NEEDS_REVIEW
    debit = decide(tx(-310_000, "alex-checking", payee="ACME Payroll"), context(payroll))
    assert debit.outcome is Outcome.NEEDS_REVIEW
