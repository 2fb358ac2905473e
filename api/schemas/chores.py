from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictInt

from api.schemas.common import AwareMoment, Day, Id, Name, PatchModel, RequestModel
from domain.agreement.terms import Load
from domain.chores.assignment import Preference, Strategy

MAX_ELIGIBLE = 100
Minutes = Annotated[StrictInt, Field(ge=1, le=24 * 60, description="1 to 1440 minutes.")]
Effort = Annotated[StrictInt, Field(ge=1, le=5, description="1 (light) to 5 (exhausting).")]
RRule = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        examples=["FREQ=WEEKLY;BYDAY=MO,TH"],
        description="An RFC 5545 RRULE without DTSTART (starts_on is the start); null for "
        "a one-off chore.",
    ),
]
EligibleIds = Annotated[
    list[Id],
    Field(
        min_length=1,
        max_length=MAX_ELIGIBLE,
        description="In rotation order. Omitted or null: every active member, including "
        "members who join later.",
    ),
]
Note = Annotated[str, Field(max_length=2000)]
OccurrenceStatus = Literal["open", "done", "skipped"]


class AssignmentIn(RequestModel):
    strategy: Strategy
    member_id: Id | None = Field(default=None, description="Only for `fixed`: who does it.")


class ChoreCreate(RequestModel):
    name: Name
    estimated_minutes: Minutes
    effort: Effort
    load: Load
    recurrence: RRule | None = None
    starts_on: Day
    assignment: AssignmentIn = Field(
        default_factory=lambda: AssignmentIn(strategy=Strategy.LEAST_LOADED),
        description="Default: least_loaded.",
    )
    eligible_member_ids: EligibleIds | None = None


class ChoreUpdate(PatchModel):
    nullable = frozenset({"recurrence", "eligible_member_ids"})

    name: Name | None = None
    estimated_minutes: Minutes | None = None
    effort: Effort | None = None
    load: Load | None = None
    recurrence: RRule | None = None
    starts_on: Day | None = None
    assignment: AssignmentIn | None = None
    eligible_member_ids: EligibleIds | None = None


class AssignmentOut(BaseModel):
    strategy: Strategy
    member_id: str | None


class Chore(BaseModel):
    id: str
    name: str
    estimated_minutes: int
    effort: int
    load: Load
    recurrence: str | None
    starts_on: Day
    assignment: AssignmentOut
    eligible_member_ids: list[str] | None = Field(
        description="null: every active member, including members who join later."
    )
    created_at: datetime
    updated_at: datetime | None


class CompletionIn(RequestModel):
    member_id: Id | None = Field(default=None, description="Who did it; default: you.")
    minutes: Minutes | None = Field(default=None, description="Default: the chore's estimate.")
    completed_at: AwareMoment | None = Field(
        default=None, description="Default: now; never in the future."
    )


class ReassignIn(RequestModel):
    member_id: Id


class ChoreOccurrence(BaseModel):
    id: str
    chore_id: str
    due_on: Day
    assigned_member_id: str | None = Field(description="null: nobody is planned for it.")
    status: OccurrenceStatus
    completed_by_member_id: str | None
    completed_at: datetime | None
    minutes: int | None = Field(description="The minutes it took, once done.")


class PreferenceIn(RequestModel):
    preference: Preference


class ChorePreference(BaseModel):
    chore_id: str
    member_id: str
    preference: Preference


class TimeEntryCreate(RequestModel):
    member_id: Id
    minutes: Minutes
    date: Day = Field(description="At most one day after today, household time.")
    chore_id: Id | None = None
    load: Load
    effort: Effort | None = Field(
        default=None, description="Default: the chore's effort, or 3 without a chore."
    )
    note: Note | None = None


class TimeEntry(BaseModel):
    id: str
    member_id: str
    minutes: int
    date: Day
    chore_id: str | None
    load: Load
    effort: int
    note: str | None
    created_at: datetime


class AbsenceCreate(RequestModel):
    from_: Day = Field(alias="from", description="First day away.")
    to: Day = Field(description="Last day away (inclusive).")


class Absence(BaseModel):
    id: str
    member_id: str
    from_: Day = Field(serialization_alias="from")
    to: Day
    created_at: datetime


class LoadTotal(BaseModel):
    minutes: int
    weighted_minutes: float


class LoadBreakdown(BaseModel):
    execution: LoadTotal
    planning: LoadTotal
    conception: LoadTotal


class MemberChoreStats(BaseModel):
    member_id: str
    completed_count: int = Field(description="Occurrences this member completed.")
    time_entry_count: int
    minutes: int = Field(description="Completed occurrences plus time entries.")
    weighted_minutes: float = Field(
        description="minutes x effort multiplier x load multiplier (all 1 until the fairness "
        "agreement sets them)."
    )
    by_load: LoadBreakdown


class ChoreStats(BaseModel):
    from_: Day = Field(serialization_alias="from")
    to: Day
    members: list[MemberChoreStats]
