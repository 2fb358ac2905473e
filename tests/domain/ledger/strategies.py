"""Hypothesis builders for households, split requests, payers and settlements."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from math import gcd

from hypothesis import settings
from hypothesis import strategies as st

from domain.ledger.splitting import Participant, SplitMethod
from domain.ledger.values import MemberAmount, Transfer


@dataclass(frozen=True)
class ExpenseRequest:
    amount: int
    method: SplitMethod
    participants: list[Participant]
    agreement_weights: dict[str, int | Fraction]
    paid_by: str | None
    payers: list[MemberAmount] | None


# Whole ledgers are costly to draw; fewer of them keep the suite fast, and the cheaper
# property tests of each piece run at Hypothesis's full default.
LEDGER_SETTINGS = settings(max_examples=50)


def members(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[list[str]]:
    return st.integers(min_value=min_size, max_value=max_size).map(
        lambda count: [f"member-{index:02}" for index in range(count)]
    )


@st.composite
def _cuts(draw: st.DrawFn, total: int, parts: int, *, minimum: int) -> list[int]:
    """`parts` integers of at least `minimum` summing to `total` (random cut points)."""
    spare = total - parts * minimum
    points = sorted(draw(st.lists(st.integers(0, spare), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *points, spare]
    return [minimum + high - low for low, high in pairwise(edges)]


ANY_SIZE = st.integers(min_value=1, max_value=200_000)
# Round amounts (rent, a shared bill) make members' balances coincide, so settle-up has
# zero-sum groups to find.
ROUND_SIZE = st.sampled_from([300, 600, 1200, 1500, 3000])


@st.composite
def expense_requests(
    draw: st.DrawFn, household: list[str], sizes: st.SearchStrategy[int] = ANY_SIZE
) -> ExpenseRequest:
    size = draw(sizes)
    grain = gcd(size, 100)  # round amounts are cut into round parts
    amount = size if draw(st.integers(0, 4)) else -size  # one in five is a refund
    method = draw(st.sampled_from(SplitMethod))
    chosen = draw(st.permutations(household))
    chosen = chosen[: draw(st.integers(min_value=1, max_value=len(chosen)))]
    weights: dict[str, int | Fraction] = {
        member_id: draw(
            st.one_of(st.integers(0, 5), st.fractions(min_value=0, max_value=3, max_denominator=7))
        )
        for member_id in household
    }
    participants = [Participant(member_id) for member_id in chosen]
    if method is SplitMethod.SHARES:
        participants = [Participant(m, shares=draw(st.integers(1, 5))) for m in chosen]
    elif method is SplitMethod.PERCENT:
        hundredths = draw(_cuts(10_000, len(chosen), minimum=1))
        participants = [
            Participant(m, percent=Decimal(h) / 100)
            for m, h in zip(chosen, hundredths, strict=True)
        ]
    elif method is SplitMethod.EXACT:
        parts = [grain * part for part in draw(_cuts(size // grain, len(chosen), minimum=0))]
        sign = 1 if amount > 0 else -1
        participants = [Participant(m, amount=sign * p) for m, p in zip(chosen, parts, strict=True)]
    elif method is SplitMethod.AGREEMENT:
        if draw(st.booleans()):
            participants = []
        weights[household[0]] = 1  # the agreement always gives someone a share
        if participants and all(weights[p.member_id] == 0 for p in participants):
            weights[participants[0].member_id] = 1
    paying = draw(st.permutations(household))
    paying = paying[: draw(st.integers(min_value=1, max_value=min(len(paying), size // grain)))]
    if len(paying) == 1 and draw(st.booleans()):
        return ExpenseRequest(amount, method, participants, weights, paying[0], None)
    sign = 1 if amount > 0 else -1
    paid = [grain * part for part in draw(_cuts(size // grain, len(paying), minimum=1))]
    payers = [MemberAmount(m, sign * p) for m, p in zip(paying, paid, strict=True)]
    return ExpenseRequest(amount, method, participants, weights, None, payers)


@st.composite
def settlements(
    draw: st.DrawFn, household: list[str], sizes: st.SearchStrategy[int] = ANY_SIZE
) -> Transfer:
    sender = draw(st.sampled_from(household))
    receiver = draw(st.sampled_from([m for m in household if m != sender]))
    return Transfer(sender, receiver, draw(sizes))


@st.composite
def ledgers(
    draw: st.DrawFn,
    sizes: st.SearchStrategy[int] = ANY_SIZE,
    *,
    max_members: int = 12,
    max_expenses: int = 8,
) -> tuple[list[str], list[ExpenseRequest], list[Transfer]]:
    """A household with expenses of every kind and some settlements."""
    household = draw(members(max_size=max_members))
    expenses = draw(st.lists(expense_requests(household, sizes), max_size=max_expenses))
    paid = draw(st.lists(settlements(household, sizes), max_size=5)) if len(household) > 1 else []
    return household, expenses, paid


@st.composite
def zero_sum_balances(
    draw: st.DrawFn, max_size: int, *, values: st.SearchStrategy[int] | None = None
) -> dict[str, int]:
    """Balances summing to zero; small `values` make zero-sum subgroups common."""
    household = draw(members(min_size=1, max_size=max_size))
    amounts = draw(
        st.lists(
            st.integers(-5, 5) if values is None else values,
            min_size=len(household) - 1,
            max_size=len(household) - 1,
        )
    )
    return dict(zip(household, [*amounts, -sum(amounts)], strict=True))
