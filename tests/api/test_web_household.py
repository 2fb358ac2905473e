"""The household page: members and the agreement (admins change them; others read), invitation
links (made, listed, revoked), the activity feed in pages, the households to switch between.
Each form records what its API call records; a non-admin, a stale form, bad input, another
household's ids or a missing CSRF token write nothing."""

import re
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity.models import Event
from domain.agreement.models import AgreementVersion
from domain.fairness.models import Proposal
from domain.households.models import Invitation, Member
from tests.api.conftest import count, fetch
from tests.api.web_builders import WebBrowser, World, world


@pytest.fixture
def home(app: FastAPI) -> World:
    return world(app)


def page(home: World) -> str:
    return f"{home.home}/household"


def post(home: World, path: str, data: dict[str, Any], browser: WebBrowser | None = None) -> Any:
    browser = browser or home.sam
    return browser.post(f"{page(home)}{path}", data, page=page(home))


def version_of(text: str, member_id: str) -> str:
    found = re.search(
        rf'/members/{member_id}">\s*<input[^>]*>\s*'
        r'<input type="hidden" name="version" value="(\d+)"',
        text,
    )
    assert found, text[:2000]
    return found.group(1)


def test_an_income_target_without_incomes_is_refused_beside_the_target(
    home: World, engine: Engine
) -> None:
    response = post(
        home, "/agreement", agreement_form(money_target="income", version=current(home))
    )
    assert response.status_code == 422
    assert "monthly income for every member" in response.text
    assert 'id="agreement-money_target-error"' in response.text
    assert count(engine, Proposal, Proposal.kind == "agreement_change") == 0


def current(home: World) -> str:
    return version_at(home.sam, page(home))


def version_at(browser: WebBrowser, path: str) -> str:
    text = browser.get(path).text
    found = re.search(
        r'/agreement">\s*<input[^>]*>\s*<input type="hidden" name="version" value="(\d+)">', text
    )
    assert found
    return found.group(1)


def agreement_form(**over: str) -> dict[str, str]:
    return {
        "version": "1",
        "money_target": "equal",
        "time_target": "equal",
        "period": "week",
        "tolerance": "10",
        **over,
    }


def test_an_admin_sees_forms_and_a_member_reads(home: World) -> None:
    sam = home.sam.get(page(home)).text
    alex = home.alex.get(page(home)).text
    for heading in ("Members", "Agreement", "Invitations", "Activity", "Your households"):
        assert re.search(rf"<h2[^>]*>{heading}</h2>", sam) and re.search(
            rf"<h2[^>]*>{heading}</h2>", alex
        )
    assert "Save agreement" in sam and "Create invitation link" in sam and "Add member" in sam
    assert "Save agreement" not in alex and "Create invitation link" not in alex
    assert f"/members/{home.sam_member}" not in alex and "Only an admin" in alex


def test_an_admin_adds_and_changes_members_as_the_api_does(home: World, engine: Engine) -> None:
    assert (
        post(
            home, "/members", {"display_name": "Robin", "weekly_available_minutes": "300"}
        ).status_code
        == 303
    )
    robin = next(
        m
        for m in home.sam_api.get(home.api("members")).json()["data"]
        if m["display_name"] == "Robin"
    )
    assert robin["user_id"] is None and robin["weekly_available_minutes"] == 300
    text = home.sam.get(page(home)).text
    version = version_of(text, robin["id"])
    response = post(
        home,
        f"/members/{robin['id']}",
        {
            "version": version,
            "display_name": "Robin B",
            "role": "member",
            "weekly_available_minutes": "240",
            "active": "on",
        },
    )
    assert response.status_code == 303, response.text
    after = home.sam_api.get(home.api(f"members/{robin['id']}"))
    assert (
        after.json()["display_name"] == "Robin B"
        and after.json()["weekly_available_minutes"] == 240
    )
    assert after.headers["ETag"] == f'"{int(version) + 1}"'
    assert (
        count(engine, Event, Event.type == "member.updated", Event.subject_id == robin["id"]) == 1
    )


