"""Goal, contribution and progress bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictBool

from api.schemas.common import Currency, Day, Id, MinorUnits, Money, PatchModel, RequestModel
from api.schemas.ledger import Rate, SplitIn, SplitOut

# NUL cannot be stored in PostgreSQL text, so it is refused at the edge like any bad value.
_NO_NUL = r"^[^\x00]*$"
GoalName = Annotated[str, Field(min_length=1, max_length=100, pattern=_NO_NUL)]
Description = Annotated[str, Field(max_length=2000, pattern=_NO_NUL)]
Note = Annotated[str, Field(max_length=2000, pattern=_NO_NUL)]


class GoalCreate(RequestModel):
    name: GoalName
    target: Money | None = Field(
        default=None, description="In the household's currency, minor units, above 0."
    )
    due_on: Day | None = Field(default=None, description="Today or later.")
    split: SplitIn | None = Field(
        default=None, description="Who should carry what share. Default: the household agreement."
    )
    description: Description | None = None


class GoalUpdate(PatchModel):
    nullable = frozenset({"target", "due_on", "split", "description"})

    name: GoalName | None = None
    target: Money | None = None
    due_on: Day | None = None
    split: SplitIn | None = None
    description: Description | None = None
    archived: StrictBool | None = Field(
        default=None, description="Archive (no contributions) or bring back a goal."
    )


class Goal(BaseModel):
    id: str
    name: str
    description: str | None
    target: Money | None
    currency: str = Field(description="The household's currency: what is saved is in it.")
    due_on: Day | None
    split: SplitOut
    saved: int = Field(description="Minor units saved so far (contributions less withdrawals).")
    reached: bool
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime | None


class ContributionCreate(RequestModel):
    member_id: Id
    amount: MinorUnits = Field(description="Minor units; negative for a withdrawal (needs a note).")
    currency: Currency
    date: Day
    note: Note | None = None
    exchange_rate: Rate | None = None


class Contribution(BaseModel):
    id: str
    goal_id: str
    member_id: str
    amount: int = Field(description="In the household currency, minor units.")
    currency: str
    original_amount: int
    original_currency: str
    exchange_rate: str | None
    date: Day
    note: str | None
    imported_row_id: str | None = Field(description="The imported transaction it came from.")
    created_at: datetime


class MemberProgress(BaseModel):
    member_id: str
    contributed: int = Field(description="Minor units this member has put in, net.")
    contributed_share: float = Field(description="Their part of what is saved, 0 to 1.")
    target_share: float = Field(description="Their agreed share from the goal's split, 0 to 1.")
    deviation: float = Field(description="contributed_share − target_share.")
    agreed: int = Field(
        description="Their agreed part of the target (of what is saved, without a target)."
    )


class GoalProgress(BaseModel):
    goal_id: str
    as_of: Day = Field(description="The household's today the progress is computed for.")
    currency: str
    saved: int
    target: int | None
    remaining: int | None = Field(description="Target − saved, never below 0; null without one.")
    reached: bool
    due_on: Day | None
    past_due: bool = Field(description="The due date has passed and the target is not reached.")
    months_left: int | None = Field(description="Calendar months to the due date, a part counting.")
    monthly_needed: int | None = Field(
        description="Saving this every month from now reaches the target on the due date "
        "(rounded up); null without a target and a due date, or once past due."
    )
    pace_monthly: int = Field(
        description="Saved per month over the last three months (or since the goal started)."
    )
    projected: int | None = Field(description="What will be saved by the due date at that pace.")
    on_track: bool | None = Field(
        description="Whether that pace reaches the target on time; null without target and date."
    )
    members: list[MemberProgress]
