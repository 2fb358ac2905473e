"""fairstead.complete_chore, add_expense and check_in go through to the live API (checked
there), refusals come back as errors in words, and diagnostics never show the token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import Live
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from custom_components.fairstead.const import DOMAIN
from custom_components.fairstead.diagnostics import async_get_config_entry_diagnostics


async def _call(hass: HomeAssistant, service: str, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


async def test_complete_chore_by_name_records_who_did_it(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    answer = await _call(hass, "complete_chore", chore="Hoover", done_by="Sam", minutes=25)
    assert answer["status"] == "done"
    done = await hass.async_add_executor_job(live.get, f"/chore-occurrences/{answer['id']}")
    assert done["chore_id"] == live.chores["Hoover"]
    assert done["completed_by_member_id"] == live.sam
    assert done["minutes"] == 25


async def test_complete_chore_by_occurrence_as_a_managed_member(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    open_ = await hass.async_add_executor_job(
        lambda: live.get("/chore-occurrences", status="open", member_id=live.robin)["data"]
    )
    dishes = next(o for o in open_ if o["chore_id"] == live.chores["Dishes"])
    answer = await _call(hass, "complete_chore", occurrence_id=dishes["id"], done_by=live.robin)
    assert answer["id"] == dishes["id"]
    done = await hass.async_add_executor_job(live.get, f"/chore-occurrences/{dishes['id']}")
    assert (done["status"], done["completed_by_member_id"]) == ("done", live.robin)


async def test_complete_chore_names_an_unknown_chore_or_member(
    hass: HomeAssistant, entry: Any
) -> None:
    with pytest.raises(ServiceValidationError, match="no chore 'Mopping'"):
        await _call(hass, "complete_chore", chore="Mopping")
    with pytest.raises(ServiceValidationError, match="no member 'Kim'"):
        await _call(hass, "complete_chore", chore="Hoover", done_by="Kim")


async def test_add_expense_in_major_units_becomes_minor_units(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    answer = await _call(
        hass, "add_expense", description="Pizza", amount="23.45", paid_by="Alex",
        split_between=["Sam", "Alex"],
    )  # fmt: skip
    expense = await hass.async_add_executor_job(live.get, f"/expenses/{answer['id']}")
    assert (expense["amount"], expense["currency"], expense["paid_by"]) == (2345, "EUR", live.alex)
    assert sorted(s["amount"] for s in expense["shares"]) == [1172, 1173]
    assert expense["date"] == live.today.isoformat()


async def test_add_expense_refuses_more_decimals_than_the_currency_has(
    hass: HomeAssistant, entry: Any
) -> None:
    with pytest.raises(HomeAssistantError, match="EUR has 2 decimals"):
        await _call(hass, "add_expense", description="Gum", amount="0.005", paid_by="Sam")


async def test_check_in_records_the_members_answer(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    answer = await _call(hass, "check_in", member="Sam", fairness=4, heard=5, note="Better")
    check_ins = await hass.async_add_executor_job(lambda: live.get("/check-ins")["data"])
    mine = next(c for c in check_ins if c["id"] == answer["id"])
    assert (mine["member_id"], mine["fairness"], mine["heard"]) == (live.sam, 4, 5)


async def test_a_read_only_token_is_told_it_lacks_the_write_scope(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    _, token = live.token_for("read")
    hass.config_entries.async_update_entry(entry, data={**entry.data, "token": token})
    await hass.async_block_till_done()  # the update listener sets the entry up again
    with pytest.raises(HomeAssistantError, match="lacks the 'write'"):
        await _call(hass, "check_in", member="Sam", fairness=3, heard=3)


async def test_diagnostics_redact_the_token(hass: HomeAssistant, live: Live, entry: Any) -> None:
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    text = json.dumps(diagnostics, default=str)
    assert live.token not in text
    assert diagnostics["entry"]["data"]["token"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["url"] == live.url
    assert diagnostics["counts"]["members"] == 3
    assert diagnostics["revalidation"]["requests"] > 0
