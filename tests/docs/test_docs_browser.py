"""/docs and /redoc render in a real browser with no internet to reach: Debian's Chromium,
headless, driven by Playwright, every request to another host refused. The operations
list must appear; screenshots are kept in build/docs-screenshots/ (`make test-docs`).

Runs in its own suite (mk/docs.mk), which installs Chromium and the `browser` extra.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import ROOT, serve

CHROMIUM = os.environ.get("FAIRSTEAD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "build" / "docs-screenshots"
playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("docs")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `make test-docs` installs Debian's chromium")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def open_offline(browser: object, base_url: str) -> tuple[object, list[str], list[str]]:
    """A page that may reach only the server under test; what it tried elsewhere and what
    the console said are recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    elsewhere: list[str] = []
    console: list[str] = []

    def route(request_route: object) -> None:
        url = request_route.request.url  # type: ignore[attr-defined]
        if url.startswith(base_url) or url.startswith(("data:", "blob:")):
            request_route.continue_()  # type: ignore[attr-defined]
        else:
            elsewhere.append(url)
            request_route.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)  # type: ignore[attr-defined]
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))  # type: ignore[attr-defined]
    return page, elsewhere, console


def csp_violations(console: list[str]) -> list[str]:
    """What the policy blocked that the page needs: its own assets or inline script. (ReDoc's
    footer asks for a logo on the vendor's CDN; the policy blocks it, and nothing is missing
    without it: that is the offline page working as meant.)"""
    return [
        line for line in console if "Content Security Policy" in line and "'https://" not in line
    ]


def test_swagger_ui_lists_the_operations_offline(browser: object, base_url: str) -> None:
    page, elsewhere, console = open_offline(browser, base_url)
    page.goto(f"{base_url}/docs")  # type: ignore[attr-defined]
    page.wait_for_selector(".opblock", timeout=30_000)  # type: ignore[attr-defined]
    operations = page.locator(".opblock").count()  # type: ignore[attr-defined]
    summaries = page.locator(".opblock-summary-description").all_inner_texts()  # type: ignore[attr-defined]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "docs.png"))  # type: ignore[attr-defined]
    page.screenshot(path=str(SHOTS / "docs-full.png"), full_page=True)  # type: ignore[attr-defined]
    assert operations >= 100
    assert "Record an expense" in summaries
    assert elsewhere == []
    assert csp_violations(console) == []


def test_redoc_lists_the_operations_offline(browser: object, base_url: str) -> None:
    page, elsewhere, console = open_offline(browser, base_url)
    page.goto(f"{base_url}/redoc")  # type: ignore[attr-defined]
    heading = page.locator("h2", has_text="Record an expense")  # type: ignore[attr-defined]
    heading.first.wait_for(timeout=60_000)
    menu = page.locator("[role=menuitem]").count()  # type: ignore[attr-defined]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "redoc.png"))  # type: ignore[attr-defined]
    assert menu >= 100
    assert elsewhere == []
    assert csp_violations(console) == []