def test_a_non_admin_cannot_change_others_add_members_or_the_agreement(
    home: World, engine: Engine
) -> None:
    members, versions = count(engine, Member), count(engine, AgreementVersion)
    sam = fetch(engine, Member, home.sam_member)
    response = post(
        home,
        f"/members/{home.sam_member}",
        {"version": str(sam.version), "display_name": "Not Sam", "role": "member", "active": "on"},
        browser=home.alex,
    )
    assert response.status_code == 403
    assert fetch(engine, Member, home.sam_member).display_name == sam.display_name
    assert post(home, "/members", {"display_name": "Eve"}, browser=home.alex).status_code == 403
    assert post(home, "/agreement", agreement_form(), browser=home.alex).status_code == 403
    assert post(home, "/invitations", {"role": "admin"}, browser=home.alex).status_code == 403
    assert count(engine, Member) == members and count(engine, AgreementVersion) == versions
    assert count(engine, Proposal, Proposal.kind == "agreement_change") == 0
    assert count(engine, Invitation) == 1  # the world's own
    # nor make themself admin (the service's rule: only an admin changes roles)
    alex = fetch(engine, Member, home.alex_member)
    response = post(
        home,
        f"/members/{home.alex_member}",
        {
            "version": str(alex.version),
            "display_name": alex.display_name,
            "role": "admin",
            "active": "on",
        },
        browser=home.alex,
    )
    assert response.status_code == 403
    assert fetch(engine, Member, home.alex_member).role == "member"


def test_an_agreement_change_is_proposed_as_put_agreement_proposes_it(
    home: World, engine: Engine
) -> None:
    text = home.sam.get(page(home)).text
    version = re.search(
        r'/agreement">\s*<input[^>]*>\s*<input type="hidden" name="version" value="(\d+)">', text
    )
    assert version
    response = post(home, "/agreement", agreement_form(version=version.group(1)))
    assert response.status_code == 303, response.text
    proposals = home.sam_api.get(home.api("fairness/proposals")).json()["data"]
    change = [p for p in proposals if p["kind"] == "agreement_change" and p["status"] == "open"]
    assert len(change) == 1
    assert "A change is waiting" in home.sam.get(page(home)).text


def test_in_a_household_of_one_the_agreement_changes_at_once(app: FastAPI, engine: Engine) -> None:
    solo = WebBrowser(app)
    solo.sign_up("Solo")
    household = solo.create_household("Flat")
    path = f"/app/households/{household}/household"
    before = version_at(solo, path)
    form = agreement_form(period="week", tolerance="2.5", version=before)
    response = solo.post(f"{path}/agreement", form, page=path)
    assert response.status_code == 303, response.text
    text = solo.get(path).text
    assert f"Version {int(before) + 1}," in text and "<dd>week</dd>" in text and "2.5%" in text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"money_target": "fortune"}, "money_target"),
        ({"period": "year"}, "period"),
        ({"tolerance": "abc"}, "tolerance"),
        ({"tolerance": "100"}, "tolerance"),
        ({"tolerance": "5.555"}, "tolerance"),
        ({"money_target": "custom", "money-nobody": "-1"}, "money-nobody"),
    ],
)
def test_bad_agreement_input_writes_nothing(
    home: World, engine: Engine, change: dict[str, str], field: str
) -> None:
    response = post(home, "/agreement", agreement_form(version=current(home), **change))
    assert response.status_code == 422, response.text
    assert f'id="agreement-{field}-error"' in response.text or 'role="alert"' in response.text
    assert count(engine, Proposal, Proposal.kind == "agreement_change") == 0


def test_custom_weights_of_another_households_member_are_refused(
    home: World, app: FastAPI, engine: Engine
) -> None:
    other = world(app)
    response = post(
        home,
        "/agreement",
        agreement_form(
            version=current(home),
            money_target="custom",
            **{f"money-{other.sam_member}": "1", f"money-{home.sam_member}": "1"},
        ),
    )
    assert response.status_code == 422, response.text
    assert count(engine, Proposal, Proposal.kind == "agreement_change") == 0


def test_stale_forms_write_nothing(home: World, engine: Engine) -> None:
    response = post(home, "/agreement", agreement_form(version=str(int(current(home)) + 1)))
    assert response.status_code == 412 and "nothing was saved" in response.text
    sam = fetch(engine, Member, home.sam_member)
    response = post(
        home,
        f"/members/{home.sam_member}",
        {"version": str(sam.version - 1), "display_name": "Old", "role": "admin", "active": "on"},
    )
    assert response.status_code == 412
    assert fetch(engine, Member, home.sam_member).display_name == sam.display_name
    assert count(engine, Proposal, Proposal.kind == "agreement_change") == 0


def test_bad_member_input_is_shown_beside_the_field(home: World, engine: Engine) -> None:
    members = count(engine, Member)
    response = post(home, "/members", {"display_name": "", "weekly_available_minutes": "lots"})
    assert response.status_code == 422
    assert 'id="add-member-display_name-error"' in response.text
    assert count(engine, Member) == members
    sam = fetch(engine, Member, home.sam_member)
    response = post(
        home,
        f"/members/{home.sam_member}",
        {"version": str(sam.version), "display_name": "Sam", "role": "member", "active": "on"},
    )
    assert response.status_code == 409  # the last admin cannot step down
    assert "at least one admin" in response.text
    assert fetch(engine, Member, home.sam_member).role == "admin"


