"""Webhook subscriptions and their deliveries, as the API reads and writes them."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictBool

from api.schemas.common import PatchModel, RequestModel
from domain.hooks.schedule import DeliveryStatus

Url = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2000,
        examples=["https://example.org/hooks/fairstead"],
        description="http(s) URL that receives POSTs. Hosts that resolve to loopback, "
        "private or link-local addresses are refused unless the server allows them.",
    ),
]
EventPattern = Annotated[str, Field(min_length=1, max_length=64, examples=["expense.created"])]
Events = Annotated[
    list[EventPattern],
    Field(
        min_length=1,
        max_length=100,
        description="Event types to receive: a type (`expense.created`), every type of a "
        "resource (`chore.*`), or `*` for all.",
    ),
]
Description = Annotated[str, Field(max_length=500)]


class WebhookCreate(RequestModel):
    url: Url
    events: Events
    description: Description | None = None
    enabled: StrictBool = True


class WebhookUpdate(PatchModel):
    nullable = frozenset({"description"})

    url: Url | None = None
    events: Events | None = None
    description: Description | None = None
    enabled: StrictBool | None = None


class Webhook(BaseModel):
    id: str
    url: str
    events: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None = Field(
        description="Why it is off: turned off by an admin, or its receiver answered 410."
    )
    previous_secret_expires_at: datetime | None = Field(
        description="Until then the secret before the last rotation also signs deliveries."
    )
    created_at: datetime
    updated_at: datetime | None


class WebhookWithSecret(Webhook):
    secret: str = Field(
        description="`whsec_` and base64: the signing secret. Shown only when the webhook is "
        "created and when the secret is rotated."
    )


class Attempt(BaseModel):
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's status; null if none came.")
    duration_ms: int
    response_excerpt: str | None = Field(description="The start of the response body.")
    error: str | None = Field(
        description="What went wrong before or instead of a 2xx: timeout, connection error, "
        "refused address, redirect not followed."
    )
    next_attempt_at: datetime | None = Field(
        description="When this attempt scheduled the next one; null if none."
    )


class Delivery(BaseModel):
    id: str = Field(description="Also the `webhook-id` header of every attempt.")
    event_id: str
    event_type: str
    status: DeliveryStatus = Field(
        description="`pending` (waiting for its next attempt), `succeeded`, or `failed` "
        "(retries exhausted, or the receiver answered 410)."
    )
    attempt_count: int = Field(description="Attempts since it was queued or redelivered.")
    next_attempt_at: datetime | None
    last_status_code: int | None
    created_at: datetime
    finished_at: datetime | None
    payload: dict[str, Any] | None = Field(
        description="The body that is sent: `{type, timestamp, data}`."
    )
    attempts: list[Attempt] = Field(description="The newest attempts first (up to 20).")
