from hypothesis import given

from domain.ledger.reference_balances import Balance, ExpenseEntry, balances
from domain.ledger.values import MemberAmount, Transfer
from tests.domain.ledger.ledger_builders import post
from tests.domain.ledger.strategies import LEDGER_SETTINGS, ExpenseRequest, ledgers

M = MemberAmount


def test_payer_is_owed_what_the_others_bear() -> None:
    rent = ExpenseEntry(payers=[M("a", 1500)], shares=[M("a", 500), M("b", 500), M("c", 500)])
    assert balances([rent], []) == {
        "a": Balance(paid=1500, owed=500, net=1000),
        "b": Balance(paid=0, owed=500, net=-500),
        "c": Balance(paid=0, owed=500, net=-500),
    }


def test_settlement_sent_raises_net_and_received_lowers_it() -> None:
    rent = ExpenseEntry(payers=[M("a", 1500)], shares=[M("a", 500), M("b", 500), M("c", 500)])
    result = balances([rent], [Transfer("b", "a", 500)])
    assert result["a"] == Balance(paid=1500, owed=500, net=500)
    assert result["b"] == Balance(paid=0, owed=500, net=0)


def test_refund_reverses_the_expense() -> None:
    dinner = ExpenseEntry(payers=[M("a", 900)], shares=[M("a", 300), M("b", 600)])
    refund = ExpenseEntry(payers=[M("a", -900)], shares=[M("a", -300), M("b", -600)])
    assert {m: b.net for m, b in balances([dinner, refund], []).items()} == {"a": 0, "b": 0}


def test_listed_members_appear_first_even_without_entries() -> None:
    coffee = ExpenseEntry(payers=[M("b", 300)], shares=[M("c", 300)])
    result = balances([coffee], [], members=["z", "a"])
    assert list(result) == ["z", "a", "b", "c"]
    assert result["z"] == Balance(paid=0, owed=0, net=0)


@LEDGER_SETTINGS
@given(ledgers())
def test_balances_sum_to_zero_and_count_settlements_by_direction(
    ledger: tuple[list[str], list[ExpenseRequest], list[Transfer]],
) -> None:
    household, expenses, paid = ledger
    result = balances([post(e) for e in expenses], paid, members=household)
    assert list(result) == household
    assert sum(balance.net for balance in result.values()) == 0
    for member_id, balance in result.items():
        sent = sum(t.amount for t in paid if t.from_member_id == member_id)
        received = sum(t.amount for t in paid if t.to_member_id == member_id)
        assert balance.net == balance.paid - balance.owed + sent - received
