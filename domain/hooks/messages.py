"""What a delivery carries: the `{type, timestamp, data}` body built from an event row.

`data` is the event's own data with the common fields of the catalog on top (`id`,
`household_id`, `subject_id`, `actor_member_id`, `on_behalf_of_member_id`). The body is
serialised once, compactly, and those exact bytes are signed and sent.
"""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from domain.activity.models import Event


def envelope(event: Event) -> dict[str, Any]:
    data = {
        **event.data,
        "id": event.id,
        "household_id": event.household_id,
        "subject_id": event.subject_id,
        "actor_member_id": event.actor_member_id,
        "on_behalf_of_member_id": event.on_behalf_of_member_id,
    }
    return {"type": event.type, "timestamp": rfc3339(event.created_at), "data": data}


def body(event: Event) -> str:
    return json.dumps(envelope(event), separators=(",", ":"), ensure_ascii=False, default=str)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def id_floor(moment: datetime) -> str:
    """The smallest UUIDv7 string of `moment`'s millisecond: every id made from then on sorts
    above it (as a string, the way every list compares ids)."""
    ms = int(moment.timestamp() * 1000)
    return str(uuid.UUID(int=(ms & ((1 << 48) - 1)) << 80))
