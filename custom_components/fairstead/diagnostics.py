"""Diagnostics for a bug report: the entry (token redacted), what was polled, and how often
the server answered 304."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant

from . import FairsteadConfigEntry

REDACT = {CONF_TOKEN}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: FairsteadConfigEntry
) -> dict[str, Any]:
    coordinator = entry.runtime_data
    data = coordinator.data
    revalidation = coordinator.api.revalidation
    return {
        "entry": async_redact_data(entry.as_dict(), REDACT),
        "household": {k: data.household.get(k) for k in ("id", "currency", "timezone")},
        "counts": {
            "members": len(data.members),
            "chores": len(data.chores),
            "open_occurrences": len(data.occurrences),
            "open_decisions": len(data.decisions),
            "goals": len(data.goals),
            "open_proposals": len(data.proposals),
        },
        "summary": data.summary,
        "revalidation": {
            "requests": revalidation.requests,
            "not_modified": revalidation.not_modified,
            "urls_kept": len(revalidation.kept),
        },
    }
