"""The household page in real Chromium: an admin changes the agreement and makes an
invitation link, a member who joins by it reads the agreement without a form; at a
phone's and a desktop's size, with axe-core finding no serious or critical violation."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.web_pages import (
    CHROMIUM,
    SIZES,
    create_household,
    expect,
    new_page,
    screenshot,
    serious_violations,
    sign_up,
)
from tests.live_server import serve


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("household")) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_an_admin_edits_the_agreement_and_invites(chromium: Browser, base: str, size: str) -> None:
    width = SIZES[size]["width"]
    for page in new_page(chromium, base, size):
        sign_up(page, "Sam")
        create_household(page, "Elm Street")
        page.get_by_role("navigation", name="Household sections").get_by_role(
            "link", name="Household"
        ).click()
        expect(page.get_by_role("heading", level=1, name="Household")).to_be_visible()
        agreement = page.locator("#agreement")
        agreement.get_by_label("Period").select_option("week")
        agreement.get_by_label("Tolerance (percent)").fill("2.5")
        agreement.get_by_role("button", name="Save agreement").click()
        expect(page.locator("#agreement dd").nth(2)).to_have_text("week")
        expect(page.locator("#agreement")).to_contain_text("2.5%")
        assert serious_violations(chromium, page) == []
        assert serious_violations(chromium, page, "dark") == []

        page.get_by_role("button", name="Create invitation link").click()
        link = page.locator("#invitation-link")
        expect(link).to_contain_text("/app/join/")
        code = link.inner_text().rsplit("/", 1)[-1]
        # (the link is on the POST's answer: axe, which loads the page's URL again, ran above)
        screenshot(page, f"household-admin-{width}")

    for page in new_page(chromium, base, size):
        sign_up(page, "Alex")
        page.goto(f"/app/join/{code}")
        page.get_by_role("button", name="Join household").click()
        page.goto(page.url.rstrip("/") + "/household")
        expect(page.get_by_role("heading", name="Agreement")).to_be_visible()
        expect(page.get_by_role("button", name="Save agreement")).to_have_count(0)
        expect(page.get_by_text("Only an admin can change members")).to_be_visible()
        assert serious_violations(chromium, page) == []
        screenshot(page, f"household-member-{width}")
