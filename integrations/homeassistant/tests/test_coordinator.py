"""The coordinator revalidates every read with its ETag: a second poll with nothing new is a
round of 304s that keeps the data it had, and a change in the household shows on the next."""

from __future__ import annotations

from typing import Any

from conftest import Live
from homeassistant.core import HomeAssistant


async def test_a_second_refresh_gets_304s_and_keeps_its_data(
    hass: HomeAssistant, entry: Any
) -> None:
    coordinator = entry.runtime_data
    revalidation = coordinator.api.revalidation
    # A first reading of the summary may keep the score it saw (a write, so new tags); what
    # the integration saw after that is what an unchanged household answers from then on.
    await coordinator.async_refresh()
    before = coordinator.data
    sent, not_modified = revalidation.requests, revalidation.not_modified

    await coordinator.async_refresh()

    assert coordinator.last_update_success
    assert revalidation.requests - sent >= 10
    kept = {url.split("?")[0].split(coordinator.household_id)[1] for url in revalidation.kept}
    assert {"/fairness/summary", "/fairness/report", "/balances"} <= kept
    # Every read that came with an ETag was sent back with it, and found unchanged.
    assert revalidation.not_modified - not_modified == len(revalidation.kept)
    assert coordinator.data == before


async def test_a_write_in_the_household_is_seen_on_the_next_refresh(
    hass: HomeAssistant, live: Live, entry: Any
) -> None:
    coordinator = entry.runtime_data
    revalidation = coordinator.api.revalidation
    not_modified = revalidation.not_modified
    balance_before = coordinator.data.balances[live.alex]

    def write() -> Any:
        with live.client() as client:
            return client.post(
                live.path("/expenses"),
                json={"description": "Bread", "amount": 400, "currency": "EUR",
                      "date": live.today.isoformat(), "paid_by": live.sam,
                      "split": {"method": "equal", "participants": [{"member_id": live.alex}]}},
            )  # fmt: skip

    made = await hass.async_add_executor_job(write)
    assert made.status_code == 201, made.text
    await coordinator.async_refresh()

    assert revalidation.not_modified == not_modified  # the version moved: nothing is 304
    assert coordinator.data.balances[live.alex] == balance_before - 400
