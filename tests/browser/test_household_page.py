"""The household page in real Chromium against a real `fairstead serve`, at a phone's and
a desktop's size: the flows the people in a household use, by the accessible names the
issue fixes (labels, buttons, headings)."""

import re
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.web_pages import (
    CHROMIUM,
    PASSWORD,
    SIZES,
    create_household,
    new_page,
    screenshot,
    serious_violations,
    sign_up,
)
from tests.live_server import serve

HEADINGS = ("Fairness", "Balances", "Settle up", "Proposals", "Chores", "Decisions", "Check in")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("web")) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(params=sorted(SIZES))
def page(request: pytest.FixtureRequest, chromium: Browser, base: str) -> Iterator[Page]:
    yield from new_page(chromium, base, request.param)


def test_sign_up_create_a_household_and_land_on_its_home(page: Page) -> None:
    sign_up(page, "Sam")
    expect(page.get_by_role("heading", name="Create a household")).to_be_visible()
    household_id = create_household(page, "Elm Street")

    assert page.url.endswith(f"/app/households/{household_id}")
    nav = page.get_by_role("navigation", name="Household sections")
    for name in ("Home", "Money", "Household"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    width = page.viewport_size["width"] if page.viewport_size else 0
    screenshot(page, f"home-new-{width}")

    # /app/ now opens the household last used.
    page.goto("/app/")
    assert page.url.endswith(f"/app/households/{household_id}")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def api(base: str, email: str) -> httpx.Client:
    """The same account through the API, for what another part of the page sets up."""
    token = httpx.post(
        f"{base}/v1/tokens", json={"email": email, "password": PASSWORD, "name": "test"}
    )
    assert token.status_code == 201, token.text
    return httpx.Client(
        base_url=f"{base}/v1", headers={"Authorization": f"Bearer {token.json()['token']}"}
    )


def seed(client: httpx.Client, household_id: str) -> None:
    """Sam paid 30.00 split equally; a daily chore starts today; a ranked-choice decision
    is open; this month's proposals are made."""
    today = date.today()
    members = client.get(f"/households/{household_id}/members").json()["data"]
    ids = [m["id"] for m in members]
    sam = next(m["id"] for m in members if m["role"] == "admin")
    for path, body in (
        (
            "expenses",
            {"description": "Groceries", "amount": 3000, "currency": "EUR", "paid_by": sam,
             "date": today.isoformat(),
             "split": {"method": "equal", "participants": [{"member_id": m} for m in ids]}},
        ),
        (
            "chores",
            {"name": "Dishes", "estimated_minutes": 20, "effort": 2, "load": "execution",
             "recurrence": "FREQ=DAILY", "starts_on": today.isoformat()},
        ),
        (
            "decisions",
            {"title": "Holiday", "method": "ranked_choice", "ballot": "open",
             "options": ["Sea", "Mountains", "City"]},
        ),
        (
            "fairness/proposals",
            {"from": today.replace(day=1).isoformat(), "to": today.isoformat()},
        ),
    ):  # fmt: skip
        response = client.post(f"/households/{household_id}/{path}", json=body)
        assert response.status_code == 201, response.text


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_household_lives_through_its_week(chromium: Browser, base: str, size: str) -> None:
    """Sign up, create a household, invite Alex by link, then as Alex: accept a proposal,
    mark the suggested transfer as paid, finish a chore, rank a decision and check in —
    with no serious accessibility violation on the way, light or dark."""
    for sam_page in new_page(chromium, base, size):
        sam_email = sign_up(sam_page, "Sam")
        household_id = create_household(sam_page, "Elm Street")
        sam_api = api(base, sam_email)
        code = sam_api.post(f"/households/{household_id}/invitations", json={}).json()["code"]

        for page in new_page(chromium, base, size):
            # Alex opens the link, has no account yet, creates one and lands on the invitation.
            page.goto(f"/app/join/{code}")
            page.get_by_role("link", name="Create an account").click()
            page.get_by_label("Your name").fill("Alex")
            page.get_by_label("Email").fill(f"alex-{size}@example.org")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Create account").click()
            page.get_by_role("button", name="Join household").click()
            expect(page.get_by_role("heading", level=1, name="Elm Street")).to_be_visible()

            seed(sam_api, household_id)
            page.reload()
            for heading in HEADINGS:
                expect(
                    page.get_by_role("heading", level=2, name=heading, exact=True)
                ).to_be_visible()
            expect(page.get_by_role("img", name=re.compile("Fairness"))).to_be_visible()
            screenshot(page, f"home-{size}")
            assert serious_violations(chromium, page) == []
            assert serious_violations(chromium, page, "dark") == []
            dark = page.context.browser.new_context(  # type: ignore[union-attr]
                viewport=page.viewport_size, storage_state=page.context.storage_state(),
                color_scheme="dark", base_url=base,
            )  # fmt: skip
            dark_page = dark.new_page()
            dark_page.goto(page.url)
            screenshot(dark_page, f"home-{size}-dark")
            dark.close()

            proposals = page.locator("#proposals")
            proposals.get_by_role("button", name="Accept").first.click()
            expect(page.locator("#proposals").get_by_text("Alex: accept")).to_be_visible()

            page.locator("#settle-up").get_by_role("button", name="Mark as paid").click()
            expect(page.locator("#settle-up").get_by_text("Everyone is square.")).to_be_visible()

            chores = page.locator("#chores")
            expect(chores.get_by_text("Dishes")).to_be_visible()
            chores.get_by_role("button", name="Done").click()
            expect(page.locator("#chores").get_by_text("Nothing due today.")).to_be_visible()

            decision = page.locator("#decisions")
            decision.get_by_label("Rank for City").select_option("1")
            decision.get_by_label("Rank for Sea").select_option("2")
            decision.get_by_role("button", name="Vote").click()
            expect(page.locator("#decisions").get_by_text("you have voted")).to_be_visible()

            check_in = page.locator("#check-in")
            check_in.get_by_label("How fair does it feel?").select_option("4")
            check_in.get_by_label("Do you feel heard?").select_option("3")
            check_in.get_by_label("Note").fill("Better than last month")
            check_in.get_by_role("button", name="Send check-in").click()
            expect(page.get_by_role("heading", level=2, name="Check in")).to_be_visible()
            screenshot(page, f"home-{size}-after")

        decisions = sam_api.get(f"/households/{household_id}/decisions").json()["data"]
        options = {o["label"]: o["id"] for o in decisions[0]["options"]}
        assert decisions[0]["votes"][0]["ballot"] == {"ranking": [options["City"], options["Sea"]]}
        check_ins = sam_api.get(f"/households/{household_id}/check-ins").json()["data"]
        assert [(c["fairness"], c["heard"]) for c in check_ins] == [(4, 3)]
        balances = sam_api.get(f"/households/{household_id}/balances").json()["data"]
        assert {b["net"] for b in balances} == {0}


def test_every_form_works_without_javascript(chromium: Browser, base: str) -> None:
    context = chromium.new_context(java_script_enabled=False, base_url=base)
    page = context.new_page()
    try:
        sign_up(page, "Robin")
        create_household(page, "No Script")
        page.get_by_label("How fair does it feel?").select_option("3")
        page.get_by_label("Do you feel heard?").select_option("5")
        page.get_by_role("button", name="Send check-in").click()
        expect(page.get_by_role("heading", level=1, name="No Script")).to_be_visible()
        assert serious_violations(chromium, page) == []
    finally:
        context.close()
