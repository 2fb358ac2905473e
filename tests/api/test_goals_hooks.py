"""Goal events reach webhooks, and the summary Home Assistant reads shows the nearest goal."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine
from standardwebhooks import Webhook

from integrations.webhooks import WebhookSender
from tests.api.conftest import Caller
from tests.api.goals_builders import contribute, post_goal
from tests.api.hook_builders import (  # noqa: F401  (the fixtures: receiver, sender, settings)
    deliver,
    hooked,
    receiver_fixture,
    sender_fixture,
    settings_allowing_127_0_0_1,
)
from tests.api.ledger_builders import home_of_three
from tests.integrations.receiver import Receiver


def test_goal_events_reach_a_webhook_subscribed_to_goals(
    sam: Caller, engine: Engine, receiver: Receiver, sender: WebhookSender
) -> None:
    home = hooked(sam, receiver.url, events=["goal.contribution_added", "goal.reached"])
    goal = sam.post(
        home.url("/goals"), json={"name": "Bike", "target": {"amount": 5_000, "currency": "EUR"}}
    ).json()
    contribution = {
        "member_id": home.member_id,
        "amount": 5_000,
        "currency": "EUR",
        "date": date.today().isoformat(),
    }
    assert (
        sam.post(home.url(f"/goals/{goal['id']}/contributions"), json=contribution).status_code
        == 201
    )
    assert deliver(engine, sender, datetime.now(UTC)) == 2
    bodies = [Webhook(home.webhook["secret"]).verify(r.body, r.headers) for r in receiver.received]
    by_type = {b["type"]: b["data"] for b in bodies}
    assert set(by_type) == {"goal.contribution_added", "goal.reached"}
    assert by_type["goal.contribution_added"]["amount"] == 5_000
    assert by_type["goal.contribution_added"]["saved"] == 5_000
    assert by_type["goal.reached"] == {
        "name": "Bike",
        "saved": 5_000,
        "target": 5_000,
        "id": by_type["goal.reached"]["id"],
        "household_id": home.household_id,
        "subject_id": goal["id"],
        "actor_member_id": home.member_id,
        "on_behalf_of_member_id": None,
    }


def test_the_summary_shows_the_goal_due_soonest_that_is_not_reached_yet(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    soon = (date.today() + timedelta(days=100)).isoformat()
    later = (date.today() + timedelta(days=400)).isoformat()
    post_goal(sam, home, name="Someday", due_on=None)
    post_goal(sam, home, name="Flat deposit", due_on=later)
    done = post_goal(sam, home, name="Bike", due_on=soon, target={"amount": 100, "currency": "EUR"})
    contribute(sam, home, done["id"], home.sam, 100)
    holiday = post_goal(
        sam, home, name="Holiday", due_on=soon, target={"amount": 200_000, "currency": "EUR"}
    )
    contribute(sam, home, holiday["id"], home.alex, 50_000)
    summary = sam.get(home.url("/fairness/summary")).json()
    assert summary["goal_name"] == "Holiday"
    assert summary["goal_progress"] == 25.0
    assert (summary["goal_saved"], summary["goal_remaining"]) == (500.0, 1500.0)
    assert summary["goal_due_on"] == soon
    assert summary["goal_monthly_needed"] > 0
    assert summary["goal_on_track"] is True  # 500 in a month: 4 months of that gets there
