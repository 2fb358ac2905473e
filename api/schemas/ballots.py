"""The ballot body of `cast_vote`, one shape per decision method, for the OpenAPI document.

The route reads the body as JSON and `domain.decisions.ballots.parse_ballot` checks it
against the decision's method and options (its errors name the method's shape); these
models only describe the shapes, as a `oneOf` whose branches exclude each other by their
required property, so generated clients get one type per ballot. The bounds are the
server's: a decision has at most MAX_OPTIONS options and an option id is at most 36
characters, so longer lists or ids are refused as unknown or repeated options.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from api.schemas.decisions import MAX_OPTIONS
from domain.decisions.ballots import MAX_REASON, MAX_SCORE, MIN_SCORE, Position

OptionId = Annotated[str, Field(min_length=1, max_length=36)]
OptionIds = Annotated[list[OptionId], Field(max_length=MAX_OPTIONS)]


class _Ballot(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MajorityBallot(_Ballot):
    """`majority`: a vote for one option."""

    option_id: OptionId
    abstain: Literal[False] = False


class Abstention(_Ballot):
    """`majority`: no option."""

    abstain: Literal[True]


class ConsensusBallot(_Ballot):
    """`consensus`: a position; a block or a disagree needs a reason."""

    position: Position
    reason: Annotated[str, Field(max_length=MAX_REASON)] | None = None


class ApprovalBallot(_Ballot):
    """`approval`: every option the voter can live with (none is a valid ballot)."""

    approved: OptionIds


class RankedBallot(_Ballot):
    """`ranked_choice`: options from most to least preferred, at least one."""

    ranking: Annotated[list[OptionId], Field(min_length=1, max_length=MAX_OPTIONS)]


class ScoreBallot(_Ballot):
    """`score`: 0–5 per option id; an option left out scores 0."""

    scores: Annotated[
        dict[str, Annotated[int, Field(ge=MIN_SCORE, le=MAX_SCORE)]],
        Field(max_length=MAX_OPTIONS),
    ]


Ballot = MajorityBallot | Abstention | ConsensusBallot | ApprovalBallot | RankedBallot | ScoreBallot
BALLOT = TypeAdapter(Annotated[Ballot, Field(union_mode="left_to_right")])
