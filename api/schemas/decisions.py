"""Decision request and response bodies."""

from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictFloat, StrictInt

from api.schemas.common import AwareMoment, Day, Moment, RequestModel
from domain.decisions.methods import Method
from domain.decisions.quorum import Quorum
from domain.decisions.result import Elimination, Status
from domain.decisions.service import BallotKind

MAX_OPTIONS = 20
Label = Annotated[str, Field(min_length=1, max_length=100)]


class DecisionCreate(RequestModel):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=4000)] | None = None
    method: Method
    options: Annotated[
        list[Label],
        Field(
            max_length=MAX_OPTIONS,
            description="Labels, in the order ballots and results list them; at least two, "
            "except for consensus, which takes none.",
        ),
    ] = []
    closes_at: AwareMoment | None = Field(
        default=None, description="RFC 3339 with an offset, in the future."
    )
    quorum: (
        Annotated[
            StrictInt | Annotated[StrictFloat, Field(allow_inf_nan=False)],
            Field(
                description="Ballots needed: a whole number of ballots, or a fraction of the "
                "active members (a number above 0 and at most 1). Default: everyone for "
                "consensus, more than half otherwise.",
                examples=[2, 0.5],
            ),
        ]
        | None
    ) = None
    ballot: BallotKind = Field(description="`secret`: only who voted is shown, never what.")
    category: Annotated[str, Field(min_length=1, max_length=64)] | None = None

    def quorum_value(self) -> Quorum:
        """A JSON number with a point is a fraction, read exactly from its decimal text."""
        if isinstance(self.quorum, float):
            return Fraction(str(self.quorum))
        return self.quorum


_A, _B = "0190c6e2-0d4f-7a1b-8c2d-3e4f5a6b7c01", "0190c6e2-0d4f-7a1b-8c2d-3e4f5a6b7c02"
BALLOT_EXAMPLES: dict[str, Any] = {
    "majority": {"value": {"option_id": _A}},
    "abstain": {"value": {"abstain": True}},
    "consensus": {"value": {"position": "block", "reason": "We cannot afford it this year."}},
    "approval": {"value": {"approved": [_A, _B]}},
    "ranked_choice": {"value": {"ranking": [_B, _A]}},
    "score": {"value": {"scores": {_A: 5, _B: 2}}},
}
BALLOT_DESCRIPTION = (
    "The ballot for the decision's method: majority `{option_id}` or `{abstain: true}`; "
    "consensus `{position: agree|abstain|disagree|block, reason?}` (a block or a disagree "
    "needs a reason); approval `{approved: [option_id…]}`; ranked_choice `{ranking: "
    "[option_id…]}`; score `{scores: {option_id: 0-5}}`."
)


class Option(BaseModel):
    id: str
    label: str


class OptionVotes(BaseModel):
    option_id: str
    votes: int


class Round(BaseModel):
    round: int
    votes: list[OptionVotes]
    exhausted: int = Field(description="Ballots that ranked no option still in the count.")
    eliminated: list[str]
    elimination: Elimination | None
    note: str


class Result(BaseModel):
    status: Status
    winner_option_ids: list[str]
    rounds: list[Round] | None = Field(description="Ranked choice only: every round.")
    tally: dict[str, Any] = Field(description="Counts only, per option where there are options.")
    explanation: str


class Vote(BaseModel):
    decision_id: str
    member_id: str
    ballot: dict[str, Any] | None = Field(description="Always null for a secret decision.")
    voted_at: Moment
    cast_by_member_id: str | None = Field(
        description="The admin who voted for a managed member; null when they voted themself."
    )


class Decision(BaseModel):
    id: str
    title: str
    description: str | None
    method: Method
    options: list[Option]
    ballot: BallotKind
    quorum: int | float | None
    category: str | None
    closes_at: Moment | None
    status: Literal["open", "closed"]
    proposed_by_member_id: str
    voters: list[str] = Field(description="Members who have voted, in the order they voted.")
    votes: list[Vote] | None = Field(
        description="Each ballot for an open decision; null if secret."
    )
    result: Result | None
    closed_at: Moment | None
    closed_by_member_id: str | None = Field(description="Null when the deadline closed it.")
    created_at: Moment


class MemberDecisionStats(BaseModel):
    member_id: str
    proposed: int
    ballots: int
    matched_outcome: int = Field(description="Open ballots that asked for what was decided.")
    blocks: int


class DecisionStats(BaseModel):
    from_: Day | None = Field(alias="from")
    to: Day | None
    members: list[MemberDecisionStats]
