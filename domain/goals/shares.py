"""Who should carry what share of a goal: its split as weights, and as amounts of a total.

A goal reuses the expense split methods, but it has no amount to split until it has a
target (and a goal without one still has shares), so the split is kept as weights: equal
ones, the `shares` integers, percents, `exact` amounts (which need a target), or the
household's money agreement in force on the day asked about.
"""

from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from domain.errors import InvalidInput
from domain.households.members import check_members, household_members
from domain.ledger.expenses import money_weights
from domain.ledger.splitting import Participant, SplitMethod, split_expense

# What a goal without a target is split as, only to validate its split.
_NOMINAL = 1_000_000


def validate_split(
    session: Session,
    *,
    household_id: str,
    method: SplitMethod,
    participants: Sequence[Participant],
    target: int | None,
    on: date,
) -> None:
    """Everything the split would refuse, with the same messages as for an expense."""
    members = household_members(session, household_id)
    check_members(members, [p.member_id for p in participants], "split.participants")
    if method is SplitMethod.EXACT and target is None:
        raise InvalidInput("an exact split needs a target to add up to", field="split.method")
    split_expense(
        amount=target if target is not None else _NOMINAL,
        method=method,
        participants=participants,
        agreement_weights=money_weights(members, on=on)
        if method is SplitMethod.AGREEMENT
        else None,
    )


def split_weights(
    session: Session,
    *,
    household_id: str,
    method: SplitMethod,
    participants: Sequence[Participant],
    on: date,
    agreement_weights: Callable[[], dict[str, int | Fraction]] | None = None,
) -> dict[str, Fraction]:
    """The split's weights per member, in the split's (or the household's) order.
    `agreement_weights`: the household's money agreement weights on `on`, when the caller
    keeps them for several goals (see `agreement_weights_on`)."""
    if method is SplitMethod.AGREEMENT:
        agreement = (
            agreement_weights()
            if agreement_weights is not None
            else money_weights(household_members(session, household_id), on=on)
        )
        chosen = [p.member_id for p in participants] or list(agreement)
        return {m: Fraction(agreement.get(m, 0)) for m in chosen}
    return {p.member_id: _weight(method, p) for p in participants}


def agreement_weights_on(
    session: Session, household_id: str, on: date
) -> Callable[[], dict[str, int | Fraction]]:
    """The money agreement's weights on `on`, read on first call and kept: one read for
    every goal split by the agreement, not one per goal."""
    kept: list[dict[str, int | Fraction]] = []

    def weights() -> dict[str, int | Fraction]:
        if not kept:
            kept.append(money_weights(household_members(session, household_id), on=on))
        return kept[0]

    return weights


def _weight(method: SplitMethod, participant: Participant) -> Fraction:
    value = {
        SplitMethod.SHARES: participant.shares,
        SplitMethod.PERCENT: participant.percent,
        SplitMethod.EXACT: participant.amount,
    }.get(method, 1)
    return Fraction(value if value is not None else 0)
