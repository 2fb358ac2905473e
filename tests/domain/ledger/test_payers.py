import pytest
from hypothesis import given

from domain.errors import InvalidInput
from domain.ledger.splitting import resolve_payers
from domain.ledger.values import MemberAmount
from tests.domain.ledger.strategies import ExpenseRequest, expense_requests, members

M = MemberAmount


def test_single_payer_paid_the_whole_amount() -> None:
    assert resolve_payers(amount=1999, paid_by="a") == [M("a", 1999)]


def test_single_payer_of_a_refund_receives_it() -> None:
    assert resolve_payers(amount=-500, paid_by="a") == [M("a", -500)]


def test_several_payers_are_kept_in_request_order() -> None:
    payers = [M("b", 1000), M("a", 999)]
    assert resolve_payers(amount=1999, payers=payers) == payers


@pytest.mark.parametrize(
    ("amount", "paid_by", "payers", "field", "message"),
    [
        (100, None, None, "paid_by", "either"),
        (100, "a", [M("a", 100)], "paid_by", "either"),
        (0, "a", None, "amount", "0"),
        (100, None, [], "payers", "at least one"),
        (100, None, [M("a", 50), M("a", 50)], "payers.1.member_id", "more than once"),
        (100, None, [M("a", 60), M("b", 30)], "payers", "payers sum to 90, not 100"),
        (100, None, [M("a", 100), M("b", 0)], "payers.1.amount", "non-zero"),
        (100, None, [M("a", 150), M("b", -50)], "payers.1.amount", "sign"),
        (-100, None, [M("a", -150), M("b", 50)], "payers.1.amount", "sign"),
    ],
)
def test_invalid_payers_name_the_field(
    amount: int, paid_by: str | None, payers: list[MemberAmount] | None, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        resolve_payers(amount=amount, paid_by=paid_by, payers=payers)
    assert caught.value.field == field


@given(members().flatmap(expense_requests))
def test_payers_sum_to_the_amount(expense: ExpenseRequest) -> None:
    payers = resolve_payers(amount=expense.amount, paid_by=expense.paid_by, payers=expense.payers)
    assert sum(payer.amount for payer in payers) == expense.amount
