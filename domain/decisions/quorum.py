"""How many ballots a decision needs before its count means anything.

A quorum is a count of ballots, a fraction of the active members, or None for the
default: everyone for consensus (a consensus of the present few is not the household's),
more than half for every other method. Every ballot counts toward it, abstentions too:
taking part and declining to choose is still taking part.
"""

import math
from fractions import Fraction
from typing import TypeAlias

from domain.decisions.methods import Method
from domain.errors import InvalidInput

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

Quorum: TypeAlias = int | Fraction | None


def check_quorum(quorum: Quorum, *, eligible_voters: int) -> None:
    """Refuse a quorum that is malformed or could never be met by today's household."""
    if quorum is None:
        return
    if isinstance(quorum, bool) or not isinstance(quorum, int | Fraction):
        raise InvalidInput("A quorum is a whole number of ballots or a fraction.", field="quorum")
    if isinstance(quorum, Fraction):
        if not 0 < quorum <= 1:
            raise InvalidInput(
                "A quorum fraction must be more than 0 and at most 1.", field="quorum"
            )
        return
    if quorum < 1:
        raise InvalidInput("A quorum count must be at least 1.", field="quorum")
    if quorum > eligible_voters:
        raise InvalidInput(
            f"A quorum of {quorum} can never be met: the household has "
            f"{eligible_voters} active members.",
            field="quorum",
        )


def required_ballots(method: Method, quorum: Quorum, *, eligible_voters: int) -> int:
    """The number of ballots needed, never less than one.

    A fraction means "at least that share of the members", rounded up: 1/2 of 4 is 2.
    The default "more than half" is stricter on purpose: 3 of 4.
    """
    if quorum is None:
        needed = eligible_voters if method is Method.CONSENSUS else eligible_voters // 2 + 1
    elif isinstance(quorum, Fraction):
        needed = math.ceil(quorum * eligible_voters)
    else:
        needed = quorum
    return max(1, needed)