def test_another_households_member_cannot_be_changed(
    home: World, app: FastAPI, engine: Engine
) -> None:
    other = world(app)
    theirs = fetch(engine, Member, other.alex_member)
    response = post(
        home,
        f"/members/{other.alex_member}",
        {"version": str(theirs.version), "display_name": "Taken", "role": "member", "active": "on"},
    )
    assert response.status_code == 404
    assert fetch(engine, Member, other.alex_member).display_name == theirs.display_name


def test_an_invitation_link_joins_once_and_a_revoked_one_does_not(
    home: World, app: FastAPI, engine: Engine
) -> None:
    response = post(home, "/invitations", {"role": "member"})
    assert response.status_code == 201, response.text
    link = re.search(r"data-copy>(http://testserver/app/join/([A-Z0-9]+))<", response.text)
    assert link
    assert "Waiting to be used" in response.text
    robin = WebBrowser(app)
    robin.sign_up("Robin")
    joined = robin.post(f"/app/join/{link.group(2)}", {})
    assert joined.status_code == 303
    # a second link, revoked, no longer works
    response = post(home, "/invitations", {"role": "member"})
    code = re.search(r"/app/join/([A-Z0-9]+)<", response.text)
    assert code
    pending = re.findall(r"/invitations/([0-9a-f-]{36})/revoke", response.text)
    assert len(pending) == 1
    assert post(home, f"/invitations/{pending[0]}/revoke", {}).status_code == 303
    assert "No invitations waiting." in home.sam.get(page(home)).text
    eve = WebBrowser(app)
    eve.sign_up("Eve")
    refused = eve.post(f"/app/join/{code.group(1)}", {})
    assert refused.status_code in (409, 410) and "expired" in refused.text
    assert count(engine, Member, Member.household_id == home.household_id) == 3


def test_csrf_is_required_on_every_form(home: World, engine: Engine) -> None:
    for path, data in (
        ("/members", {"display_name": "Eve"}),
        ("/agreement", agreement_form()),
        ("/invitations", {"role": "member"}),
    ):
        assert home.sam.post(f"{page(home)}{path}", data, csrf="").status_code == 403
    assert (
        count(engine, Invitation) == 1
        and count(engine, Proposal, Proposal.kind == "agreement_change") == 0
    )


def test_the_activity_feed_pages_and_households_switch(home: World, app: FastAPI) -> None:
    for i in range(25):
        assert (
            home.sam_api.post(home.api("members"), json={"display_name": f"Kid {i}"}).status_code
            == 201
        )
    text = home.sam.get(page(home)).text
    assert text.count("member created: Kid") == 20 and "Kid 24" in text
    older = re.search(r'href="([^"]*\?feed=[^"#]*)#activity"', text)
    assert older
    rest = home.sam.get(older.group(1)).text.split('id="activity"')[1]
    assert "member created: Kid 4<" in rest and "member created: Kid 24" not in rest
    assert home.sam.get(f"{page(home)}?feed=garbage").status_code == 422
    second = home.sam.create_household("Beach house")
    text = home.sam.get(page(home)).text
    assert f'href="/app/households/{second}/household"' in text and "Beach house" in text


def test_a_used_or_foreign_invitation_cannot_be_revoked(
    home: World, app: FastAPI, engine: Engine
) -> None:
    used = fetch_invitations(engine, home.household_id)
    assert len(used) == 1 and used[0].accepted_at is not None  # the world's, Alex joined by it
    response = post(home, f"/invitations/{used[0].id}/revoke", {})
    assert response.status_code == 409 and "already been used" in response.text
    other = world(app)
    post(other, "/invitations", {"role": "member"})
    theirs = [i for i in fetch_invitations(engine, other.household_id) if i.accepted_at is None]
    assert post(home, f"/invitations/{theirs[0].id}/revoke", {}).status_code == 404
    assert fetch(engine, Invitation, theirs[0].id).expires_at == theirs[0].expires_at
    # and a member who is not an admin revokes nothing
    assert post(other, f"/invitations/{theirs[0].id}/revoke", {}, other.alex).status_code == 403
    assert fetch(engine, Invitation, theirs[0].id).expires_at == theirs[0].expires_at


def fetch_invitations(engine: Engine, household_id: str) -> list[Invitation]:
    with Session(engine) as session:
        query = select(Invitation).where(col(Invitation.household_id) == household_id)
        return list(session.scalars(query))
