"""Services: fairstead.complete_chore, fairstead.add_expense and fairstead.check_in.

Members and chores are given by id or by name (as the sensors and lists show them). With more
than one Fairstead entry, `config_entry_id` says which household.
"""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv

from . import actions
from .const import DOMAIN
from .coordinator import FairsteadCoordinator

ENTRY = "config_entry_id"
_SCORE = vol.All(vol.Coerce(int), vol.Range(min=1, max=5))

COMPLETE_CHORE = vol.Schema(
    vol.All(
        {
            vol.Optional(ENTRY): cv.string,
            vol.Exclusive("chore", "what"): cv.string,
            vol.Exclusive("occurrence_id", "what"): cv.string,
            vol.Optional("done_by"): cv.string,
            vol.Optional("minutes"): vol.All(vol.Coerce(int), vol.Range(min=1, max=1440)),
        },
        cv.has_at_least_one_key("chore", "occurrence_id"),
    )
)
ADD_EXPENSE = vol.Schema(
    {
        vol.Optional(ENTRY): cv.string,
        vol.Required("description"): vol.All(cv.string, vol.Length(min=1, max=200)),
        vol.Required("amount"): vol.Any(cv.string, vol.Coerce(float)),
        vol.Required("paid_by"): cv.string,
        vol.Optional("date"): cv.date,
        vol.Optional("category"): cv.string,
        vol.Optional("split_between"): vol.All(cv.ensure_list, [cv.string]),
    }
)
CHECK_IN = vol.Schema(
    {
        vol.Optional(ENTRY): cv.string,
        vol.Required("member"): cv.string,
        vol.Required("fairness"): _SCORE,
        vol.Required("heard"): _SCORE,
        vol.Optional("note"): vol.All(cv.string, vol.Length(max=2000)),
    }
)


def _coordinator(hass: HomeAssistant, call: ServiceCall) -> FairsteadCoordinator:
    loaded = [
        e for e in hass.config_entries.async_entries(DOMAIN) if e.state is ConfigEntryState.LOADED
    ]
    wanted = call.data.get(ENTRY)
    if wanted is not None:
        loaded = [e for e in loaded if e.entry_id == wanted]
    if len(loaded) != 1:
        raise ServiceValidationError(
            "no loaded Fairstead entry with that id"
            if wanted
            else "name the household with config_entry_id (more than one, or none, is set up)"
        )
    coordinator: FairsteadCoordinator = loaded[0].runtime_data
    return coordinator


def _member(coordinator: FairsteadCoordinator, given: str) -> str:
    for member in coordinator.data.members:
        if given in (member["id"], member["display_name"]):
            return str(member["id"])
    raise ServiceValidationError(f"no member {given!r} in {coordinator.config_entry.title}")


def _chore(coordinator: FairsteadCoordinator, given: str) -> str:
    for chore in coordinator.data.chores.values():
        if given in (chore["id"], chore["name"]):
            return str(chore["id"])
    raise ServiceValidationError(f"no chore {given!r} in {coordinator.config_entry.title}")


def async_register_services(hass: HomeAssistant) -> None:
    async def complete_chore(call: ServiceCall) -> ServiceResponse:
        coordinator = _coordinator(hass, call)
        done_by = call.data.get("done_by")
        member = _member(coordinator, done_by) if done_by else None
        if "occurrence_id" in call.data:
            answer = await actions.complete_occurrence(
                coordinator, call.data["occurrence_id"], member
            )
        else:
            chore = _chore(coordinator, call.data["chore"])
            answer = await actions.complete_chore(
                coordinator, chore, member, call.data.get("minutes")
            )
        return _response(answer)

    async def add_expense(call: ServiceCall) -> ServiceResponse:
        coordinator = _coordinator(hass, call)
        fields = dict(call.data)
        fields["paid_by"] = _member(coordinator, call.data["paid_by"])
        fields["date"] = call.data.get("date", coordinator.data.today).isoformat()
        if "split_between" in call.data:
            fields["split_between"] = [_member(coordinator, m) for m in call.data["split_between"]]
        return _response(await actions.add_expense(coordinator, fields))

    async def check_in(call: ServiceCall) -> ServiceResponse:
        coordinator = _coordinator(hass, call)
        fields = {**call.data, "member_id": _member(coordinator, call.data["member"])}
        return _response(await actions.check_in(coordinator, fields))

    for name, handler, schema in (
        ("complete_chore", complete_chore, COMPLETE_CHORE),
        ("add_expense", add_expense, ADD_EXPENSE),
        ("check_in", check_in, CHECK_IN),
    ):
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=SupportsResponse.OPTIONAL
        )


def _response(answer: Any) -> ServiceResponse:
    """The record the API made (or completed), for scripts that use the service's response."""
    return answer if isinstance(answer, dict) else {"result": answer}
