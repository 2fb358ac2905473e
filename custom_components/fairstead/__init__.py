"""Fairstead for Home Assistant: a household's fairness scores, balances and shares as
sensors, its chores as to-do lists (checking one off completes it as that member), a
calendar, and services to complete chores, add expenses and check in."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .api import FairsteadApi
from .const import DOMAIN, PLATFORMS
from .coordinator import FairsteadCoordinator
from .services import async_register_services

FairsteadConfigEntry = ConfigEntry[FairsteadCoordinator]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    async_register_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: FairsteadConfigEntry) -> bool:
    api = FairsteadApi(async_get_clientsession(hass), entry.data[CONF_URL], entry.data[CONF_TOKEN])
    coordinator = FairsteadCoordinator(hass, entry, api)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    entry.async_on_unload(entry.add_update_listener(_reload))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: FairsteadConfigEntry) -> bool:
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _reload(hass: HomeAssistant, entry: FairsteadConfigEntry) -> None:
    """The options (the polling interval) changed: set up again with them."""
    await hass.config_entries.async_reload(entry.entry_id)
