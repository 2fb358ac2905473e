"""The base of every Fairstead entity: one device per household, one per member."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import FairsteadCoordinator


class FairsteadEntity(CoordinatorEntity[FairsteadCoordinator]):
    _attr_has_entity_name = True

    def __init__(
        self, coordinator: FairsteadCoordinator, key: str, member_id: str | None = None
    ) -> None:
        super().__init__(coordinator)
        self.member_id = member_id
        household_id = coordinator.household_id
        owner = member_id or household_id
        # Two accounts may each set up the same household: their entities stay apart (the
        # devices are shared).
        self._attr_unique_id = f"{coordinator.member_id}_{owner}_{key}"
        self._attr_translation_key = key
        data = coordinator.data
        if member_id is None:
            self._attr_device_info = DeviceInfo(
                identifiers={(DOMAIN, household_id)},
                name=f"Fairstead {data.household['name']}",
                manufacturer="Fairstead",
                entry_type=DeviceEntryType.SERVICE,
                configuration_url=coordinator.api.base + "/docs",
            )
        else:
            self._attr_device_info = DeviceInfo(
                identifiers={(DOMAIN, member_id)},
                name=data.member_name(member_id),
                manufacturer="Fairstead",
                model="Household member",
                entry_type=DeviceEntryType.SERVICE,
                via_device=(DOMAIN, household_id),
            )
