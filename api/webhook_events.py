"""The OpenAPI document's `webhooks` section: one typed payload per event type.

Built from `domain.activity.events`, so the declarations are the one place an event type and its
fields are described. Payload data models allow extra fields: a feature may add some.
"""

import keyword
from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, create_model

from domain.activity.events import CATALOG, COMMON_FIELDS, EventType

RECEIVER_RESPONSES = {
    "2XX": {"description": "Any 2xx acknowledges the delivery."},
    "410": {"description": "Gone: the webhook is turned off and nothing more is sent."},
    "default": {
        "description": "Anything else (or no answer within the timeout) is retried: after "
        "5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then the delivery is marked failed."
    },
}
_TYPES: dict[str, Any] = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "date": date,
    "datetime": datetime,
    "string[]": list[str],
    "object": dict[str, Any],
}


class EventData(BaseModel):
    model_config = ConfigDict(extra="allow")


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace(".", "_").split("_"))


def data_model(event_type: EventType) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for name, (kind, description) in {**COMMON_FIELDS, **event_type.fields}.items():
        python_type = _TYPES[kind.rstrip("?")]
        alias = name if keyword.iskeyword(name) else None
        if kind.endswith("?") and name in COMMON_FIELDS:
            # Always sent, possibly null.
            fields[name] = (python_type | None, Field(description=description))
        elif kind.endswith("?"):
            info = Field(default=None, description=description, alias=alias)
            fields[f"{name}_" if alias else name] = (python_type | None, info)
        else:
            info = Field(description=description, alias=alias)
            fields[f"{name}_" if alias else name] = (python_type, info)
    return create_model(f"{_camel(event_type.name)}Data", __base__=EventData, **fields)


def payload_model(event_type: EventType) -> type[BaseModel]:
    name: Any = Literal[event_type.name]
    return create_model(
        f"{_camel(event_type.name)}Event",
        __doc__=f"{event_type.summary} `subject_id` is {event_type.subject}.",
        type=(name, Field(description="The event type.")),
        timestamp=(datetime, Field(description="When the event happened (RFC 3339, UTC).")),
        data=(data_model(event_type), ...),
    )


def _receiver(model: type[BaseModel]) -> Any:
    def receive(body: model) -> None:  # type: ignore[valid-type]
        """Documentation only: Fairstead POSTs this to your URL."""

    return receive


def document_events(webhooks: APIRouter) -> None:
    for event_type in CATALOG.values():
        webhooks.add_api_route(
            event_type.name,
            _receiver(payload_model(event_type)),
            methods=["POST"],
            name=event_type.name.replace(".", "_"),
            operation_id=event_type.name.replace(".", "_"),
            summary=event_type.summary,
            description=(
                f"Sent as `{event_type.name}`; `subject_id` is {event_type.subject}. Signed "
                "per Standard Webhooks: verify `webhook-signature` over "
                "`webhook-id.webhook-timestamp.body` with the webhook's secret."
            ),
            tags=["webhook-events"],
        )
