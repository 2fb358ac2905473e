"""The agreement: versions with effective dates, changes that need everyone's yes, and the
ledger's `agreement` split reading the version in force on the expense's date."""

from fastapi import FastAPI
from sqlalchemy import Engine

from domain.agreement.models import AgreementVersion
from tests.api.chores_builders import freeze
from tests.api.conftest import Caller, assert_problem, count
from tests.api.fairness_builders import (
    END_OF_MARCH,
    by_member,
    couple,
    log_time,
    report,
    respond,
    spend,
)


def test_a_household_of_one_changes_its_agreement_at_once(
    app: FastAPI, sam: Caller, engine: Engine
) -> None:
    freeze(app, END_OF_MARCH)
    household = sam.household()
    url = f"/v1/households/{household['id']}/agreement"
    default = sam.get(url)
    assert default.headers["ETag"] == '"0"'
    assert default.json()["version"] == 0
    assert default.json()["weights"]["effort"] == {str(k): 1.0 for k in range(1, 6)}
    changed = sam.put(
        url,
        json={"weights": {"load": {"conception": 2}}, "tolerance": 0.1},
        headers={"If-Match": '"0"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == '"1"'
    body = changed.json()
    assert (body["version"], body["effective_from"], body["tolerance"]) == (1, "2026-03-31", 0.1)
    assert body["weights"]["load"] == {"execution": 1.0, "planning": 1.0, "conception": 2.0}
    assert_problem(sam.put(url, json={}, headers={"If-Match": '"0"'}), 412)
    assert count(engine, AgreementVersion) == 1


def test_a_change_by_one_member_waits_for_everyone_and_a_reject_keeps_the_old_one(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex, incomes=(300_000, 150_000))
    asked = sam.put(home.url("/agreement"), json={"money": {"target": "income"}})
    assert asked.status_code == 202, asked.text
    proposal = asked.json()
    assert proposal["kind"] == "agreement_change"
    assert "in proportion to monthly incomes" in proposal["rationale"]
    assert [r["member_id"] for r in proposal["responses"]] == [home.sam]
    assert sam.get(home.url("/agreement")).json()["pending_proposal_id"] == proposal["id"]
    assert respond(home, proposal["id"], home.alex, "reject")["status"] == "rejected"
    current = alex.get(home.url("/agreement")).json()
    assert (current["version"], current["money"]["target"]) == (0, "equal")
    assert current["pending_proposal_id"] is None


def test_the_agreement_split_uses_the_version_in_force_on_the_expense_date(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex, incomes=(300_000, 150_000))
    asked = sam.put(home.url("/agreement"), json={"money": {"target": "income"}})
    respond(home, asked.json()["id"], home.alex, "accept")  # in force from 28 February
    home.clock.set(END_OF_MARCH)
    before = spend(home, home.sam, 9_000, "2026-02-27")
    after = spend(home, home.sam, 9_000, "2026-03-02")
    assert [s["amount"] for s in before["shares"]] == [4_500, 4_500]
    assert {s["member_id"]: s["amount"] for s in after["shares"]} == {
        home.sam: 6_000,
        home.alex: 3_000,
    }
    # Alex's income is private: Sam never sees it, and it still counts.
    members = {m["id"]: m for m in sam.get(home.url("/members")).json()["data"]}
    assert members[home.alex]["monthly_income"] is None


def test_a_period_spanning_a_change_is_measured_against_each_version_on_its_days(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)
    home.clock.set(END_OF_MARCH.replace(day=15))
    log_time(home, home.sam, 300, "2026-03-10")
    log_time(home, home.alex, 300, "2026-03-10")
    weights = {home.sam: 3, home.alex: 1}
    asked = sam.put(home.url("/agreement"), json={"time": {"target": "custom", "weights": weights}})
    respond(home, asked.json()["id"], home.alex, "accept")  # in force from 15 March
    home.clock.set(END_OF_MARCH)
    log_time(home, home.sam, 300, "2026-03-20")
    log_time(home, home.alex, 100, "2026-03-20")
    time = report(home)["dimensions"]["time"]
    # Half and half on 600 minutes, then 3:1 on 400: targets 600 and 400 of 1,000.
    assert time["score"] == 100.0
    assert by_member(time)[home.sam]["target_share"] == 0.6
    on_the_tenth = sam.get(home.url("/agreement"), params={"on": "2026-03-10"}).json()
    assert (on_the_tenth["version"], on_the_tenth["time"]["target"]) == (0, "equal")
    latest = sam.get(home.url("/agreement")).json()
    assert (latest["version"], latest["effective_from"]) == (1, "2026-03-15")


def test_absences_shrink_a_capacity_target_for_the_days_away(
    app: FastAPI, sam: Caller, alex: Caller
) -> None:
    home = couple(app, sam, alex)
    for member_id, minutes in ((home.sam, 600), (home.alex, 300)):
        home.caller(member_id).patch(
            home.url(f"/members/{member_id}"), json={"weekly_available_minutes": minutes}
        )
    asked = sam.put(home.url("/agreement"), json={"time": {"target": "capacity"}})
    respond(home, asked.json()["id"], home.alex, "accept")
    away = sam.post(
        home.url(f"/members/{home.sam}/absences"), json={"from": "2026-03-01", "to": "2026-03-16"}
    )
    assert away.status_code == 201, away.text
    home.clock.set(END_OF_MARCH)
    log_time(home, home.sam, 300, "2026-03-20")
    log_time(home, home.alex, 300, "2026-03-20")
    time = by_member(report(home)["dimensions"]["time"])
    # Sam's 600 weekly minutes count for the 15 days of 31 at home (290.3), Alex's 300 in
    # full: Sam's target is 290.3 / 590.3, though Sam has twice Alex's capacity.
    assert time[home.sam]["target_share"] == 0.4918
    assert time[home.alex]["target_share"] == 0.5082


def test_chore_stats_and_the_report_weigh_time_with_the_agreed_multipliers(
    app: FastAPI, sam: Caller
) -> None:
    freeze(app, END_OF_MARCH)
    household = sam.household()
    base = f"/v1/households/{household['id']}"
    agreed = sam.put(f"{base}/agreement", json={"weights": {"load": {"conception": 2}}})
    assert agreed.status_code == 200, agreed.text
    me = sam.get(f"{base}/members").json()["data"][0]["id"]
    logged = sam.post(
        f"{base}/time-entries",
        json={"member_id": me, "minutes": 30, "date": "2026-03-31", "load": "conception"},
    )
    assert logged.status_code == 201, logged.text
    day = {"from": "2026-03-31", "to": "2026-03-31"}
    stats = sam.get(f"{base}/chores/stats", params=day).json()["members"][0]
    assert (stats["minutes"], stats["weighted_minutes"]) == (30, 60.0)
    time = sam.get(f"{base}/fairness/report", params=day).json()["dimensions"]["time"]
    assert time["members"][0]["actual"] == 60.0


def test_an_admin_accepts_for_a_managed_member_and_the_record_says_so(
    app: FastAPI, sam: Caller
) -> None:
    freeze(app, END_OF_MARCH)
    household = sam.household()
    base = f"/v1/households/{household['id']}"
    robin = sam.member(household["id"], display_name="Robin")["id"]
    asked = sam.put(f"{base}/agreement", json={"period": "week"})
    assert asked.status_code == 202, asked.text
    answered = sam.put(
        f"{base}/fairness/proposals/{asked.json()['id']}/responses/{robin}",
        json={"response": "accept", "note": "Robin said yes at dinner"},
    )
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["status"] == "applied"
    for_robin = next(r for r in body["responses"] if r["member_id"] == robin)
    assert for_robin["responded_by_member_id"] is not None
    assert sam.get(f"{base}/agreement").json()["period"] == "week"
