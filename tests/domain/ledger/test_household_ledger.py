"""End to end over the pure core: split, post, balance, settle up, pay."""

from hypothesis import given
from hypothesis import strategies as st

from domain.ledger.reference_balances import ExpenseEntry, balances
from domain.ledger.settle_up import settle_up
from domain.ledger.splitting import Participant, SplitMethod, resolve_payers, split_expense
from domain.ledger.values import Transfer
from tests.domain.ledger.ledger_builders import pay, post
from tests.domain.ledger.oracles import fewest_transfers
from tests.domain.ledger.strategies import LEDGER_SETTINGS, ROUND_SIZE, ExpenseRequest, ledgers

Ledger = tuple[list[str], list[ExpenseRequest], list[Transfer]]


def equal_expense(amount: int, paid_by: str, *participants: str) -> ExpenseEntry:
    return ExpenseEntry(
        payers=resolve_payers(amount=amount, paid_by=paid_by),
        shares=split_expense(
            amount=amount,
            method=SplitMethod.EQUAL,
            participants=[Participant(m) for m in participants],
        ),
    )


def test_rent_split_three_ways_settles_in_two_transfers() -> None:
    nets = {m: b.net for m, b in balances([equal_expense(1500, "a", "a", "b", "c")], []).items()}
    assert settle_up(nets, order=["a", "b", "c"]).transfers == (
        Transfer("b", "a", 500),
        Transfer("c", "a", 500),
    )


def test_two_couples_sharing_bills_settle_within_each_couple() -> None:
    ledger = [equal_expense(1200, "a", "a", "b"), equal_expense(800, "c", "c", "d")]
    nets = {m: b.net for m, b in balances(ledger, []).items()}
    assert settle_up(nets, order=["a", "b", "c", "d"]).transfers == (
        Transfer("b", "a", 600),
        Transfer("d", "c", 400),
    )


def check_household(ledger: Ledger, data: st.DataObject) -> None:
    household, requests, paid = ledger
    entries = [post(request) for request in requests]
    for request, entry in zip(requests, entries, strict=True):
        assert sum(share.amount for share in entry.shares) == request.amount
        assert sum(payer.amount for payer in entry.payers) == request.amount
    nets = {m: b.net for m, b in balances(entries, paid, members=household).items()}
    assert sum(nets.values()) == 0

    plan = settle_up(nets, order=household)
    assert plan.exact
    settled = balances(entries, [*paid, *plan.transfers], members=household)
    assert all(balance.net == 0 for balance in settled.values())
    assert all(transfer.amount > 0 for transfer in plan.transfers)
    if sum(1 for net in nets.values() if net) <= 7:
        assert len(plan.transfers) == fewest_transfers(list(nets.values()))

    if plan.transfers:
        one = data.draw(st.sampled_from(plan.transfers))
        after = settle_up(pay(nets, [one]), previous=plan.transfers, order=household)
        assert after.transfers == tuple(t for t in plan.transfers if t != one)


@LEDGER_SETTINGS
@given(ledgers(), st.data())
def test_any_household_ledger_balances_and_settles_stably(
    ledger: Ledger, data: st.DataObject
) -> None:
    check_household(ledger, data)


@LEDGER_SETTINGS
@given(ledgers(ROUND_SIZE, max_members=6, max_expenses=4), st.data())
def test_round_amount_ledgers_settle_in_the_fewest_transfers(
    ledger: Ledger, data: st.DataObject
) -> None:
    check_household(ledger, data)
