"""A calendar of the household: chore occurrences (all-day, with who does them), decision
deadlines (the moment a vote closes) and goal target dates (all-day)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.util import dt as dt_util

from . import FairsteadConfigEntry
from .api import FairsteadError
from .coordinator import FairsteadCoordinator, FairsteadData
from .entity import FairsteadEntity

# A vote's deadline is a moment; Home Assistant's events need a length, so it gets this.
DEADLINE = timedelta(minutes=15)


async def async_setup_entry(
    hass: HomeAssistant, entry: FairsteadConfigEntry, add: AddEntitiesCallback
) -> None:
    add([HouseholdCalendar(entry.runtime_data)])


def _chore(data: FairsteadData, occurrence: dict[str, Any]) -> CalendarEvent:
    day = date.fromisoformat(occurrence["due_on"])
    who = occurrence["completed_by_member_id"] or occurrence["assigned_member_id"]
    summary = f"{data.chore_name(occurrence['chore_id'])} ({data.member_name(who) or 'unassigned'})"
    return CalendarEvent(
        start=day,
        end=day + timedelta(days=1),
        summary=summary,
        description=f"Chore, {occurrence['status']}.",
        uid=occurrence["id"],
    )


def _deadline(decision: dict[str, Any]) -> CalendarEvent:
    closes = dt_util.parse_datetime(decision["closes_at"])
    assert closes is not None
    return CalendarEvent(
        start=closes,
        end=closes + DEADLINE,
        summary=f"Vote closes: {decision['title']}",
        description=decision.get("description") or None,
        uid=f"decision-{decision['id']}",
    )


def _goal(goal: dict[str, Any]) -> CalendarEvent:
    day = date.fromisoformat(goal["due_on"])
    return CalendarEvent(
        start=day,
        end=day + timedelta(days=1),
        summary=f"Goal due: {goal['name']}",
        description=goal.get("description") or None,
        uid=f"goal-{goal['id']}",
    )


def _sort_key(event: CalendarEvent) -> datetime:
    return event.start_datetime_local


class HouseholdCalendar(FairsteadEntity, CalendarEntity):
    def __init__(self, coordinator: FairsteadCoordinator) -> None:
        super().__init__(coordinator, "calendar")

    @property
    def event(self) -> CalendarEvent | None:
        """The next chore still to do (overdue ones first), from the polled data."""
        data = self.coordinator.data
        upcoming = sorted(data.occurrences, key=lambda o: (o["due_on"], o["id"]))
        return _chore(data, upcoming[0]) if upcoming else None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        coordinator = self.coordinator
        data = coordinator.data
        api = coordinator.api
        window = {"from": start_date.date().isoformat(), "to": end_date.date().isoformat()}
        try:
            occurrences = await api.get_all(
                coordinator.path("/chore-occurrences"), window, keep=False
            )
            decisions = await api.get_all(coordinator.path("/decisions"), keep=False)
            goals = await api.get_all(coordinator.path("/goals"), {"archived": "false"}, keep=False)
        except FairsteadError as err:
            raise HomeAssistantError(f"Fairstead's calendar could not be read: {err}") from err
        events = [_chore(data, o) for o in occurrences if o["status"] != "skipped"]
        events += [_deadline(d) for d in decisions if d.get("closes_at")]
        events += [_goal(g) for g in goals if g.get("due_on")]
        return sorted(
            (
                e
                for e in events
                if e.end_datetime_local > start_date and e.start_datetime_local < end_date
            ),
            key=_sort_key,
        )
