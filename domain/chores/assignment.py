"""Who does a chore occurrence: one choice, or a run of them planned over the horizon.

Apps that rotate each chore by count call a household where one member always gets the
90-minute chore and the other the 5-minute one balanced. Here `least_loaded` compares
weighted minutes across all chores, and every plan counts fixed and rotated chores into
the load too, so a member's 90 minutes are seen whichever chore they came from.
Member and chore ids are whatever the caller uses (str, UUID): only equality matters.
"""

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Generic, TypeVar

from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

Member = TypeVar("Member", bound=Hashable)
Chore = TypeVar("Chore", bound=Hashable)

# The service sums each member's weighted minutes over this many past days, plus what is
# already assigned ahead, to get the load that `least_loaded` compares.
LOAD_WINDOW_DAYS = 28


class Strategy(StrEnum):
    FIXED = "fixed"
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    # Filled by the fairness engine's rebalancing later; until then it is least_loaded.
    BALANCED = "balanced"


class Preference(StrEnum):
    PREFER = "prefer"
    NEUTRAL = "neutral"
    AVOID = "avoid"


_PREFERENCE_RANK = {Preference.PREFER: 0, Preference.NEUTRAL: 1, Preference.AVOID: 2}


@dataclass(frozen=True)
class DateRange:
    """Days a member is away, `first` to `last` inclusive."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInput("An absence cannot end before it starts.", field="to")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


@dataclass(frozen=True)
class ChoreAssignment(Generic[Member]):
    """What a chore says about who may take its occurrences."""

    strategy: Strategy
    eligible: tuple[Member, ...]
    fixed_member: Member | None = None
    preferences: Mapping[Member, Preference] = field(default_factory=dict)


@dataclass(frozen=True)
class Due(Generic[Chore]):
    """One occurrence to plan: its chore, due date and weighted minutes."""

    chore: Chore
    due_on: date
    weight: Fraction


def is_absent(member: Member, day: date, absences: Mapping[Member, Iterable[DateRange]]) -> bool:
    return any(day in away for away in absences.get(member, ()))


def check_assignment(
    strategy: Strategy, *, eligible: Sequence[Member], fixed_member: Member | None
) -> None:
    """Reject assignment settings no occurrence could ever satisfy."""
    if not eligible:
        raise InvalidInput(
            "A chore needs at least one eligible member.", field="eligible_member_ids"
        )
    if len(set(eligible)) != len(eligible):
        raise InvalidInput("A member is listed twice as eligible.", field="eligible_member_ids")
    if strategy is Strategy.FIXED and fixed_member is None:
        raise InvalidInput("A fixed assignment needs a member.", field="assignment.member_id")
    if fixed_member is not None and fixed_member not in eligible:
        raise InvalidInput(
            "The assigned member must be one of the chore's eligible members.",
            field="assignment.member_id",
        )


def assign(
    strategy: Strategy,
    *,
    eligible: Sequence[Member],
    load: Mapping[Member, Fraction],
    preferences: Mapping[Member, Preference],
    absent: Collection[Member],
    last_assignee: Member | None,
    fixed_member: Member | None = None,
) -> Member | None:
    """The member who takes the occurrence, or None when no eligible member is here.

    `fixed` never falls back: when its member is away, or no longer eligible, the answer
    is None and the caller decides (leave the occurrence open, or ask again with another
    strategy). Settings are checked when the chore is written (`check_assignment`), not
    here, so a member leaving the household leaves occurrences open instead of failing.
    `round_robin` takes the next present member after `last_assignee` in eligible order,
    wrapping around. `least_loaded` (and `balanced`, for now) takes the present member with
    the fewest weighted minutes in `load` (missing means 0); ties go to whoever prefers the
    chore over neutral over avoid, then to the earlier in eligible order.
    """
    present = [member for member in eligible if member not in absent]
    if strategy is Strategy.FIXED:
        return fixed_member if fixed_member in present else None
    if not present:
        return None
    if strategy is Strategy.ROUND_ROBIN:
        after = eligible.index(last_assignee) + 1 if last_assignee in eligible else 0
        rotation = [*eligible[after:], *eligible[:after]]
        return next(member for member in rotation if member not in absent)
    # min() keeps the first of equals, and `present` is in eligible order.
    return min(
        present,
        key=lambda member: (
            load.get(member, Fraction(0)),
            _PREFERENCE_RANK[preferences.get(member, Preference.NEUTRAL)],
        ),
    )


def plan_assignments(
    dues: Sequence[Due[Chore]],
    *,
    chores: Mapping[Chore, ChoreAssignment[Member]],
    load: Mapping[Member, Fraction],
    last_assignees: Mapping[Chore, Member],
    absences: Mapping[Member, Iterable[DateRange]],
) -> list[Member | None]:
    """Assign occurrences one after another in due order, each seeing the ones before.

    This is how the horizon is filled: every assignment adds its weight to the member's
    load and becomes its chore's last assignee. `load` starts as each member's weighted
    minutes over the last `LOAD_WINDOW_DAYS` days plus what is already assigned ahead.
    The answer lines up with `dues`; None where nobody could take an occurrence.
    """
    running = dict(load)
    last = dict(last_assignees)
    planned: list[Member | None] = [None] * len(dues)
    # sorted() is stable: occurrences due the same day keep the caller's order.
    for index in sorted(range(len(dues)), key=lambda i: dues[i].due_on):
        due = dues[index]
        chore = chores[due.chore]
        member = assign(
            chore.strategy,
            eligible=chore.eligible,
            load=running,
            preferences=chore.preferences,
            absent={m for m in chore.eligible if is_absent(m, due.due_on, absences)},
            last_assignee=last.get(due.chore),
            fixed_member=chore.fixed_member,
        )
        if member is not None:
            running[member] = running.get(member, Fraction(0)) + due.weight
            last[due.chore] = member
        planned[index] = member
    return planned
