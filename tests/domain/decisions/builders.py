"""Small builders so each test states its election and nothing else."""

from typing import Any

from domain.decisions.ballots import RankedBallot
from domain.decisions.methods import Option
from domain.decisions.result import Result, Round


def options(*labels: str) -> list[Option]:
    """Options whose id is the lower-cased label, in the order given."""
    return [Option(label.lower(), label) for label in labels]


def rankings(*groups: tuple[str, int]) -> list[RankedBallot]:
    """Ballots from (space-separated ids, how many) pairs: ("sea lake", 3)."""
    return [RankedBallot(tuple(ids.split())) for ids, n in groups for _ in range(n)]


def rounds_of(result: Result) -> tuple[Round, ...]:
    assert result.rounds is not None, "a ranked-choice result always has rounds"
    return result.rounds


def json_of(value: object) -> Any:
    """JSON as the API would hand it on: tests index into it freely."""
    return value
