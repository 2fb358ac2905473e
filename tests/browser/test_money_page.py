"""The money page in real Chromium against a real `fairstead serve`, at a phone's and a
desktop's size: add expenses with two split methods, upload a bank file and resolve a
review row, with axe-core finding no serious or critical violation."""

from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.web_pages import (
    CHROMIUM,
    PASSWORD,
    SIZES,
    create_household,
    expect,
    new_page,
    screenshot,
    serious_violations,
    sign_up,
)
from tests.live_server import serve

DAY = (date.today() - timedelta(days=2)).isoformat()
QIF = f"!Type:Bank\nD{DAY}\nT-42.00\nPCorner shop\n^\nD{DAY}\nT-9.99\nPBookshop\n^\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("money")) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def api(base: str, email: str) -> httpx.Client:
    token = httpx.post(
        f"{base}/v1/tokens", json={"email": email, "password": PASSWORD, "name": "test"}
    )
    assert token.status_code == 201, token.text
    return httpx.Client(
        base_url=f"{base}/v1", headers={"Authorization": f"Bearer {token.json()['token']}"}
    )


@pytest.mark.parametrize("size", sorted(SIZES))
def test_expenses_two_ways_and_a_bank_file(
    chromium: Browser, base: str, size: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for page in new_page(chromium, base, size):
        email = sign_up(page, "Sam")
        household_id = create_household(page, "Elm Street")
        client = api(base, email)
        robin = client.post(f"/households/{household_id}/members", json={"display_name": "Robin"})
        assert robin.status_code == 201, robin.text

        page.get_by_role("navigation", name="Household sections").get_by_role(
            "link", name="Money"
        ).click()
        expect(page.get_by_role("heading", level=1, name="Money")).to_be_visible()
        assert serious_violations(chromium, page) == []

        # equally, between both (the form's default)
        page.get_by_role("link", name="Add expense").click()
        page.get_by_label("Description", exact=True).fill("Groceries")
        page.get_by_label("Amount", exact=True).fill("30.00")
        page.get_by_label("Paid by", exact=True).select_option(label="Sam")
        expect(page.get_by_label("Date", exact=True)).not_to_be_empty()
        page.get_by_label("Equally", exact=True).check()
        assert serious_violations(chromium, page) == []
        assert serious_violations(chromium, page, "dark") == []
        screenshot(page, f"money-add-expense-{SIZES[size]['width']}")
        page.get_by_role("button", name="Save expense").click()
        expect(page.get_by_role("cell", name="Groceries", exact=True)).to_be_visible()

        # by percentages, a refusal first (they do not add up), then right
        page.get_by_role("link", name="Add expense").click()
        page.get_by_label("Description", exact=True).fill("Electricity")
        page.get_by_label("Amount", exact=True).fill("80")
        page.get_by_label("Percentages", exact=True).check()
        page.get_by_label("Sam's part").fill("60")
        page.get_by_label("Robin's part").fill("30")
        page.get_by_role("button", name="Save expense").click()
        expect(page.locator(".error").first).to_be_visible()
        page.get_by_label("Robin's part").fill("40")
        page.get_by_role("button", name="Save expense").click()
        expect(page.get_by_role("cell", name="Electricity", exact=True)).to_be_visible()
        shares = client.get(f"/households/{household_id}/expenses").json()["data"][0]["shares"]
        assert sorted(s["amount"] for s in shares) == [3200, 4800]

        # a bank file, and one of its rows decided
        upload = tmp_path_factory.mktemp("files") / "bank.qif"
        upload.write_text(QIF)
        page.get_by_label("Bank file").set_input_files(str(upload))
        page.get_by_role("button", name="Upload bank file").click()
        expect(page.get_by_role("status")).to_contain_text("bank.qif")
        rows = page.locator("#reviews li")
        expect(rows).to_have_count(2)
        rows.first.get_by_label("Shared", exact=True).check()
        rows.first.get_by_role("button", name="Resolve").click()
        expect(page.locator("#reviews li")).to_have_count(1)
        page.locator("#reviews li").first.get_by_label("Personal", exact=True).check()
        page.locator("#reviews li").first.get_by_role("button", name="Resolve").click()
        expect(page.get_by_text("Nothing to review.")).to_be_visible()
        assert serious_violations(chromium, page) == []
        screenshot(page, f"money-{SIZES[size]['width']}")
        described = [e["description"] for e in
                     client.get(f"/households/{household_id}/expenses").json()["data"]]
        assert len(described) == 3 and ("Corner shop" in described or "Bookshop" in described)


