"""The config flow against a live Fairstead: a good token makes an entry for its household,
a bad one shows why; options set the polling interval; a revoked token asks for a new one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from conftest import Live
from homeassistant import config_entries
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.fairstead.const import CONF_HOUSEHOLD_ID, CONF_MEMBER_ID, DOMAIN


async def _start(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return dict(result)


async def test_a_good_token_makes_an_entry_for_its_household(
    hass: HomeAssistant, live: Live
) -> None:
    flow = await _start(hass)
    assert "automation" in flow["description_placeholders"]["scopes"]
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"url": live.url + "/", "token": live.token}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Elm Street"
    assert result["data"] == {
        "url": live.url,
        "token": live.token,
        CONF_HOUSEHOLD_ID: live.household_id,
        CONF_MEMBER_ID: live.sam,
    }
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.state is config_entries.ConfigEntryState.LOADED


async def test_an_unrestricted_token_with_two_households_asks_which(
    hass: HomeAssistant, live: Live
) -> None:
    with live.client() as client:
        other = client.post(
            "/v1/households",
            json={"name": "Beach Hut", "currency": "EUR", "timezone": "Europe/Berlin"},
        )
    assert other.status_code == 201, other.text
    _, token = live.token_for("read", restricted=False)
    flow = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"url": live.url, "token": token}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "household"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOUSEHOLD_ID: other.json()["id"]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Beach Hut"


async def test_a_bad_token_shows_invalid_auth_and_the_form_again(
    hass: HomeAssistant, live: Live
) -> None:
    flow = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"url": live.url, "token": "fst_not-a-token"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    assert hass.config_entries.async_entries(DOMAIN) == []


async def test_an_automation_only_token_is_refused_as_missing_the_read_scope(
    hass: HomeAssistant, live: Live
) -> None:
    _, token = live.token_for("automation")
    flow = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"url": live.url, "token": token}
    )
    assert result["errors"] == {"base": "missing_scope"}


async def test_an_address_where_nothing_listens_cannot_connect(
    hass: HomeAssistant, live: Live
) -> None:
    from conftest import _free_port

    flow = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"url": f"http://127.0.0.1:{_free_port()}", "token": live.token}
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_the_same_household_and_account_twice_is_aborted(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    flow = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"url": live.url, "token": live.token}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_options_set_the_polling_interval(hass: HomeAssistant, entry: Any) -> None:
    assert entry.runtime_data.update_interval == timedelta(seconds=60)
    flow = await hass.config_entries.options.async_init(entry.entry_id)
    assert flow["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        flow["flow_id"], {"scan_interval": 120}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {"scan_interval": 120}
    assert entry.runtime_data.update_interval == timedelta(seconds=120)


async def test_options_refuse_an_interval_out_of_range(hass: HomeAssistant, entry: Any) -> None:
    import voluptuous as vol

    flow = await hass.config_entries.options.async_init(entry.entry_id)
    try:
        await hass.config_entries.options.async_configure(flow["flow_id"], {"scan_interval": 5})
    except vol.Invalid:
        pass
    else:
        raise AssertionError("5 s was accepted")
    assert entry.options == {}


async def test_a_revoked_token_asks_for_a_new_one_and_the_new_one_works(
    hass: HomeAssistant, live: Live
) -> None:
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    token_id, token = live.token_for("read")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Elm Street",
        unique_id=f"{live.household_id}_{live.sam}",
        data={"url": live.url, "token": token, CONF_HOUSEHOLD_ID: live.household_id,
              CONF_MEMBER_ID: live.sam},
    )  # fmt: skip
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    revoked = await hass.async_add_executor_job(_revoke, live, token_id)
    assert revoked.status_code == 204, revoked.text
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()

    flows = [f for f in hass.config_entries.flow.async_progress() if f["handler"] == DOMAIN]
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    assert flows[0]["step_id"] == "reauth_confirm"

    wrong = await hass.config_entries.flow.async_configure(flows[0]["flow_id"], {"token": token})
    assert wrong["errors"] == {"base": "invalid_auth"}

    _, fresh = live.token_for("read")
    result = await hass.config_entries.flow.async_configure(flows[0]["flow_id"], {"token": fresh})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data["token"] == fresh
    assert entry.state is config_entries.ConfigEntryState.LOADED
    assert entry.runtime_data.last_update_success


def _revoke(live: Live, token_id: str) -> httpx.Response:
    with live.client() as client:
        return client.delete(f"/v1/tokens/{token_id}")
