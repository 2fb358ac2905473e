"""Setting Fairstead up: the server's URL and a token, checked against the API at once.

The token needs `read` (sensors, to-do lists, calendar); checking chores off needs
`automation` or `write`, and the add_expense and check_in services need `write`. When the
API refuses the token later (401), Home Assistant asks for a new one (re-auth).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .api import FairsteadApi, FairsteadAuthError, FairsteadConnectionError, FairsteadResponseError
from .const import (
    CONF_HOUSEHOLD_ID,
    CONF_MEMBER_ID,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
    SCOPES_HELP,
)

_TOKEN = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL): TextSelector(TextSelectorConfig(type=TextSelectorType.URL)),
        vol.Required(CONF_TOKEN): _TOKEN,
    }
)


class FairsteadConfigFlow(ConfigFlow, domain=DOMAIN):
    VERSION = 1

    def __init__(self) -> None:
        self._url = ""
        self._token = ""
        self._households: list[dict[str, Any]] = []

    async def _me(self, url: str, token: str) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """GET /v1/me: who the token is, and their households; or the form's error."""
        api = FairsteadApi(async_get_clientsession(self.hass), url, token)
        try:
            me: dict[str, Any] = await api.get("/v1/me", keep=False)
        except FairsteadAuthError:
            return None, {"base": "invalid_auth"}
        except FairsteadConnectionError:
            return None, {"base": "cannot_connect"}
        except FairsteadResponseError as err:
            return None, {"base": "missing_scope" if err.status == 403 else "cannot_connect"}
        if not me.get("households"):
            return None, {"base": "no_household"}
        return me, {}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            self._url = user_input[CONF_URL].strip().rstrip("/")
            self._token = user_input[CONF_TOKEN].strip()
            me, errors = await self._me(self._url, self._token)
            if me is not None:
                self._households = me["households"]
                if len(self._households) == 1:
                    return await self._create(self._households[0])
                return await self.async_step_household()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
            description_placeholders={"scopes": SCOPES_HELP},
        )

    async def async_step_household(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The token reaches several households: one entry per household."""
        if user_input is not None:
            chosen = next(h for h in self._households if h["id"] == user_input[CONF_HOUSEHOLD_ID])
            return await self._create(chosen)
        options = [SelectOptionDict(value=h["id"], label=h["name"]) for h in self._households]
        return self.async_show_form(
            step_id="household",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_HOUSEHOLD_ID): SelectSelector(
                        SelectSelectorConfig(options=options)
                    )
                }
            ),
        )

    async def _create(self, household: Mapping[str, Any]) -> ConfigFlowResult:
        await self.async_set_unique_id(f"{household['id']}_{household['member_id']}")
        self._abort_if_unique_id_configured()
        return self.async_create_entry(
            title=household["name"],
            data={
                CONF_URL: self._url,
                CONF_TOKEN: self._token,
                CONF_HOUSEHOLD_ID: household["id"],
                CONF_MEMBER_ID: household["member_id"],
            },
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            token = user_input[CONF_TOKEN].strip()
            me, errors = await self._me(entry.data[CONF_URL], token)
            if me is not None:
                if any(h["id"] == entry.data[CONF_HOUSEHOLD_ID] for h in me["households"]):
                    return self.async_update_reload_and_abort(
                        entry, data_updates={CONF_TOKEN: token}
                    )
                errors = {"base": "wrong_household"}
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_TOKEN): _TOKEN}),
            errors=errors,
            description_placeholders={"household": entry.title, "scopes": SCOPES_HELP},
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> FairsteadOptionsFlow:
        return FairsteadOptionsFlow()


class FairsteadOptionsFlow(OptionsFlow):
    """How often to poll (seconds)."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        current = self.config_entry.options.get("scan_interval", DEFAULT_SCAN_INTERVAL)
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema(
                {
                    vol.Required("scan_interval", default=current): vol.All(
                        vol.Coerce(int), vol.Range(min=MIN_SCAN_INTERVAL, max=MAX_SCAN_INTERVAL)
                    )
                }
            ),
        )
