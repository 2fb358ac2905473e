"""`contribution_adjustment`: the monthly amounts each member should pay into a pot so that
what they put in matches the money agreement (pure).

The period's contributions to the pot are taken as a monthly rate (the period's total over
its length in months). That same monthly total is then split by the agreed money shares,
largest remainder, so the suggested amounts add up exactly to what the household already
puts in: "Sam 1,250.00, Alex 750.00 a month instead of 1,000.00 each". Nothing is proposed
while every member's share of the contributions is within the agreement's tolerance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from domain.money import allocate
from domain.proposals.drafts import Draft, Kind, Situation
from domain.proposals.measures import money_dimension
from domain.proposals.scores import scores_of
from domain.proposals.wording import money, names_of, one_decimal

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

DAYS_PER_MONTH = Fraction(3652425, 120000)  # the Gregorian year's mean month


@dataclass(frozen=True, slots=True)
class PotPeriod:
    """A pot over the measured period."""

    pot_id: str
    name: str
    currency: str
    contributed: Mapping[str, int]  # net per member, pot currency
    in_household: Mapping[str, int]  # the same, household currency


def months_in(first: date, last: date) -> Fraction:
    """Whole calendar months count as such; any other span by its days."""
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        return Fraction((last.year - first.year) * 12 + last.month - first.month + 1)
    return Fraction((last - first).days + 1) / DAYS_PER_MONTH


def contribution_adjustment_draft(
    s: Situation,
    pot: PotPeriod,
    *,
    agreed: Mapping[str, Fraction],
    months: Fraction,
    contributed: Mapping[str, int],
    owed: Mapping[str, int],
) -> Draft | None:
    """`agreed` are the money agreement's shares (summing to 1); `contributed` and `owed`
    are the period's money totals, for the expected score."""
    total = sum(pot.contributed.values())
    if total <= 0 or months <= 0 or not agreed:
        return None
    ids = [m for m in s.order if m in agreed or pot.contributed.get(m)]
    shares = {m: Fraction(pot.contributed.get(m, 0), total) for m in ids}
    if all(abs(shares[m] - agreed.get(m, Fraction(0))) <= s.tolerance for m in ids):
        return None
    monthly_total = _half_up(total / months)
    weights = [agreed.get(m, Fraction(0)) for m in ids]
    if monthly_total <= 0 or sum(weights) <= 0:
        return None
    suggested = dict(zip(ids, allocate(monthly_total, weights), strict=True))
    current = {m: _half_up(pot.contributed.get(m, 0) / months) for m in ids}
    changed = [m for m in ids if suggested[m] != current[m]]
    if not changed:
        return None
    return Draft(
        Kind.CONTRIBUTION_ADJUSTMENT,
        _rationale(s, pot, ids, shares, agreed, suggested, current),
        tuple(changed),
        scores_of(_expected(s, pot, agreed, contributed, owed), s.time.score, s.dimension_weights),
        {
            "pot_id": pot.pot_id,
            "currency": pot.currency,
            "monthly": [
                {"member_id": m, "amount": suggested[m], "current": current[m]} for m in ids
            ],
            "record_as": "pot_monthly_plan",
        },
    )


def _expected(
    s: Situation,
    pot: PotPeriod,
    agreed: Mapping[str, Fraction],
    contributed: Mapping[str, int],
    owed: Mapping[str, int],
) -> Fraction | None:
    """The money score had the period's contributions followed the agreement."""
    ids = list(agreed)
    total = sum(pot.in_household.values())
    if total <= 0 or sum(agreed.values()) <= 0:
        return s.money.score
    after = Counter(dict(contributed))
    for member_id, amount in pot.in_household.items():
        after[member_id] -= amount
    for member_id, amount in zip(ids, allocate(total, [agreed[m] for m in ids]), strict=True):
        after[member_id] += amount
    return money_dimension(s.order, contributed=after, owed=owed).score


def _rationale(
    s: Situation,
    pot: PotPeriod,
    ids: list[str],
    shares: Mapping[str, Fraction],
    agreed: Mapping[str, Fraction],
    suggested: Mapping[str, int],
    current: Mapping[str, int],
) -> str:
    def name(m: str) -> str:
        return s.names.get(m, m)

    now = ", ".join(f"{name(m)} {_percent(shares[m])}" for m in ids)
    target = ", ".join(f"{name(m)} {_percent(agreed.get(m, Fraction(0)))}" for m in ids)
    plan = names_of(
        [f"{m}" for m in ids], {m: f"{name(m)} {money(suggested[m], pot.currency)}" for m in ids}
    )
    values = set(current.values())
    if len(values) == 1:
        before = f"{money(values.pop(), pot.currency)} each"
    else:
        before = names_of(
            list(ids), {m: f"{name(m)} {money(current[m], pot.currency)}" for m in ids}
        )
    return (
        f"Contributions to {pot.name} were {now} against the agreed {target}. To match the "
        f"agreement: {plan} a month instead of {before}."
    )


def _percent(share: Fraction) -> str:
    """One decimal where it matters: agreed shares like 62.5% are common here."""
    return one_decimal(share * 100).removesuffix(".0") + "%"


def _half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())
