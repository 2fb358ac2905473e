"""Turn drawn requests into ledger entries, and apply plans, the way the service will."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from domain.ledger.reference_balances import ExpenseEntry
from domain.ledger.splitting import resolve_payers, split_expense
from domain.ledger.values import Transfer
from tests.domain.ledger.strategies import ExpenseRequest


def post(expense: ExpenseRequest) -> ExpenseEntry:
    shares = split_expense(
        amount=expense.amount,
        method=expense.method,
        participants=expense.participants,
        agreement_weights=expense.agreement_weights,
    )
    payers = resolve_payers(amount=expense.amount, paid_by=expense.paid_by, payers=expense.payers)
    return ExpenseEntry(payers=payers, shares=shares)


def pay(balances: Mapping[str, int], transfers: Iterable[Transfer]) -> dict[str, int]:
    """Balances after the transfers are made: the sender's net rises, the receiver's falls."""
    after = dict(balances)
    for transfer in transfers:
        after[transfer.from_member_id] = after.get(transfer.from_member_id, 0) + transfer.amount
        after[transfer.to_member_id] = after.get(transfer.to_member_id, 0) - transfer.amount
    return after
