"""A member who joins in the middle of a period gets a time target for the days they were
a member, as absences already shrink it."""

from datetime import UTC, datetime

from fastapi import FastAPI

from tests.api.chores_builders import freeze, own_member
from tests.api.conftest import Caller, join
from tests.api.fairness_builders import END_OF_MARCH, FEB_END, Couple, by_member, log_time, report

MID_MARCH = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)  # 10:00 on the 16th in Berlin


def test_joining_mid_period_prorates_the_time_target(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    clock = freeze(app, FEB_END)
    household = sam.household()
    sam_id = own_member(sam, household["id"])
    clock.set(MID_MARCH)
    alex_id = join(sam, alex, household["id"])["id"]
    kid_id = sam.member(household["id"], display_name="Kid")["id"]
    home = Couple(household["id"], sam_id, alex_id, clock, {sam_id: sam, alex_id: alex})
    clock.set(END_OF_MARCH)
    log_time(home, sam_id, 300, "2026-03-20")
    log_time(home, alex_id, 300, "2026-03-20")
    time = by_member(report(home)["dimensions"]["time"])
    # Equal targets, weighed by days of membership in March: Sam 31, Alex and Kid 16
    # (the 16th to the 31st): 31/63 and 16/63 each.
    assert time[sam_id]["target_share"] == round(31 / 63, 4)
    assert time[alex_id]["target_share"] == round(16 / 63, 4)
    assert time[kid_id]["target_share"] == round(16 / 63, 4)


def test_a_member_there_from_before_the_period_keeps_a_full_target(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    clock = freeze(app, FEB_END)
    household = sam.household()
    sam_id = own_member(sam, household["id"])
    alex_id = join(sam, alex, household["id"])["id"]
    home = Couple(household["id"], sam_id, alex_id, clock, {sam_id: sam, alex_id: alex})
    clock.set(END_OF_MARCH)
    log_time(home, sam_id, 300, "2026-03-20")
    time = by_member(report(home)["dimensions"]["time"])
    assert time[sam_id]["target_share"] == time[alex_id]["target_share"] == 0.5
