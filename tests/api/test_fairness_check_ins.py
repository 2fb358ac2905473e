"""Check-ins beside the measures, notes that stay private, reviews over three months, and
`fairness.changed` when the score moves by more than the tolerance."""

from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from tests.api.conftest import Caller
from tests.api.fairness_builders import (
    END_OF_MARCH,
    couple,
    log_time,
    propose,
    report,
)


def test_a_note_is_private_unless_shared_and_an_admin_checks_in_for_a_managed_member(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)
    robin = sam.member(home.id, display_name="Robin")["id"]
    url = home.url("/check-ins")
    private = alex.post(
        url, json={"member_id": home.alex, "fairness": 2, "heard": 1, "note": "Tired"}
    )
    assert private.status_code == 201, private.text
    assert private.json()["note"] == "Tired"
    shared = sam.post(
        url,
        json={"member_id": home.sam, "fairness": 4, "heard": 5, "note": "Good", "share_note": True},
    )
    assert shared.status_code == 201, shared.text
    for_robin = sam.post(url, json={"member_id": robin, "fairness": 5, "heard": 4})
    assert for_robin.status_code == 201, for_robin.text
    assert for_robin.json()["created_by_member_id"] == home.sam

    seen_by_sam = {c["member_id"]: c["note"] for c in sam.get(url).json()["data"]}
    assert seen_by_sam == {robin: None, home.sam: "Good", home.alex: None}
    seen_by_alex = {c["member_id"]: c["note"] for c in alex.get(url).json()["data"]}
    assert seen_by_alex[home.alex] == "Tired"
    only_alex = alex.get(url, params={"member_id": home.alex}).json()["data"]
    assert [c["member_id"] for c in only_alex] == [home.alex]

    body = report(home, {"from": "2026-02-01", "to": "2026-02-28"})
    summaries = {c["member_id"]: c for c in body["check_ins"]}
    assert summaries[home.alex] == {
        "member_id": home.alex,
        "count": 1,
        "fairness": 2.0,
        "heard": 1.0,
    }
    assert (
        "Alex rates fairness 2.0 of 5 and feels heard 1.0 of 5 on average (1 check-in)."
        in (body["findings"])
    )


def test_three_months_over_target_with_low_check_ins_suggest_a_review_and_a_counsellor(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)
    for month in (1, 2, 3):
        home.clock.set(datetime(2026, month, 25, 18, 0, tzinfo=UTC))
        log_time(home, home.alex, 700, f"2026-0{month}-20")
        log_time(home, home.sam, 300, f"2026-0{month}-21")
        checked = alex.post(
            home.url("/check-ins"), json={"member_id": home.alex, "fairness": 2, "heard": 2}
        )
        assert checked.status_code == 201, checked.text
    home.clock.set(END_OF_MARCH)
    review = propose(home)["agreement_review"]
    assert review["details"]["dimension"] == "time"
    assert review["details"]["member_id"] == home.alex
    assert [p["actual_share"] for p in review["details"]["periods"]] == [0.7, 0.7, 0.7]
    assert review["rationale"].startswith(
        "For 3 months running, Alex did more than the agreed share of the weighted chore time"
    )
    assert "counsellor" in review["rationale"]
    assert set(review["affected_member_ids"]) == {home.sam, home.alex}


def test_the_summary_records_fairness_changed_when_the_score_moves_beyond_tolerance(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = couple(app, sam, alex)
    home.clock.set(END_OF_MARCH)
    log_time(home, home.sam, 100, "2026-03-02")
    log_time(home, home.alex, 100, "2026-03-02")
    assert sam.get(home.url("/fairness/summary")).json()["time_score"] == 100.0
    log_time(home, home.sam, 10, "2026-03-03")  # 52.4%: 97.6, within 5 points
    assert sam.get(home.url("/fairness/summary")).json()["time_score"] == 97.6
    log_time(home, home.sam, 200, "2026-03-04")  # 310 of 410: 74.4
    moved = sam.get(home.url("/fairness/summary")).json()
    with Session(engine) as session:
        events = session.scalars(
            select(Event).where(Event.type == "fairness.changed", Event.household_id == home.id)
        ).all()
    assert len(events) == 1
    assert events[0].data["previous_score"] == 97.6
    assert events[0].data["overall_score"] == moved["overall_score"] == 74.4
