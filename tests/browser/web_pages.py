"""What the household page's browser tests share: a live server, a browser, a page at a
phone's or a desktop's size, and screenshots kept under build/screenshots/."""

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    page.wait_for_load_state("load")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def new_page(browser: Browser, base: str, size: str) -> Iterator[Page]:
    """A page in a context of its own (its own cookies), failing on any CSP violation."""
    context = browser.new_context(viewport=SIZES[size], base_url=base)  # type: ignore[arg-type]
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        yield page
        assert not refused, refused
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


AXE = Path(os.environ.get("FAIRSTEAD_AXE", ROOT / "tests/browser/node_modules/axe-core/axe.min.js"))
_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
}"""


def serious_violations(browser: Browser, page: Page, scheme: str = "light") -> list[Any]:
    """axe-core's serious and critical findings on the page `page` shows, in a context that
    shares its session. axe is injected as an inline script, which the page's own CSP
    refuses, so that context alone bypasses the CSP (the flows run under it)."""
    context = browser.new_context(
        viewport=page.viewport_size,  # type: ignore[arg-type]
        storage_state=page.context.storage_state(),
        bypass_csp=True,
        color_scheme=scheme,  # type: ignore[arg-type]
    )
    try:
        audited = context.new_page()
        audited.goto(page.url)
        audited.add_script_tag(path=str(AXE))
        found: list[Any] = audited.evaluate(_AXE_RUN)
        return [v for v in found if v["impact"] in ("serious", "critical")]
    finally:
        context.close()
