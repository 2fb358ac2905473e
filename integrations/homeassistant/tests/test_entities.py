"""What the integration shows, checked against the live API: sensors, the binary sensor, the
to-do lists (checking one off completes the occurrence as that member) and the calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from conftest import ZONE, Live
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.fairstead.const import DOMAIN


def _entity(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The entity of the entry on Sam's token: `<Sam's member id>_<owner id>_<key>`."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    owner = f"{entry.data['member_id']}_{unique_id}"
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, owner)
    assert entity_id is not None, owner
    return entity_id


def _state(hass: HomeAssistant, platform: str, unique_id: str) -> Any:
    state = hass.states.get(_entity(hass, platform, unique_id))
    assert state is not None
    return state


async def test_household_sensors_show_the_summary(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    summary = await hass.async_add_executor_job(live.get, "/fairness/summary")
    hh = live.household_id
    for key in ("overall_score", "money_score", "time_score", "open_proposals"):
        state = _state(hass, "sensor", f"{hh}_{key}")
        if summary[key] is None:  # no chore time recorded yet
            assert state.state == "unknown", key
        else:
            assert float(state.state) == pytest.approx(summary[key]), key
    assert summary["money_score"] is not None
    overall = _state(hass, "sensor", f"{hh}_overall_score")
    assert overall.attributes["unit_of_measurement"] == "%"
    balance = _state(hass, "sensor", f"{hh}_largest_balance")
    assert Decimal(balance.state) == Decimal(str(summary["largest_balance"]))
    assert balance.attributes["unit_of_measurement"] == "EUR"
    assert balance.attributes["device_class"] == "monetary"
    goal = _state(hass, "sensor", f"{hh}_goal_name")
    assert goal.state == "Flat deposit" == summary["goal_name"]
    assert goal.attributes["due_on"] == summary["goal_due_on"]
    due = _state(hass, "sensor", f"{hh}_goal_due_on")
    assert due.state == (live.today + timedelta(days=30)).isoformat()


async def test_member_sensors_show_shares_and_balances(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    report = await hass.async_add_executor_job(live.get, "/fairness/report")
    balances = await hass.async_add_executor_job(live.get, "/balances")
    for member in (live.sam, live.alex, live.robin):
        money = {m["member_id"]: m for m in report["dimensions"]["money"]["members"]}[member]
        state = _state(hass, "sensor", f"{member}_money_share")
        assert float(state.state) == pytest.approx(money["actual_share"] * 100)
        assert state.attributes["target_share"] == pytest.approx(money["target_share"] * 100)
        net = {b["member_id"]: b["net"] for b in balances["data"]}[member]
        balance = _state(hass, "sensor", f"{member}_balance")
        assert Decimal(balance.state) == Decimal(net) / 100
        assert balance.attributes["unit_of_measurement"] == "EUR"
        time_share = _state(hass, "sensor", f"{member}_time_share")
        assert time_share.attributes["unit_of_measurement"] == "%"
    # Sam paid 90.00 for three: others owe Sam 60.00
    assert Decimal(_state(hass, "sensor", f"{live.sam}_balance").state) >= Decimal("60")


async def test_the_binary_sensor_is_on_while_a_proposal_awaits_an_answer(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    proposals = await hass.async_add_executor_job(
        lambda: live.get("/fairness/proposals", status="open")["data"]
    )
    waiting = [
        p for p in proposals
        if set(p["affected_member_ids"]) - {r["member_id"] for r in p["responses"]}
    ]  # fmt: skip
    assert waiting, "the seeded month should make at least one proposal"
    state = _state(hass, "binary_sensor", f"{live.household_id}_proposal_awaiting_response")
    assert state.state == "on"
    assert {p["id"] for p in state.attributes["proposals"]} == {p["id"] for p in waiting}


async def _items(hass: HomeAssistant, entity_id: str) -> list[dict[str, Any]]:
    answer = await hass.services.async_call(
        "todo", "get_items", {"entity_id": entity_id}, blocking=True, return_response=True
    )
    assert answer is not None
    items: list[dict[str, Any]] = answer[entity_id]["items"]  # type: ignore[index]
    return items


async def test_each_member_has_a_list_of_their_open_and_overdue_chores(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    robin = await _items(hass, _entity(hass, "todo", f"{live.robin}_member_chores"))
    by_name = {item["summary"]: item for item in robin}
    assert {"Dishes", "Laundry"} <= set(by_name)
    assert "Bins" not in by_name  # Alex's
    dishes = by_name["Dishes"]
    assert dishes["due"] == (live.today - timedelta(days=2)).isoformat()
    assert dishes["status"] == "needs_action"
    assert "Overdue since" in dishes["description"]

    household = await _items(hass, _entity(hass, "todo", f"{live.household_id}_chores"))
    assert "Bins (Alex)" in {item["summary"] for item in household}


async def test_checking_an_item_off_completes_it_as_that_member(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    entity_id = _entity(hass, "todo", f"{live.robin}_member_chores")
    laundry = next(i for i in await _items(hass, entity_id) if i["summary"] == "Laundry")

    await hass.services.async_call(
        "todo",
        "update_item",
        {"entity_id": entity_id, "item": laundry["uid"], "status": "completed"},
        blocking=True,
    )
    await hass.async_block_till_done()

    done = await hass.async_add_executor_job(live.get, f"/chore-occurrences/{laundry['uid']}")
    assert done["status"] == "done"
    assert done["completed_by_member_id"] == live.robin  # Sam's token, Robin's list
    assert laundry["uid"] not in {i["uid"] for i in await _items(hass, entity_id)}


async def test_a_member_with_an_account_cannot_be_checked_off_by_another(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    """Alex has an account: only Alex's own token may complete as Alex, and the API says so."""
    entity_id = _entity(hass, "todo", f"{live.alex}_member_chores")
    bins = next(i for i in await _items(hass, entity_id) if i["summary"] == "Bins")
    with pytest.raises(HomeAssistantError, match="only the member themself"):
        await hass.services.async_call(
            "todo",
            "update_item",
            {"entity_id": entity_id, "item": bins["uid"], "status": "completed"},
            blocking=True,
        )
    still = await hass.async_add_executor_job(live.get, f"/chore-occurrences/{bins['uid']}")
    assert still["status"] == "open"


