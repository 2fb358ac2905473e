"""The `goal_contribution` rule action: whose money went into which goal, or why it waits."""

from domain.imports.records import Kind
from domain.imports.rules import Action, Outcome, Rule, decide
from tests.domain.imports.test_rules import context, tx

SAVINGS = Rule("r-goal", Action.GOAL_CONTRIBUTION, payee="savings", goal_id="g-flat")
MAP = {"sam-current": "m-sam", "alex-current": "m-alex", "joint": "joint"}


def test_a_matched_row_is_a_contribution_of_the_member_whose_account_sent_it() -> None:
    decision = decide(
        tx(-50_000, "Joint savings", account="alex-current"), context(SAVINGS, account_map=MAP)
    )
    assert decision.outcome is Outcome.GOAL_CONTRIBUTION
    assert (decision.paid_by, decision.goal_id, decision.rule_id) == ("m-alex", "g-flat", "r-goal")


def test_a_transfer_a_goal_rule_matches_is_a_contribution_and_others_stay_transfers() -> None:
    ctx = context(SAVINGS, account_map=MAP)
    moved = tx(-25_000, "Monthly savings", account="sam-current", kind=Kind.TRANSFER)
    assert decide(moved, ctx).outcome is Outcome.GOAL_CONTRIBUTION
    other = tx(-25_000, "To my other account", account="sam-current", kind=Kind.TRANSFER)
    assert decide(other, ctx).outcome is Outcome.TRANSFER
    shared = Rule("r-all", Action.SHARED)
    assert decide(other, context(shared, account_map=MAP)).outcome is Outcome.TRANSFER


def test_without_an_account_map_the_uploader_is_the_contributor() -> None:
    decision = decide(tx(-1_000, "savings", kind=Kind.TRANSFER), context(SAVINGS))
    assert (decision.outcome, decision.paid_by) == (Outcome.GOAL_CONTRIBUTION, "m-sam")


def test_money_from_the_joint_account_or_an_unknown_one_waits_for_review() -> None:
    ctx = context(SAVINGS, account_map=MAP)
    for account in ("joint", "somebody-else"):
        for kind in (Kind.TRANSFER, Kind.EXPENSE):
            row = tx(-1_000, "savings", account=account, kind=kind)
            assert decide(row, ctx).outcome is Outcome.NEEDS_REVIEW, (account, kind)


def test_an_amount_of_zero_is_no_contribution() -> None:
    row = tx(0, "savings", account="sam-current", kind=Kind.TRANSFER)
    assert decide(row, context(SAVINGS, account_map=MAP)).outcome is Outcome.TRANSFER
