"""Turn an expense's split request into the shares stored with it, and its payers.

Every split becomes weights handed to `allocate`, so all methods share one rounding rule:
largest remainder, extra units to the earlier participant in request order, and the parts
always sum exactly to the amount. Membership (same household, active) is the service's
job; here member ids are plain strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from domain.errors import InvalidInput
from domain.ledger.values import MemberAmount
from domain.money import allocate

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

_PARTICIPANTS = "split.participants"


class SplitMethod(StrEnum):
    """How an expense is shared; the values are the API's `split.method` strings."""

    EQUAL = "equal"
    SHARES = "shares"
    PERCENT = "percent"
    EXACT = "exact"
    AGREEMENT = "agreement"


# The one participant field each method reads; any other value given is refused, so a
# client that sends percents with the `shares` method learns of it instead of being ignored.
_VALUE_FIELD = {
    SplitMethod.EQUAL: None,
    SplitMethod.SHARES: "shares",
    SplitMethod.PERCENT: "percent",
    SplitMethod.EXACT: "amount",
    SplitMethod.AGREEMENT: None,
}


@dataclass(frozen=True, slots=True)
class Participant:
    """One entry of `split.participants`, as the request gave it."""

    member_id: str
    shares: int | None = None
    percent: Decimal | int | None = None
    amount: int | None = None


def split_expense(
    *,
    amount: int,
    method: SplitMethod,
    participants: Sequence[Participant],
    agreement_weights: Mapping[str, int | Fraction] | None = None,
) -> list[MemberAmount]:
    """The shares of an expense, one per participant in request order.

    For `agreement`, `agreement_weights` are the household's money weights in member
    order; with no participants every member with a positive weight takes part, with
    participants only they do, in the agreement's proportions among themselves.
    """
    if amount == 0:
        raise InvalidInput("an expense of 0 has nothing to split", field="amount")
    _check_participants(method, participants)
    if method is SplitMethod.AGREEMENT:
        return _agreement_split(amount, participants, agreement_weights)
    if not participants:
        raise InvalidInput("an expense needs at least one participant", field=_PARTICIPANTS)
    ids = [p.member_id for p in participants]
    if method is SplitMethod.EXACT:
        return _exact_split(amount, participants)
    weights: list[int] = [1] * len(participants)
    if method is SplitMethod.SHARES:
        weights = [
            _positive_int(p.shares, f"{_PARTICIPANTS}.{i}.shares")
            for i, p in enumerate(participants)
        ]
    elif method is SplitMethod.PERCENT:
        weights = _percent_weights(participants)
    return [MemberAmount(m, a) for m, a in zip(ids, allocate(amount, weights), strict=True)]


def resolve_payers(
    *,
    amount: int,
    paid_by: str | None = None,
    payers: Sequence[MemberAmount] | None = None,
) -> list[MemberAmount]:
    """Who paid how much: either one `paid_by` member or a `payers` list summing to the amount.

    Each payer's amount has the sign of the expense (a refund is received by its payers).
    """
    if amount == 0:
        raise InvalidInput("an expense of 0 has nobody to pay it", field="amount")
    if (paid_by is None) == (payers is None):
        raise InvalidInput("give either paid_by or payers, not both or neither", field="paid_by")
    if paid_by is not None:
        return [MemberAmount(paid_by, amount)]
    if not payers:
        raise InvalidInput("an expense needs at least one payer", field="payers")
    _check_unique([p.member_id for p in payers], "payers")
    for index, payer in enumerate(payers):
        if payer.amount == 0 or (payer.amount < 0) != (amount < 0):
            raise InvalidInput(
                f"a payer's amount must be non-zero with the sign of the expense ({amount})",
                field=f"payers.{index}.amount",
            )
    total = sum(p.amount for p in payers)
    if total != amount:
        raise InvalidInput(f"payers sum to {total}, not {amount}", field="payers")
    return list(payers)


def _check_participants(method: SplitMethod, participants: Sequence[Participant]) -> None:
    _check_unique([p.member_id for p in participants], _PARTICIPANTS)
    wanted = _VALUE_FIELD[method]
    for index, participant in enumerate(participants):
        for name in ("shares", "percent", "amount"):
            given = getattr(participant, name) is not None
            if given != (name == wanted):
                verb = "is not used by" if given else "is required by"
                raise InvalidInput(
                    f"{name} {verb} the {method.value} split",
                    field=f"{_PARTICIPANTS}.{index}.{name}",
                )


def _check_unique(member_ids: Sequence[str], field: str) -> None:
    seen: set[str] = set()
    for index, member_id in enumerate(member_ids):
        if member_id in seen:
            raise InvalidInput(
                f"member {member_id} appears more than once", field=f"{field}.{index}.member_id"
            )
        seen.add(member_id)


def _positive_int(value: object, field: str) -> int:
    if type(value) is not int or value <= 0:
        raise InvalidInput(f"{value} is not a positive whole number", field=field)
    return value


def _percent_weights(participants: Sequence[Participant]) -> list[int]:
    """Percents as hundredths of a percent, which makes them exact integer weights."""
    weights = []
    for index, participant in enumerate(participants):
        percent = participant.percent
        field = f"{_PARTICIPANTS}.{index}.percent"
        if not isinstance(percent, Decimal | int) or isinstance(percent, bool):
            raise InvalidInput("a percent is a decimal number", field=field)
        if isinstance(percent, Decimal) and not percent.is_finite():
            raise InvalidInput(f"{percent} is not a percent", field=field)
        hundredths = Fraction(percent) * 100
        if hundredths.denominator != 1:
            raise InvalidInput(f"{percent} has more than 2 decimals", field=field)
        if hundredths <= 0:
            raise InvalidInput(f"{percent} is not a positive percent", field=field)
        weights.append(hundredths.numerator)
    if sum(weights) != 10_000:
        total = Decimal(sum(weights)) / 100
        raise InvalidInput(f"percents sum to {total.normalize():f}, not 100", field=_PARTICIPANTS)
    return weights


def _exact_split(amount: int, participants: Sequence[Participant]) -> list[MemberAmount]:
    shares = []
    for index, participant in enumerate(participants):
        value = participant.amount
        if type(value) is not int or (value != 0 and (value < 0) != (amount < 0)):
            raise InvalidInput(
                f"{value} must be a whole number with the sign of the expense ({amount})",
                field=f"{_PARTICIPANTS}.{index}.amount",
            )
        shares.append(MemberAmount(participant.member_id, value))
    total = sum(share.amount for share in shares)
    if total != amount:
        raise InvalidInput(f"amounts sum to {total}, not {amount}", field=_PARTICIPANTS)
    return shares


def _agreement_split(
    amount: int,
    participants: Sequence[Participant],
    weights: Mapping[str, int | Fraction] | None,
) -> list[MemberAmount]:
    if weights is None:
        raise InvalidInput("the household has no money agreement", field="split.method")
    if participants:
        ids = [p.member_id for p in participants]
        for index, member_id in enumerate(ids):
            if member_id not in weights:
                raise InvalidInput(
                    f"member {member_id} has no share in the agreement",
                    field=f"{_PARTICIPANTS}.{index}.member_id",
                )
    else:
        ids = [member_id for member_id, weight in weights.items() if weight > 0]
    chosen = [weights[member_id] for member_id in ids]
    if not ids or sum(chosen) <= 0:
        raise InvalidInput("the agreement gives these participants no share", field=_PARTICIPANTS)
    return [MemberAmount(m, a) for m, a in zip(ids, allocate(amount, chosen), strict=True)]
