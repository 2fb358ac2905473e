"""One coordinator per household: polls what the entities show, each read revalidated with
its ETag, so an unchanged household costs a round of 304s."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import FairsteadApi, FairsteadAuthError, FairsteadError
from .const import (
    AHEAD_DAYS,
    CONF_HOUSEHOLD_ID,
    CONF_MEMBER_ID,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    OVERDUE_DAYS,
)

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class FairsteadData:
    household: dict[str, Any]
    members: list[dict[str, Any]]
    chores: dict[str, dict[str, Any]]
    occurrences: list[dict[str, Any]]
    summary: dict[str, Any]
    balances: dict[str, int]
    report: dict[str, Any]
    decisions: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    proposals: list[dict[str, Any]]
    today: date

    @property
    def currency(self) -> str:
        return str(self.household["currency"])

    def member_name(self, member_id: str | None) -> str | None:
        for member in self.members:
            if member["id"] == member_id:
                return str(member["display_name"])
        return None

    def chore_name(self, chore_id: str) -> str:
        chore = self.chores.get(chore_id)
        return str(chore["name"]) if chore else "Chore"

    def shares(self, dimension: str) -> dict[str, dict[str, Any]]:
        rows = self.report.get("dimensions", {}).get(dimension, {}).get("members", [])
        return {row["member_id"]: row for row in rows}


class FairsteadCoordinator(DataUpdateCoordinator[FairsteadData]):
    config_entry: ConfigEntry

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, api: FairsteadApi) -> None:
        seconds = entry.options.get("scan_interval", DEFAULT_SCAN_INTERVAL)
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=timedelta(seconds=seconds),
        )
        self.api = api
        self.household_id: str = entry.data[CONF_HOUSEHOLD_ID]
        self.member_id: str = entry.data[CONF_MEMBER_ID]

    def path(self, tail: str = "") -> str:
        return f"/v1/households/{self.household_id}{tail}"

    async def _async_update_data(self) -> FairsteadData:
        try:
            return await self._fetch()
        except FairsteadAuthError as err:
            raise ConfigEntryAuthFailed(str(err)) from err
        except FairsteadError as err:
            raise UpdateFailed(str(err)) from err

    async def _fetch(self) -> FairsteadData:
        api = self.api
        household = await api.get(self.path(), keep=False)  # its ETag is for If-Match
        today = dt_util.now(dt_util.get_time_zone(household["timezone"])).date()
        window = {
            "status": "open",
            "from": (today - OVERDUE_DAYS).isoformat(),
            "to": (today + AHEAD_DAYS).isoformat(),
        }
        balances = await api.get(self.path("/balances"))
        return FairsteadData(
            household=household,
            members=await api.get_all(self.path("/members")),
            chores={c["id"]: c for c in await api.get_all(self.path("/chores"))},
            occurrences=await api.get_all(self.path("/chore-occurrences"), window),
            summary=await api.get(self.path("/fairness/summary")),
            balances={row["member_id"]: row["net"] for row in balances["data"]},
            report=await api.get(self.path("/fairness/report")),
            decisions=await api.get_all(self.path("/decisions"), {"status": "open"}),
            goals=await api.get_all(self.path("/goals"), {"archived": "false"}),
            proposals=await api.get_all(self.path("/fairness/proposals"), {"status": "open"}),
            today=today,
        )
