"""Member balances computed in Python from the ledger's plain values.

The API aggregates balances in SQL; this is the readable definition that SQL is tested
against and that property tests use to check that a household always nets to zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.ledger.values import MemberAmount, Transfer

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


@dataclass(frozen=True, slots=True)
class ExpenseEntry:
    """What an expense did to balances: who paid what, who bears what share."""

    payers: Sequence[MemberAmount]
    shares: Sequence[MemberAmount]


@dataclass(frozen=True, slots=True)
class Balance:
    """A member's totals in minor units; `net` > 0 means the others owe them."""

    paid: int
    owed: int
    net: int


def balances(
    expenses: Iterable[ExpenseEntry],
    settlements: Iterable[Transfer],
    *,
    members: Iterable[str] = (),
) -> dict[str, Balance]:
    """Each member's `paid`, `owed` and `net = paid - owed + sent - received`.

    `members` lists who must appear even with nothing recorded, in the order wanted;
    anyone else mentioned by the ledger follows in order of first appearance.
    """
    # Per member: [paid, owed, sent - received]; dict order is first appearance.
    totals: dict[str, list[int]] = {member_id: [0, 0, 0] for member_id in members}
    for expense in expenses:
        for payer in expense.payers:
            totals.setdefault(payer.member_id, [0, 0, 0])[0] += payer.amount
        for share in expense.shares:
            totals.setdefault(share.member_id, [0, 0, 0])[1] += share.amount
    for transfer in settlements:
        totals.setdefault(transfer.from_member_id, [0, 0, 0])[2] += transfer.amount
        totals.setdefault(transfer.to_member_id, [0, 0, 0])[2] -= transfer.amount
    return {
        member_id: Balance(paid=paid, owed=owed, net=paid - owed + settled)
        for member_id, (paid, owed, settled) in totals.items()
    }
