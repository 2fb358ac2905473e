"""A binary sensor that is on while an open proposal waits for someone's answer."""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from . import FairsteadConfigEntry
from .coordinator import FairsteadCoordinator, FairsteadData
from .entity import FairsteadEntity


def awaiting(data: FairsteadData) -> list[dict[str, Any]]:
    """Each open proposal with the affected members who have not answered it yet."""
    waiting = []
    for proposal in data.proposals:
        answered = {r["member_id"] for r in proposal.get("responses", [])}
        missing = [m for m in proposal["affected_member_ids"] if m not in answered]
        if missing:
            waiting.append(
                {
                    "id": proposal["id"],
                    "kind": proposal["kind"],
                    "rationale": proposal["rationale"],
                    "awaiting": [data.member_name(m) or m for m in missing],
                }
            )
    return waiting


async def async_setup_entry(
    hass: HomeAssistant, entry: FairsteadConfigEntry, add: AddEntitiesCallback
) -> None:
    add([ProposalAwaitingResponse(entry.runtime_data)])


class ProposalAwaitingResponse(FairsteadEntity, BinarySensorEntity):
    def __init__(self, coordinator: FairsteadCoordinator) -> None:
        super().__init__(coordinator, "proposal_awaiting_response")

    @property
    def is_on(self) -> bool:
        return bool(awaiting(self.coordinator.data))

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        return {"proposals": awaiting(self.coordinator.data)}
