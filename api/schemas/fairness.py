"""Fairness request and response bodies: the agreement, the report, the summary, proposals
and check-ins. Shares are fractions 0–1 (4 decimals), scores 0–100 (1 decimal)."""

from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt

from api.schemas.common import Day, Id, Moment, Money, RequestModel
from domain.agreement.terms import Load, MoneyTarget, Period, TimeTarget

Number = Annotated[StrictInt | Annotated[StrictFloat, Field(allow_inf_nan=False)], Field()]
Weights = Annotated[
    dict[Id, Number],
    Field(max_length=100, description="`custom` only: member id → a weight of 0 or more."),
]
EffortLevel = Literal["1", "2", "3", "4", "5"]
Note = Annotated[str, Field(max_length=2000)]
Rating = Annotated[StrictInt, Field(ge=1, le=5)]


def fraction(value: int | float) -> Fraction:
    """A JSON number read exactly from its decimal text (0.1 is 1/10, not a binary float)."""
    return Fraction(str(value))


class MoneyTerms(RequestModel):
    target: MoneyTarget = MoneyTarget.EQUAL
    weights: Weights | None = None


class TimeTerms(RequestModel):
    target: TimeTarget = TimeTarget.EQUAL
    weights: Weights | None = None


class Multipliers(RequestModel):
    effort: dict[EffortLevel, Number] = Field(
        default_factory=dict, description="Effort level 1–5 → multiplier (0.1 to 10); unset: 1."
    )
    load: dict[Load, Number] = Field(
        default_factory=dict, description="Load type → multiplier (0.1 to 10); unset: 1."
    )


class DimensionWeights(RequestModel):
    money: Annotated[Number, Field(ge=0)] = 1
    time: Annotated[Number, Field(ge=0)] = 1


class AgreementIn(RequestModel):
    """The whole agreement (PUT replaces it)."""

    money: MoneyTerms = Field(default_factory=MoneyTerms)
    time: TimeTerms = Field(default_factory=TimeTerms)
    weights: Multipliers = Field(default_factory=Multipliers)
    hour_value: Money | None = Field(
        default=None,
        description="The money value of one weighted hour, in the household's currency: "
        "time imbalances can then be settled in money.",
    )
    period: Period = Period.MONTH
    tolerance: Annotated[Number, Field(ge=0, lt=1)] = Field(
        default=0.05, description="The deviation (a share) under which nothing is proposed."
    )
    dimension_weights: DimensionWeights | None = Field(
        default=None, description="Weights of money and time in the overall score; default equal."
    )


class MoneyTermsOut(BaseModel):
    target: MoneyTarget
    weights: dict[str, float] | None


class TimeTermsOut(BaseModel):
    target: TimeTarget
    weights: dict[str, float] | None


class MultipliersOut(BaseModel):
    effort: dict[str, float]
    load: dict[str, float]


class Agreement(BaseModel):
    version: int = Field(description="0: the default agreement, before any was made.")
    effective_from: Day | None
    money: MoneyTermsOut
    time: TimeTermsOut
    weights: MultipliersOut
    hour_value: Money | None
    period: Period
    tolerance: float
    dimension_weights: dict[str, float] | None
    pending_proposal_id: str | None = Field(
        description="An open agreement_change proposal waiting for members' responses."
    )


class FairnessMemberMeasure(BaseModel):
    member_id: str
    actual: int | float = Field(description="Money: minor units. Time: weighted minutes.")
    actual_share: float
    target_share: float
    deviation: float = Field(description="actual_share − target_share.")


class FairnessDimension(BaseModel):
    score: float | None = Field(description="0–100; null when the period has no data.")
    members: list[FairnessMemberMeasure]


class FairnessDecisionMember(BaseModel):
    member_id: str
    proposed: int
    ballots: int
    matched_outcome: int
    blocks: int


class FairnessDecisions(BaseModel):
    members: list[FairnessDecisionMember]


class FairnessDimensions(BaseModel):
    money: FairnessDimension
    time: FairnessDimension
    decisions: FairnessDecisions
    goals: FairnessDimension = Field(
        description="Across the active goals up to `to`: what each member has put in "
        "against their share of what is saved, by each goal's split (not in overall_score)."
    )


class CheckInSummary(BaseModel):
    member_id: str
    count: int
    fairness: float | None = Field(description="Mean rating, 1–5.")
    heard: float | None = Field(description="Mean rating, 1–5.")


class FairnessReport(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: Day = Field(alias="from")
    to: Day
    currency: str
    overall_score: float | None
    agreement_version: int
    dimensions: FairnessDimensions
    check_ins: list[CheckInSummary]
    findings: list[str]


class FairnessSummary(BaseModel):
    overall_score: float | None
    money_score: float | None
    time_score: float | None
    headline: str
    open_proposals: int
    currency: str
    largest_balance: float = Field(
        description="The largest amount any member owes or is owed, in major units."
    )
    goal_name: str | None = Field(
        default=None, description="The nearest goal: active, a target to reach, due soonest."
    )
    goal_progress: float | None = Field(default=None, description="Saved, % of its target.")
    goal_saved: float | None = Field(default=None, description="Major units.")
    goal_remaining: float | None = Field(default=None, description="Major units.")
    goal_monthly_needed: float | None = Field(
        default=None, description="Major units a month to reach it on time."
    )
    goal_due_on: Day | None = None
    goal_on_track: bool | None = Field(
        default=None, description="Whether the last three months' pace gets there on time."
    )


class ProposalsRequest(RequestModel):
    from_: Day = Field(alias="from")
    to: Day


class ExpectedScores(BaseModel):
    overall_score: float | None
    money_score: float | None
    time_score: float | None


class ProposalResponse(BaseModel):
    member_id: str
    response: Literal["accept", "reject"]
    note: str | None
    responded_at: Moment
    responded_by_member_id: str | None = Field(
        description="The admin who answered for a managed member; null when they answered."
    )


class Proposal(BaseModel):
    id: str
    kind: str
    status: Literal["open", "accepted", "rejected", "superseded", "applied"]
    rationale: str
    affected_member_ids: list[str]
    responses: list[ProposalResponse]
    expected: ExpectedScores
    details: dict[str, Any]
    period: dict[str, Day] | None = Field(description="`{from, to}` it was computed for.")
    created_at: Moment
    closed_at: Moment | None


class ProposalList(BaseModel):
    data: list[Proposal]


class ProposalResponseIn(RequestModel):
    response: Literal["accept", "reject"]
    note: Note | None = None


class CheckInCreate(RequestModel):
    member_id: Id
    fairness: Rating = Field(description="How fair it feels, 1 (not at all) to 5.")
    heard: Rating = Field(description="How heard the member feels, 1 to 5.")
    note: Note | None = None
    share_note: StrictBool = Field(
        default=False, description="Show the note to the household; otherwise only to you."
    )


class CheckIn(BaseModel):
    id: str
    member_id: str
    fairness: int
    heard: int
    note: str | None = Field(description="null unless shared, or yours.")
    share_note: bool
    date: Day
    created_by_member_id: str | None
    created_at: Moment
