"""The household page in real Chromium against a real `fairstead serve`, at a phone's and
a desktop's size: the flows the people in a household use, by the accessible names the
issue fixes (labels, buttons, headings)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.web_pages import (
    CHROMIUM,
    SIZES,
    create_household,
    new_page,
    screenshot,
    sign_up,
)
from tests.live_server import serve


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
