"""A pot's history replayed in order: who owns what is left, and who paid each expense.

Money in a pot stays owned by whoever put it in. Each member has a *stake*: what they have
contributed minus what they withdrew and what the pot has paid on their behalf. An expense
paid from the pot is paid by the members in proportion to their stakes at that moment
(largest remainder, exact, ties to the member who contributed first), so a member is never
charged for money that was someone else's, and a pot's balance is always the sum of the
stakes. A refund into the pot goes back in proportion to what the pot has paid for each.

Pure: plain values in, plain values out; the service loads the entries and stores the
payers this computes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.errors import Conflict
from domain.ledger.values import MemberAmount
from domain.money import allocate

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


@dataclass(frozen=True, slots=True)
class Contribution:
    """Money a member put in (positive) or took out (negative), in the pot's currency."""

    member_id: str
    amount: int
    label: str = "the contribution"


@dataclass(frozen=True, slots=True)
class Spending:
    """An expense paid from the pot (negative: a refund into it), in the pot's currency."""

    key: str
    amount: int
    label: str = "the expense"


Entry = Contribution | Spending


@dataclass
class PotState:
    """The pot after a replay; every amount in the pot's currency."""

    contributed: dict[str, int] = field(default_factory=dict)  # net, withdrawals taken off
    stakes: dict[str, int] = field(default_factory=dict)
    paid_for: dict[str, int] = field(default_factory=dict)  # what the pot paid per member
    payers: dict[str, list[MemberAmount]] = field(default_factory=dict)  # by spending key
    spent: int = 0

    @property
    def balance(self) -> int:
        return sum(self.stakes.values())

    def snapshot(self) -> dict[str, Any]:
        """The state as plain JSON, `payers` left out: what is kept after each day
        (pot_days). Members stay in the order they first contributed, which decides who
        gets a remainder cent, so the three maps are kept as one ordered list."""
        return {
            "members": [
                [m, self.contributed[m], self.stakes[m], self.paid_for[m]] for m in self.stakes
            ],
            "spent": self.spent,
        }

    @classmethod
    def restore(cls, snapshot: dict[str, Any]) -> PotState:
        state = cls(spent=int(snapshot["spent"]))
        for member_id, contributed, stake, paid_for in snapshot["members"]:
            state.contributed[member_id] = int(contributed)
            state.stakes[member_id] = int(stake)
            state.paid_for[member_id] = int(paid_for)
        return state


def replay(
    entries: Iterable[Entry], *, currency: str = "", state: PotState | None = None
) -> PotState:
    """Apply `entries` in the order given (the caller sorts by date, contributions of a day
    before its expenses), from `state` (the pot as it was before the first of them; empty
    when None), which is changed in place. Raises Conflict at the first entry the pot
    cannot carry."""
    state = PotState() if state is None else state
    for entry in entries:
        _apply(state, entry, currency)
    return state


def replay_days(
    entries: Iterable[tuple[date, Entry]], *, currency: str = "", state: PotState | None = None
) -> tuple[PotState, list[tuple[date, dict[str, Any]]]]:
    """`replay` of dated entries (in replay order), with the state's snapshot after the
    last entry of each day."""
    state = PotState() if state is None else state
    days: list[tuple[date, dict[str, Any]]] = []
    current: date | None = None
    for day, entry in entries:
        if current is not None and day != current:
            days.append((current, state.snapshot()))
        current = day
        _apply(state, entry, currency)
    if current is not None:
        days.append((current, state.snapshot()))
    return state, days


def _apply(state: PotState, entry: Entry, currency: str) -> None:
    if isinstance(entry, Contribution):
        _contribute(state, entry, currency)
    elif entry.amount >= 0:
        _spend(state, entry, currency)
    else:
        _refund(state, entry, currency)


def _contribute(state: PotState, entry: Contribution, currency: str) -> None:
    stake = state.stakes.get(entry.member_id, 0)
    if stake + entry.amount < 0:
        raise Conflict(
            f"{entry.label} takes out {-entry.amount} {currency} but only {stake} of what is "
            f"in the pot is this member's at that date",
            field="amount",
        )
    state.stakes[entry.member_id] = stake + entry.amount
    state.contributed[entry.member_id] = state.contributed.get(entry.member_id, 0) + entry.amount
    state.paid_for.setdefault(entry.member_id, 0)


def _spend(state: PotState, entry: Spending, currency: str) -> None:
    balance = state.balance
    if not state.contributed:
        raise Conflict(
            f"the pot has no contributions before {entry.label}, so it cannot pay it: "
            "record what the members put in first",
            field="paid_by_pot",
        )
    if entry.amount > balance:
        raise Conflict(
            f"{entry.label} is {entry.amount} {currency} but the pot holds only {balance} "
            f"{currency} at that date",
            field="paid_by_pot",
        )
    members = list(state.stakes)
    parts = allocate(entry.amount, [state.stakes[m] for m in members]) if entry.amount else []
    payers = []
    for member_id, part in zip(members, parts, strict=True):
        state.stakes[member_id] -= part
        state.paid_for[member_id] += part
        if part:
            payers.append(MemberAmount(member_id, part))
    state.payers[entry.key] = payers
    state.spent += entry.amount


def _refund(state: PotState, entry: Spending, currency: str) -> None:
    paid = sum(state.paid_for.values())
    if -entry.amount > paid:
        raise Conflict(
            f"{entry.label} refunds {-entry.amount} {currency} into the pot but it has paid "
            f"only {paid} {currency} before that date",
            field="paid_by_pot",
        )
    members = list(state.paid_for)
    parts = allocate(entry.amount, [state.paid_for[m] for m in members])
    payers = []
    for member_id, part in zip(members, parts, strict=True):
        state.stakes[member_id] -= part
        state.paid_for[member_id] += part
        if part:
            payers.append(MemberAmount(member_id, part))
    state.payers[entry.key] = payers
    state.spent += entry.amount
