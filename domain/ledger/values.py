"""Plain values the ledger's pure functions exchange: who carries how much, who pays whom."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


@dataclass(frozen=True, slots=True)
class MemberAmount:
    """A member's part of an expense in minor units: a split share or what they paid.

    Negative for a refund, where the parts mirror the original expense.
    """

    member_id: str
    amount: int


@dataclass(frozen=True, slots=True)
class Transfer:
    """A payment of `amount` minor units from one member to another.

    Both a settlement that happened and a settle-up suggestion have this shape, so a
    suggested plan can be applied as settlements without translation.
    """

    from_member_id: str
    to_member_id: str
    amount: int

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise InvalidInput(f"a transfer of {self.amount} moves no money", field="amount")
        if self.from_member_id == self.to_member_id:
            raise InvalidInput("a member cannot pay themself", field="to_member_id")