async def test_the_calendar_has_chores_vote_deadlines_and_goal_dates_in_a_window(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    entity_id = _entity(hass, "calendar", f"{live.household_id}_calendar")
    start = datetime.combine(live.today - timedelta(days=3), datetime.min.time(), ZONE)
    answer = await hass.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": entity_id,
            "start_date_time": start,
            "end_date_time": start + timedelta(days=40),
        },
        blocking=True,
        return_response=True,
    )
    assert answer is not None
    events = {e["summary"]: e for e in answer[entity_id]["events"]}  # type: ignore[index]
    assert events["Dishes (Robin)"]["start"] == (live.today - timedelta(days=2)).isoformat()
    assert "Bins (Alex)" in events
    vote = events["Vote closes: Holiday"]
    closes = datetime.fromisoformat(vote["start"])
    assert closes.astimezone(ZONE).date() == live.today + timedelta(days=3)
    assert closes.astimezone(ZONE).hour == 18
    assert (
        events["Goal due: Flat deposit"]["start"] == (live.today + timedelta(days=30)).isoformat()
    )

    narrow = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": entity_id, "start_date_time": start + timedelta(days=10),
         "end_date_time": start + timedelta(days=20)},
        blocking=True,
        return_response=True,
    )  # fmt: skip
    assert narrow is not None
    assert narrow[entity_id]["events"] == []  # type: ignore[index]


async def test_a_second_account_on_the_same_household_checks_off_its_own_chores(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    """Alex sets the household up with Alex's own token: both entries load side by side, and
    Alex's list completes as Alex."""
    _, token = live.token_for("read", "automation", email="alex@example.org")
    alex_entry = MockConfigEntry(
        domain=DOMAIN,
        title="Elm Street",
        unique_id=f"{live.household_id}_{live.alex}",
        data={"url": live.url, "token": token, "household_id": live.household_id,
              "member_id": live.alex},
    )  # fmt: skip
    alex_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(alex_entry.entry_id)
    await hass.async_block_till_done()

    registry = er.async_get(hass)
    unique_id = f"{live.alex}_{live.alex}_member_chores"
    entity_id = registry.async_get_entity_id("todo", DOMAIN, unique_id)
    assert entity_id is not None
    assert entity_id != _entity(hass, "todo", f"{live.alex}_member_chores")  # Sam's view of it
    plants = next(i for i in await _items(hass, entity_id) if i["summary"] == "Plants")
    await hass.services.async_call(
        "todo",
        "update_item",
        {"entity_id": entity_id, "item": plants["uid"], "status": "completed"},
        blocking=True,
    )
    done = await hass.async_add_executor_job(live.get, f"/chore-occurrences/{plants['uid']}")
    assert (done["status"], done["completed_by_member_id"]) == ("done", live.alex)
