"""Weighted minutes: the one measure of chore time that fairness compares.

An hour is an hour unless the household's agreement says otherwise, so every multiplier
is 1 by default. The arithmetic is exact (Fraction) because members' totals are compared
and summed across months: float drift would show up as unfairness that is not there.
"""

from collections.abc import Mapping
from fractions import Fraction
from typing import TypeVar

from domain.agreement.terms import Load
from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

EFFORT_LEVELS = range(1, 6)

_Key = TypeVar("_Key")


def weighted_minutes(
    minutes: int,
    *,
    effort: int,
    load: Load,
    effort_multipliers: Mapping[int, Fraction] | None = None,
    load_multipliers: Mapping[Load, Fraction] | None = None,
) -> Fraction:
    """`minutes` times the multiplier of the effort and that of the load.

    A level the agreement leaves out weighs 1, so an agreement that only raises
    `conception` does not have to restate every other multiplier.
    """
    if minutes < 0:
        raise InvalidInput("Minutes cannot be negative.", field="minutes")
    if effort not in EFFORT_LEVELS:
        raise InvalidInput("Effort is a level from 1 to 5.", field="effort")
    effort_factor = _multiplier(effort_multipliers, effort)
    load_factor = _multiplier(load_multipliers, load)
    return minutes * effort_factor * load_factor


def _multiplier(multipliers: Mapping[_Key, Fraction] | None, key: _Key) -> Fraction:
    factor = Fraction(1) if multipliers is None else Fraction(multipliers.get(key, 1))
    if factor < 0:
        raise InvalidInput("A weight multiplier cannot be negative.", field="weights")
    return factor
