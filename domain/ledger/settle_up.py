"""Settle-up: the fewest transfers that bring every member's balance to zero.

Members with non-zero balances split into groups that each sum to zero; a group of k
members settles in k - 1 transfers and no fewer, so a plan for n members needs
n - g transfers, where g is the largest number of disjoint zero-sum groups. Finding g is
NP-hard in general, but a household is small: a dynamic program over the subsets of at
most `MAX_EXACT` members (2^12 states) finds it exactly.

Before that, every debtor whose debt equals a creditor's credit is paired off with them.
This never costs optimality: take any optimal grouping with a in group A and -a in B. If
A = B, then A minus both still sums to zero, and is empty, or the grouping was not
maximal. If A and B differ, regroup into {a, -a} and the rest of A and B together:
still two zero-sum groups.

Beyond `MAX_EXACT` members left after pairing, the plan is a heuristic (`exact` False):
the largest debtor pays the largest creditor, pairing off equal amounts again after each
step, until at most `MAX_EXACT` remain for the exact program.

Everything is deterministic: members are taken in `order` (member creation order), then
by id, so the same balances always give the same plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from domain.errors import InvalidInput
from domain.ledger.values import Transfer

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

MAX_EXACT = 12

_SortKey = Callable[[str], tuple[int, str]]


@dataclass(frozen=True, slots=True)
class Plan:
    """Transfers that clear every balance; `exact` says the count is proven minimal."""

    transfers: tuple[Transfer, ...]
    exact: bool


def settle_up(
    balances: Mapping[str, int],
    *,
    previous: Sequence[Transfer] | None = None,
    order: Sequence[str] | None = None,
) -> Plan:
    """The plan to show for `balances` (member id to net minor units; they sum to zero).

    `previous` is the plan served last time. If the transfers of it not yet paid clear
    the current balances, they are returned unchanged (same order), so paying suggested
    transfers never reshuffles the others. The one exception: a fresh plan that is proven
    optimal and shorter wins, which happens only if `previous` was itself a heuristic. When
    the fresh plan is a heuristic too, the unpaid rest is kept even if the new heuristic
    happens to be shorter: neither is proven best, and a stable plan is worth more.

    Why that keeps the optimum: let T be optimal for balances b0 and let the transfers P
    of T be paid, leaving b1. Any plan Q for b1 gives the plan P + Q for b0 (pay P, then
    Q), so |Q| >= |T| - |P|: the rest T - P, which clears b1, is optimal for b1. (In graph
    terms: dropping a paid edge from T's spanning forest splits one zero-sum group in two,
    and a plan with still more groups would have beaten T.)
    """
    total = sum(balances.values())
    if total != 0:
        raise InvalidInput(f"balances sum to {total}, not 0", field="balances")
    key = _sort_key(order or ())
    fresh = _fresh_plan(balances, key)
    if previous:
        unpaid = _unpaid_rest(previous, balances)
        if unpaid is not None and (len(unpaid) <= len(fresh.transfers) or not fresh.exact):
            return Plan(unpaid, fresh.exact)
    return fresh


def _sort_key(order: Sequence[str]) -> _SortKey:
    position: dict[str, int] = {}
    for member_id in order:
        position.setdefault(member_id, len(position))
    return lambda member_id: (position.get(member_id, len(position)), member_id)


def _fresh_plan(balances: Mapping[str, int], key: _SortKey) -> Plan:
    remaining = {m: balances[m] for m in sorted(balances, key=key) if balances[m] != 0}
    transfers = _pair_off(remaining)
    exact = True
    while len(remaining) > MAX_EXACT:
        exact = False
        transfers.append(_largest_pays_largest(remaining))
        transfers += _pair_off(remaining)
    members = list(remaining)
    for group in _zero_sum_groups([remaining[m] for m in members]):
        transfers += _settle_group([members[i] for i in sorted(group)], remaining)
    transfers.sort(key=lambda t: (key(t.from_member_id), key(t.to_member_id)))
    return Plan(tuple(transfers), exact)


def _pair_off(remaining: dict[str, int]) -> list[Transfer]:
    """Settle each debtor with the first creditor owed exactly their debt; drop both."""
    waiting: dict[int, list[str]] = {}
    for member_id, amount in remaining.items():
        if amount > 0:
            waiting.setdefault(amount, []).append(member_id)
    transfers = []
    for member_id, amount in list(remaining.items()):
        creditors = waiting.get(-amount)
        if amount < 0 and creditors:
            creditor = creditors.pop(0)
            transfers.append(Transfer(member_id, creditor, -amount))
            del remaining[member_id], remaining[creditor]
    return transfers


def _largest_pays_largest(remaining: dict[str, int]) -> Transfer:
    """One greedy step; ties go to the earlier member because `remaining` is in order."""
    debtor = min(remaining, key=lambda m: remaining[m])
    creditor = max(remaining, key=lambda m: remaining[m])
    amount = min(-remaining[debtor], remaining[creditor])
    for member_id, change in ((debtor, amount), (creditor, -amount)):
        remaining[member_id] += change
        if remaining[member_id] == 0:
            del remaining[member_id]
    return Transfer(debtor, creditor, amount)


def _zero_sum_groups(amounts: Sequence[int]) -> list[list[int]]:
    """Partition the indices of `amounts` (summing to zero) into most zero-sum groups.

    best[mask] is the most zero-sum prefixes any ordering of mask's members can have,
    which equals the most zero-sum groups it splits into (list the groups one by one).
    Walking back along an ordering that achieves it cuts the groups out.
    """
    count = len(amounts)
    size = 1 << count
    total = [0] * size
    best = [0] * size
    for mask in range(1, size):
        low = mask & -mask
        total[mask] = total[mask ^ low] + amounts[low.bit_length() - 1]
        without = max(best[mask ^ (1 << i)] for i in range(count) if mask >> i & 1)
        best[mask] = without + (total[mask] == 0)
    groups: list[list[int]] = []
    group: list[int] = []
    mask = size - 1
    while mask:
        gain = total[mask] == 0
        index = next(
            i for i in range(count) if mask >> i & 1 and best[mask ^ (1 << i)] + gain == best[mask]
        )
        mask ^= 1 << index
        group.append(index)
        if total[mask] == 0:
            groups.append(group)
            group = []
    return groups


def _settle_group(members: Sequence[str], balances: Mapping[str, int]) -> list[Transfer]:
    """Settle one zero-sum group: debtors pay creditors in order, k - 1 transfers at most."""
    left = {m: abs(balances[m]) for m in members}
    debtors = [m for m in members if balances[m] < 0]
    creditors = [m for m in members if balances[m] > 0]
    transfers = []
    while debtors and creditors:
        debtor, creditor = debtors[0], creditors[0]
        amount = min(left[debtor], left[creditor])
        transfers.append(Transfer(debtor, creditor, amount))
        for queue, member_id in ((debtors, debtor), (creditors, creditor)):
            left[member_id] -= amount
            if left[member_id] == 0:
                queue.pop(0)
    return transfers


def _unpaid_rest(
    previous: Sequence[Transfer], balances: Mapping[str, int]
) -> tuple[Transfer, ...] | None:
    """The transfers of `previous` still to pay, if paying some of them explains `balances`.

    The paid ones must have moved `need = balances + flow(previous)`. Every minimal plan
    is a forest, and on a forest edge flows follow from node demands by peeling leaves,
    so the paid set is unique when it exists. Anything else (a partial payment, a new
    expense) returns None, and so may a plan with a cycle, which no minimal plan has.
    """
    need = dict(balances)
    edges_at: dict[str, set[int]] = {}
    for index, transfer in enumerate(previous):
        ends = (transfer.from_member_id, transfer.to_member_id)
        for member_id, sign in zip(ends, (1, -1), strict=True):
            need[member_id] = need.get(member_id, 0) + sign * transfer.amount
            edges_at.setdefault(member_id, set()).add(index)
    paid: set[int] = set()
    leaves = [m for m, edges in edges_at.items() if len(edges) == 1]
    while leaves:
        leaf = leaves.pop()
        if not edges_at[leaf]:
            continue
        (index,) = edges_at[leaf]
        transfer = previous[index]
        sign = 1 if leaf == transfer.from_member_id else -1
        other = transfer.to_member_id if sign == 1 else transfer.from_member_id
        if need[leaf] == sign * transfer.amount:
            paid.add(index)
            need[other] += sign * transfer.amount
        elif need[leaf] != 0:
            return None
        need[leaf] = 0
        edges_at[leaf].clear()
        edges_at[other].discard(index)
        if len(edges_at[other]) == 1:
            leaves.append(other)
    if any(need.values()):
        return None
    return tuple(t for i, t in enumerate(previous) if i not in paid)
