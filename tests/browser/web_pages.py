"""What the household page's browser tests share: a live server, a browser, a page at a
phone's or a desktop's size, and screenshots kept under build/screenshots/."""

import itertools
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.api.conftest import PASSWORD
from tests.browser.conftest import CHROMIUM
from tests.live_server import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
_names = itertools.count()

__all__ = ["CHROMIUM", "PASSWORD", "Browser", "Page", "expect"]


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def new_page(browser: Browser, base: str, size: str) -> Iterator[Page]:
    context = browser.new_context(viewport=SIZES[size], base_url=base)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def sign_up(page: Page, name: str) -> str:
    """Signs up through the form; returns the email used."""
    email = f"{name.lower()}{next(_names)}@example.org"
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    return email


def create_household(page: Page, name: str) -> str:
    """Creates a household through the form; returns its id (from the home's URL)."""
    page.get_by_label("Household name").fill(name)
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Create household").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    return page.url.rstrip("/").rsplit("/", 1)[-1]
