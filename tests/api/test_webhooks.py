"""Webhook subscriptions through the API: admins only, secrets shown once, URLs checked."""

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from domain.hooks.models import WebhookSubscription
from domain.hooks.signing_keys import SecretsUnreadable, unseal_secret
from domain.hooks.subscriptions import MAX_PER_HOUSEHOLD
from tests.api.conftest import PASSWORD, TEST_SECRET_KEY, Caller, assert_problem, fetch, join

PUBLIC = "https://93.184.215.14/hooks/fairstead"


def hooks(household: dict[str, Any]) -> str:
    return f"/v1/households/{household['id']}/webhooks"


def create(caller: Caller, household: dict[str, Any], **fields: Any) -> dict[str, Any]:
    response = caller.post(hooks(household), json={"url": PUBLIC, "events": ["*"], **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_returns_the_secret_once(sam: Caller) -> None:
    home = sam.household()
    created = create(sam, home, events=["expense.created", "chore.*"], description="HA")
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["expense.created", "chore.*"]
    assert created["enabled"] is True
    read = sam.get(f"{hooks(home)}/{created['id']}")
    assert read.status_code == 200
    assert "secret" not in read.json()
    assert read.headers["ETag"] == '"1"'
    listed = sam.get(hooks(home)).json()["data"]
    assert [w["id"] for w in listed] == [created["id"]]
    assert "secret" not in listed[0]


def test_members_who_are_not_admins_may_not_see_webhooks(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    created = create(sam, home)
    join(sam, alex, home["id"])
    assert_problem(alex.get(hooks(home)), 403)
    assert_problem(alex.get(f"{hooks(home)}/{created['id']}"), 403)
    assert_problem(alex.post(hooks(home), json={"url": PUBLIC, "events": ["*"]}), 403)


def test_another_households_webhook_is_not_found(sam: Caller, alex: Caller) -> None:
    home, other = sam.household(), alex.household()
    created = create(sam, home)
    assert_problem(alex.get(hooks(home)), 404)
    assert_problem(alex.get(f"{hooks(other)}/{created['id']}"), 404)
    assert_problem(alex.delete(f"{hooks(other)}/{created['id']}"), 404)


def test_an_admin_token_without_the_admin_scope_cannot_manage_webhooks(sam: Caller) -> None:
    home = sam.household()
    token = sam.client.post(
        "/v1/tokens",
        json={"email": sam.email, "password": PASSWORD, "name": "rw", "scopes": ["read", "write"]},
    ).json()["token"]
    assert_problem(sam.get(hooks(home), headers={"Authorization": f"Bearer {token}"}), 403)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://93.184.215.14/hook",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https:///no-host",
        "https://93.184.215.14:0/hook",
        "https://93.184.215.14/" + "a" * 2000,
        "not a url",
    ],
)
def test_urls_that_are_not_http_or_too_long_are_422(sam: Caller, url: str) -> None:
    response = sam.post(hooks(sam.household()), json={"url": url, "events": ["*"]})
    assert_problem(response, 422, field="url")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8123/api/webhook/x",
        "http://localhost:8123/api/webhook/x",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.20:8123/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
        "http://[64:ff9b::a00:1]/hook",
        "http://[2002:7f00:1::1]/hook",
        "http://[::ffff:0:7f00:1]/hook",
        "http://[::127.0.0.1]/hook",
    ],
)
def test_urls_pointing_at_refused_addresses_are_422(sam: Caller, url: str) -> None:
    body = assert_problem(
        sam.post(hooks(sam.household()), json={"url": url, "events": ["*"]}), 422, field="url"
    )
    assert "refused" in body["detail"]


def test_a_host_that_does_not_resolve_is_422(sam: Caller) -> None:
    response = sam.post(
        hooks(sam.household()), json={"url": "https://nowhere.invalid/hook", "events": ["*"]}
    )
    assert_problem(response, 422, field="url")


def test_unknown_event_types_are_422_and_patterns_are_accepted(sam: Caller) -> None:
    home = sam.household()
    bad = sam.post(hooks(home), json={"url": PUBLIC, "events": ["expense.created", "expens.*"]})
    assert_problem(bad, 422, field="events.1")
    assert_problem(sam.post(hooks(home), json={"url": PUBLIC, "events": []}), 422, field="events")
    created = create(sam, home, events=["decision.*", "settlement.created", "settlement.created"])
    assert created["events"] == ["decision.*", "settlement.created"]


