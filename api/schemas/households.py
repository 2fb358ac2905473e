from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt

from api.schemas.common import Currency, Id, Money, Name, PatchModel, RequestModel, TimeZone

Role = Literal["admin", "member"]
Visibility = Literal["private", "household"]
WeeklyMinutes = Annotated[StrictInt, Field(ge=0, le=7 * 24 * 60)]


class HouseholdCreate(RequestModel):
    name: Name
    currency: Currency
    timezone: TimeZone


CheckInEvery = Annotated[
    StrictInt,
    Field(ge=1, le=365, description="Days between each member's check-ins; null: no reminder."),
]


class HouseholdUpdate(PatchModel):
    nullable = frozenset({"check_in_every_days"})

    name: Name | None = None
    currency: Currency | None = None
    timezone: TimeZone | None = None
    check_in_every_days: CheckInEvery | None = None


class Household(BaseModel):
    id: str
    name: str
    currency: str
    timezone: str
    check_in_every_days: int | None = Field(
        default=None, description="The check-in rhythm: `check_in.due` reminds each member."
    )
    created_at: datetime


class MemberCreate(RequestModel):
    display_name: Name
    role: Role = "member"
    weekly_available_minutes: WeeklyMinutes | None = None
    monthly_income: Money | None = None
    income_visibility: Visibility = "private"


class MemberUpdate(PatchModel):
    nullable = frozenset({"weekly_available_minutes", "monthly_income"})

    display_name: Name | None = None
    role: Role | None = None
    active: StrictBool | None = None
    weekly_available_minutes: WeeklyMinutes | None = None
    monthly_income: Money | None = None
    income_visibility: Visibility | None = None


class Member(BaseModel):
    id: str
    display_name: str
    role: Role
    user_id: str | None
    active: bool
    weekly_available_minutes: int | None
    monthly_income: Money | None = Field(
        description="null when unset, or when private and you are not this member."
    )
    income_visibility: Visibility
    created_at: datetime


class InvitationCreate(RequestModel):
    role: Role = "member"
    member_id: Id | None = Field(
        default=None, description="Let the invitee take over this managed member."
    )
    expires_in_hours: Annotated[StrictInt, Field(ge=1, le=24 * 90)] | None = None


class Invitation(BaseModel):
    id: str
    code: str = Field(description="Shown only in this response.")
    role: Role
    member_id: str | None
    expires_at: datetime


class InvitationAccept(RequestModel):
    member_id: Id | None = None


class Activity(BaseModel):
    id: str
    type: str
    subject_id: str | None
    actor_member_id: str | None
    on_behalf_of_member_id: str | None
    data: dict[str, Any]
    created_at: datetime
