"""The household's fairness agreement as a value, and the target shares it implies.

Money targets: `equal`, `income` (proportional to monthly incomes, private ones included),
or `custom` weights. Time targets: `equal`, `capacity` (proportional to weekly available
minutes) or `custom`. Multipliers weigh effort levels and load types; all 1 unless the
household says otherwise, so an hour is an hour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


class Load(StrEnum):
    """The kind of work, after Fair Play: doing it, planning it, or noticing it is needed."""

    EXECUTION = "execution"
    PLANNING = "planning"
    CONCEPTION = "conception"


def normalise(weights: Mapping[str, Fraction | int]) -> dict[str, Fraction]:
    """Weights as shares summing to exactly 1."""
    for member_id, weight in weights.items():
        if weight < 0:
            raise InvalidInput(f"weight {weight} for {member_id} is negative", field="weights")
    total = sum((Fraction(w) for w in weights.values()), Fraction(0))
    if total <= 0:
        raise InvalidInput("the weights are all zero", field="weights")
    return {member_id: Fraction(w) / total for member_id, w in weights.items()}


MIN_MULTIPLIER = Fraction(1, 10)
MAX_MULTIPLIER = Fraction(10)


class MoneyTarget(StrEnum):
    EQUAL = "equal"
    INCOME = "income"
    CUSTOM = "custom"


class TimeTarget(StrEnum):
    EQUAL = "equal"
    CAPACITY = "capacity"
    CUSTOM = "custom"


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Agreement:
    money: MoneyTarget = MoneyTarget.EQUAL
    money_weights: Mapping[str, Fraction] = field(default_factory=dict)
    time: TimeTarget = TimeTarget.EQUAL
    time_weights: Mapping[str, Fraction] = field(default_factory=dict)
    effort_multipliers: Mapping[int, Fraction] = field(default_factory=dict)
    load_multipliers: Mapping[Load, Fraction] = field(default_factory=dict)
    hour_value: int | None = None  # minor units of the household currency per weighted hour
    period: Period = Period.MONTH
    tolerance: Fraction = Fraction(5, 100)
    dimension_weights: Mapping[str, Fraction] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, table in (("effort", self.effort_multipliers), ("load", self.load_multipliers)):
            for key, value in table.items():
                if not MIN_MULTIPLIER <= value <= MAX_MULTIPLIER:
                    raise InvalidInput(
                        f"the {name} multiplier for {key} is {value}; it must be 0.1 to 10",
                        field=f"weights.{name}.{key}",
                    )
        if not 0 <= self.tolerance < 1:
            raise InvalidInput("tolerance is a fraction from 0 to below 1", field="tolerance")
        if self.hour_value is not None and self.hour_value <= 0:
            raise InvalidInput("hour_value must be positive", field="hour_value")
        for label, weights in (("money", self.money_weights), ("time", self.time_weights)):
            if weights:
                _check_custom(weights, f"{label}.weights")


def _check_custom(weights: Mapping[str, Fraction], where: str) -> None:
    for member_id, weight in weights.items():
        if weight < 0:
            raise InvalidInput(f"a weight cannot be negative ({member_id})", field=where)
    if not any(w > 0 for w in weights.values()):
        raise InvalidInput("custom weights cannot all be zero", field=where)


def money_targets(
    agreement: Agreement, members: Sequence[str], *, incomes: Mapping[str, int | None]
) -> dict[str, Fraction]:
    """Target money shares of the given (active) members, summing to 1."""
    if agreement.money is MoneyTarget.EQUAL:
        return normalise({m: 1 for m in members})
    if agreement.money is MoneyTarget.INCOME:
        missing = [m for m in members if not incomes.get(m)]
        if missing:
            raise InvalidInput(
                "income targets need a monthly income for every member; missing for "
                + ", ".join(missing),
                field="money.target",
            )
        return normalise({m: Fraction(incomes[m] or 0) for m in members})
    return normalise({m: agreement.money_weights.get(m, Fraction(0)) for m in members})


def time_targets(
    agreement: Agreement, members: Sequence[str], *, capacity: Mapping[str, int | None]
) -> dict[str, Fraction]:
    """Target time weights (before absences) of the given members, summing to 1."""
    if agreement.time is TimeTarget.EQUAL:
        return normalise({m: 1 for m in members})
    if agreement.time is TimeTarget.CAPACITY:
        missing = [m for m in members if capacity.get(m) is None]
        if missing:
            raise InvalidInput(
                "capacity targets need weekly_available_minutes for every member; missing "
                "for " + ", ".join(missing),
                field="time.target",
            )
        return normalise({m: Fraction(capacity[m] or 0) for m in members})
    return normalise({m: agreement.time_weights.get(m, Fraction(0)) for m in members})
