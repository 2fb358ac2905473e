"""To-do lists of chores: one per member (their open and overdue occurrences) and one for the
household (every open occurrence). Checking an item off completes the occurrence as the
member it is assigned to, through the API's complete_chore_occurrence."""

from __future__ import annotations

from datetime import date

from homeassistant.components.todo import (
    TodoItem,
    TodoItemStatus,
    TodoListEntity,
    TodoListEntityFeature,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from . import FairsteadConfigEntry
from .actions import complete_occurrence
from .coordinator import FairsteadCoordinator
from .entity import FairsteadEntity


async def async_setup_entry(
    hass: HomeAssistant, entry: FairsteadConfigEntry, add: AddEntitiesCallback
) -> None:
    coordinator = entry.runtime_data
    lists = [ChoreList(coordinator, None)]
    lists += [ChoreList(coordinator, m["id"]) for m in coordinator.data.members if m["active"]]
    add(lists)


class ChoreList(FairsteadEntity, TodoListEntity):
    _attr_supported_features = TodoListEntityFeature.UPDATE_TODO_ITEM

    def __init__(self, coordinator: FairsteadCoordinator, member_id: str | None) -> None:
        super().__init__(coordinator, "chores" if member_id is None else "member_chores", member_id)

    @property
    def todo_items(self) -> list[TodoItem]:
        data = self.coordinator.data
        items = []
        for occurrence in sorted(data.occurrences, key=lambda o: (o["due_on"], o["id"])):
            assignee = occurrence["assigned_member_id"]
            if self.member_id is not None and assignee != self.member_id:
                continue
            due = date.fromisoformat(occurrence["due_on"])
            summary = data.chore_name(occurrence["chore_id"])
            if self.member_id is None:
                summary += f" ({data.member_name(assignee) or 'unassigned'})"
            chore = data.chores.get(occurrence["chore_id"], {})
            about = [f"About {chore['estimated_minutes']} min."] if chore else []
            if due < data.today:
                about.insert(0, f"Overdue since {due.isoformat()}.")
            items.append(
                TodoItem(
                    uid=occurrence["id"],
                    summary=summary,
                    status=TodoItemStatus.NEEDS_ACTION,
                    due=due,
                    description=" ".join(about) or None,
                )
            )
        return items

    async def async_update_todo_item(self, item: TodoItem) -> None:
        occurrence = next(
            (o for o in self.coordinator.data.occurrences if o["id"] == item.uid), None
        )
        if occurrence is None:
            raise HomeAssistantError(f"Fairstead has no open chore {item.uid} in this list")
        if item.status != TodoItemStatus.COMPLETED:
            raise HomeAssistantError("Fairstead chores can only be checked off here")
        done_by = self.member_id or occurrence["assigned_member_id"]
        await complete_occurrence(self.coordinator, occurrence["id"], done_by)
