"""What the to-do lists and the services do through the API, with its refusals in words."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from homeassistant.exceptions import HomeAssistantError

from .api import FairsteadAuthError, FairsteadError, FairsteadResponseError
from .const import exponent
from .coordinator import FairsteadCoordinator


async def _post(coordinator: FairsteadCoordinator, tail: str, body: dict[str, Any]) -> Any:
    try:
        answer = await coordinator.api.post(coordinator.path(tail), body)
    except FairsteadAuthError as err:
        coordinator.config_entry.async_start_reauth(coordinator.hass)
        raise HomeAssistantError(f"{err}; Home Assistant asks for a new token") from err
    except FairsteadResponseError as err:
        raise HomeAssistantError(f"Fairstead refused it ({err.status}): {err.detail}") from err
    except FairsteadError as err:
        raise HomeAssistantError(str(err)) from err
    await coordinator.async_request_refresh()
    return answer


async def complete_occurrence(
    coordinator: FairsteadCoordinator, occurrence_id: str, done_by: str | None
) -> Any:
    body = {"member_id": done_by} if done_by else {}
    return await _post(coordinator, f"/chore-occurrences/{occurrence_id}/complete", body)


async def complete_chore(
    coordinator: FairsteadCoordinator, chore_id: str, done_by: str | None, minutes: int | None
) -> Any:
    body: dict[str, Any] = {"member_id": done_by} if done_by else {}
    if minutes is not None:
        body["minutes"] = minutes
    return await _post(coordinator, f"/chores/{chore_id}/complete", body)


def minor_units(amount: str | float | int | Decimal, currency: str) -> int:
    """`12.5` EUR is 1250: no float arithmetic, and no more decimals than the currency has."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation as err:
        raise HomeAssistantError(f"{amount!r} is not an amount") from err
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise HomeAssistantError(f"{currency} has {exponent(currency)} decimals: {amount}")
    return int(scaled)


async def add_expense(coordinator: FairsteadCoordinator, fields: dict[str, Any]) -> Any:
    currency = coordinator.data.currency
    body: dict[str, Any] = {
        "description": fields["description"],
        "amount": minor_units(fields["amount"], currency),
        "currency": currency,
        "paid_by": fields["paid_by"],
        "date": fields["date"],
    }
    if fields.get("category"):
        body["category"] = fields["category"]
    if fields.get("split_between"):
        participants = [{"member_id": m} for m in fields["split_between"]]
        body["split"] = {"method": "equal", "participants": participants}
    return await _post(coordinator, "/expenses", body)


async def check_in(coordinator: FairsteadCoordinator, fields: dict[str, Any]) -> Any:
    body = {k: fields[k] for k in ("member_id", "fairness", "heard") if k in fields}
    if fields.get("note"):
        body["note"] = fields["note"]
    return await _post(coordinator, "/check-ins", body)
