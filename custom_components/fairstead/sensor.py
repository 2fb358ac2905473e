"""Sensors: the household's scores, open proposals, largest balance and nearest goal; per
member, their share of the money and of the time this period, and their balance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from . import FairsteadConfigEntry
from .const import exponent
from .coordinator import FairsteadCoordinator, FairsteadData
from .entity import FairsteadEntity

Value = float | int | str | date | Decimal | None


@dataclass(frozen=True, kw_only=True)
class HouseholdSensor(SensorEntityDescription):
    value: Callable[[FairsteadData], Value]
    monetary: bool = False


@dataclass(frozen=True, kw_only=True)
class MemberSensor(SensorEntityDescription):
    value: Callable[[FairsteadData, str], Value]
    attributes: Callable[[FairsteadData, str], dict[str, Any]] = lambda data, member: {}
    monetary: bool = False


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


def _goal_due(data: FairsteadData) -> date | None:
    due = data.summary.get("goal_due_on")
    return date.fromisoformat(due) if due else None


_SCORE = {"native_unit_of_measurement": PERCENTAGE, "state_class": SensorStateClass.MEASUREMENT}

HOUSEHOLD_SENSORS = (
    HouseholdSensor(key="overall_score", value=lambda d: d.summary["overall_score"], **_SCORE),
    HouseholdSensor(key="money_score", value=lambda d: d.summary["money_score"], **_SCORE),
    HouseholdSensor(key="time_score", value=lambda d: d.summary["time_score"], **_SCORE),
    HouseholdSensor(
        key="open_proposals",
        value=lambda d: d.summary["open_proposals"],
        state_class=SensorStateClass.MEASUREMENT,
    ),
    HouseholdSensor(key="headline", value=lambda d: d.summary["headline"][:255]),
    HouseholdSensor(
        key="largest_balance",
        value=lambda d: Decimal(str(d.summary["largest_balance"])),
        device_class=SensorDeviceClass.MONETARY,
        monetary=True,
    ),
    HouseholdSensor(key="goal_name", value=lambda d: d.summary.get("goal_name")),
    HouseholdSensor(key="goal_progress", value=lambda d: d.summary.get("goal_progress"), **_SCORE),
    HouseholdSensor(
        key="goal_remaining",
        value=lambda d: d.summary.get("goal_remaining"),
        device_class=SensorDeviceClass.MONETARY,
        monetary=True,
    ),
    HouseholdSensor(key="goal_due_on", value=_goal_due, device_class=SensorDeviceClass.DATE),
)


def _share_attributes(dimension: str) -> Callable[[FairsteadData, str], dict[str, Any]]:
    def attributes(data: FairsteadData, member_id: str) -> dict[str, Any]:
        row = data.shares(dimension).get(member_id)
        if row is None:
            return {}
        return {
            "target_share": _percent(row["target_share"]),
            "deviation": _percent(row["deviation"]),
            "period_from": data.report.get("from"),
            "period_to": data.report.get("to"),
        }

    return attributes


def _balance(data: FairsteadData, member_id: str) -> Decimal | None:
    net = data.balances.get(member_id)
    if net is None:
        return None
    return Decimal(net).scaleb(-exponent(data.currency))


MEMBER_SENSORS = (
    MemberSensor(
        key="money_share",
        value=lambda d, m: _percent(d.shares("money").get(m, {}).get("actual_share")),
        attributes=_share_attributes("money"),
        **_SCORE,
    ),
    MemberSensor(
        key="time_share",
        value=lambda d, m: _percent(d.shares("time").get(m, {}).get("actual_share")),
        attributes=_share_attributes("time"),
        **_SCORE,
    ),
    MemberSensor(
        key="balance", value=_balance, device_class=SensorDeviceClass.MONETARY, monetary=True
    ),
)


async def async_setup_entry(
    hass: HomeAssistant, entry: FairsteadConfigEntry, add: AddEntitiesCallback
) -> None:
    coordinator = entry.runtime_data
    entities: list[SensorEntity] = [
        FairsteadHouseholdSensor(coordinator, d) for d in HOUSEHOLD_SENSORS
    ]
    for member in coordinator.data.members:
        if member["active"]:
            entities += [
                FairsteadMemberSensor(coordinator, d, member["id"]) for d in MEMBER_SENSORS
            ]
    add(entities)


class FairsteadHouseholdSensor(FairsteadEntity, SensorEntity):
    entity_description: HouseholdSensor

    def __init__(self, coordinator: FairsteadCoordinator, description: HouseholdSensor) -> None:
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> Value:
        return self.entity_description.value(self.coordinator.data)

    @property
    def native_unit_of_measurement(self) -> str | None:
        if self.entity_description.monetary:
            return self.coordinator.data.currency
        return self.entity_description.native_unit_of_measurement

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        if self.entity_description.key != "goal_name":
            return None
        summary = self.coordinator.data.summary
        return {
            key: summary.get(f"goal_{key}")
            for key in ("progress", "saved", "remaining", "monthly_needed", "due_on", "on_track")
        }


class FairsteadMemberSensor(FairsteadEntity, SensorEntity):
    entity_description: MemberSensor

    def __init__(
        self, coordinator: FairsteadCoordinator, description: MemberSensor, member_id: str
    ) -> None:
        super().__init__(coordinator, description.key, member_id)
        self.entity_description = description
        self._member = member_id

    @property
    def native_value(self) -> Value:
        return self.entity_description.value(self.coordinator.data, self._member)

    @property
    def native_unit_of_measurement(self) -> str | None:
        if self.entity_description.monetary:
            return self.coordinator.data.currency
        return self.entity_description.native_unit_of_measurement

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        return self.entity_description.attributes(self.coordinator.data, self._member)
