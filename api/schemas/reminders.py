from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api.schemas.common import Name, PatchModel, RequestModel

ReminderKind = Literal[
    "chore.due",
    "chore.overdue",
    "decision.closing_soon",
    "proposal.awaiting_response",
    "check_in.due",
]
Clock = Annotated[
    str,
    Field(
        max_length=5,
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="HH:MM, household time.",
        examples=["22:00"],
    ),
]
AppriseUrl = Annotated[
    str,
    Field(
        min_length=4,
        max_length=2000,
        description="An Apprise URL (write-only).",
        examples=["ntfys://ntfy.sh/our-flat-chores"],
    ),
]
Reminders = Annotated[list[ReminderKind], Field(min_length=1, max_length=5)]


class NotificationTargetCreate(RequestModel):
    url: AppriseUrl
    label: Name | None = None
    reminders: Reminders | None = Field(default=None, description="Default: every kind.")
    quiet_from: Clock | None = None
    quiet_to: Clock | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "url": "ntfys://ntfy.sh/our-flat-chores",
                    "label": "Phone",
                    "reminders": ["chore.due", "decision.closing_soon"],
                    "quiet_from": "22:00",
                    "quiet_to": "07:00",
                }
            ]
        }
    }


class NotificationTargetUpdate(PatchModel):
    nullable = frozenset({"label", "quiet_from", "quiet_to"})

    url: AppriseUrl | None = None
    label: Name | None = None
    reminders: Reminders | None = None
    quiet_from: Clock | None = None
    quiet_to: Clock | None = None


class NotificationTarget(BaseModel):
    id: str
    member_id: str
    label: str | None
    url_masked: str = Field(description="The URL with its secrets starred out.")
    reminders: list[ReminderKind]
    quiet_from: str | None
    quiet_to: str | None
    created_at: datetime
    updated_at: datetime | None
