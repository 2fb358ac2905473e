"""What a count produces: a status, the winners, a JSON tally and plain words.

`tally` and `as_json()` hold only dicts, lists, str and int, so the API can return them
as they are; exact means travel as strings of a Fraction ("7/3").
"""

from dataclasses import dataclass, field
from enum import StrEnum

from domain.decisions.ballots import JsonObject, JsonValue
from domain.decisions.wording import STATUS_QUO

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py


class Status(StrEnum):
    """`passed`: a winner (or the proposal carries); `rejected`: no option found any
    support, or a consensus proposal did not carry; `tied`: the top is shared, so the
    status quo stands; `blocked`: a consensus block; `no_quorum`: too few ballots."""

    PASSED = "passed"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    TIED = "tied"
    NO_QUORUM = "no_quorum"


class Elimination(StrEnum):
    """Why an instant-runoff round eliminated what it did."""

    NO_VOTES = "no_votes"
    FEWEST_VOTES = "fewest_votes"
    TIE_EARLIER_ROUNDS = "tie_earlier_rounds"
    TIE_OPTION_ORDER = "tie_option_order"


@dataclass(frozen=True)
class Round:
    """One instant-runoff round: votes of the continuing options in option order, the
    ballots that reached no continuing option, and what was eliminated (none in the last)."""

    number: int
    votes: tuple[tuple[str, int], ...]
    exhausted: int
    eliminated: tuple[str, ...]
    elimination: Elimination | None
    note: str

    def as_json(self) -> JsonObject:
        votes: list[JsonValue] = [{"option_id": o, "votes": n} for o, n in self.votes]
        eliminated: list[JsonValue] = list(self.eliminated)
        return {
            "round": self.number,
            "votes": votes,
            "exhausted": self.exhausted,
            "eliminated": eliminated,
            "elimination": None if self.elimination is None else self.elimination.value,
            "note": self.note,
        }


@dataclass(frozen=True)
class Result:
    """`rounds` is a tuple for ranked choice (empty without a quorum) and None otherwise."""

    status: Status
    winner_option_ids: tuple[str, ...]
    tally: JsonObject = field(hash=False)
    explanation: str
    rounds: tuple[Round, ...] | None = None

    def as_json(self) -> JsonObject:
        winners: list[JsonValue] = list(self.winner_option_ids)
        rounds: list[JsonValue] | None = (
            None if self.rounds is None else [r.as_json() for r in self.rounds]
        )
        return {
            "status": self.status.value,
            "winner_option_ids": winners,
            "rounds": rounds,
            "tally": self.tally,
            "explanation": self.explanation,
        }


def no_quorum(ballots: int, required: int, *, ranked: bool = False) -> Result:
    """Too few ballots. The tally carries only the two counts: with so few voters, any
    per-option count could reveal how the few who voted (a list that is public) voted."""
    cast = "1 ballot was" if ballots == 1 else f"{ballots} ballots were"
    needed = "1 was" if required == 1 else f"{required} were"
    return Result(
        status=Status.NO_QUORUM,
        winner_option_ids=(),
        tally={"ballots": ballots, "quorum": required},
        explanation=(
            f"Only {cast} cast and {needed} needed for a quorum, "
            f"so nothing was decided and {STATUS_QUO}."
        ),
        rounds=() if ranked else None,
    )