def test_unknown_fields_are_rejected(sam: Caller) -> None:
    response = sam.post(
        hooks(sam.household()), json={"url": PUBLIC, "events": ["*"], "secret": "whsec_mine"}
    )
    assert_problem(response, 422, field="secret")


def test_update_changes_fields_and_honours_if_match(sam: Caller) -> None:
    home = sam.household()
    created = create(sam, home)
    url = f"{hooks(home)}/{created['id']}"
    changed = sam.patch(
        url, json={"events": ["expense.*"], "description": None}, headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["events"] == ["expense.*"]
    assert changed.headers["ETag"] == '"2"'
    stale = sam.patch(url, json={"enabled": False}, headers={"If-Match": '"1"'})
    assert_problem(stale, 412)
    assert_problem(sam.patch(url, json={"url": "http://127.0.0.1/x"}), 422, field="url")
    assert_problem(sam.patch(url, json={"enabled": None}), 422)


def test_disabling_says_why(sam: Caller) -> None:
    home = sam.household()
    created = create(sam, home)
    off = sam.patch(f"{hooks(home)}/{created['id']}", json={"enabled": False}).json()
    assert off["enabled"] is False
    assert off["disabled_reason"] == "disabled by an admin"
    on = sam.patch(f"{hooks(home)}/{created['id']}", json={"enabled": True}).json()
    assert on["enabled"] is True and on["disabled_reason"] is None


def test_rotating_the_secret_keeps_the_old_one_signing_for_a_day(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    created = create(sam, home)
    rotated = sam.post(f"{hooks(home)}/{created['id']}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]
    assert rotated.json()["previous_secret_expires_at"] is not None
    row = fetch(engine, WebhookSubscription, created["id"])
    assert unseal_secret(row.previous_secret, secret_key=TEST_SECRET_KEY) == created["secret"]
    stale = sam.post(f"{hooks(home)}/{created['id']}/rotate-secret", headers={"If-Match": '"1"'})
    assert_problem(stale, 412)


def test_signing_secrets_are_stored_encrypted_never_in_the_clear(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    created = create(sam, home)
    rotated = sam.post(f"{hooks(home)}/{created['id']}/rotate-secret").json()
    row = fetch(engine, WebhookSubscription, created["id"])
    stored = (row.secret, row.previous_secret)
    assert created["secret"] not in stored and rotated["secret"] not in stored
    assert not any(value.startswith("whsec_") for value in stored)
    assert unseal_secret(row.secret, secret_key=TEST_SECRET_KEY) == rotated["secret"]
    with pytest.raises(SecretsUnreadable):
        unseal_secret(row.secret, secret_key="another-key-of-enough-length")


def test_webhooks_are_refused_without_a_secret_key(sam: Caller, app: FastAPI) -> None:
    home = sam.household()
    created = create(sam, home)
    app.state.settings = app.state.settings.model_copy(update={"secret_key": None})
    response = sam.post(hooks(home), json={"url": PUBLIC, "events": ["*"]})
    assert "FAIRSTEAD_SECRET_KEY" in assert_problem(response, 409)["detail"]
    rotate = sam.post(f"{hooks(home)}/{created['id']}/rotate-secret")
    assert "FAIRSTEAD_SECRET_KEY" in assert_problem(rotate, 409)["detail"]


def test_delete_removes_it(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    created = create(sam, home)
    assert sam.delete(f"{hooks(home)}/{created['id']}").status_code == 204
    assert_problem(sam.get(f"{hooks(home)}/{created['id']}"), 404)
    assert fetch(engine, WebhookSubscription, created["id"]) is None


def test_the_activity_feed_shows_the_host_but_not_the_path(sam: Caller) -> None:
    home = sam.household()
    create(sam, home, url="https://93.184.215.14/secret-token-in-path")
    feed = sam.get(f"/v1/households/{home['id']}/activity").json()["data"]
    entry = next(e for e in feed if e["type"] == "webhook.created")
    assert entry["data"] == {"host": "93.184.215.14"}


def test_a_household_has_a_limited_number_of_webhooks(sam: Caller) -> None:
    home = sam.household()
    for _ in range(MAX_PER_HOUSEHOLD):
        create(sam, home)
    assert_problem(sam.post(hooks(home), json={"url": PUBLIC, "events": ["*"]}), 409)
