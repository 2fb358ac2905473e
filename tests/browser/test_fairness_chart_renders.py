"""The fairness chart drawn by Chromium as an image (as a Home Assistant picture card or a
wall tablet's browser shows it): it loads, it has the chart's size, and its pixels carry the
three series' colours and the text, light and dark."""

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, sync_playwright

from api.chart.style import THEMES
from tests.api.chart_builders import FIRST_QUARTER, quarter
from tests.api.conftest import Caller
from tests.browser.conftest import CHROMIUM

# Counts the pixels of each colour asked for (within a small distance, for anti-aliasing),
# and those that differ from the background at all.
_MEASURE = """async ([source, colours, background]) => {
  const image = new Image();
  image.src = source;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const near = (i, c) => Math.abs(data[i] - c[0]) + Math.abs(data[i + 1] - c[1])
    + Math.abs(data[i + 2] - c[2]) < 24;
  const wanted = Object.fromEntries(Object.entries(colours).map(([k, v]) => [k, rgb(v)]));
  const counts = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]));
  const back = rgb(background);
  let drawn = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (!near(i, back)) drawn++;
    for (const [k, c] of Object.entries(wanted)) if (near(i, c)) counts[k]++;
  }
  return {width: canvas.width, height: canvas.height, drawn, counts};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def measure(browser: Browser, svg: bytes, theme: str, png: Path) -> dict[str, Any]:
    colours = THEMES[theme]
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    page = browser.new_page(viewport={"width": 820, "height": 700})
    try:
        page.set_content(f'<body style="margin:0"><img id="chart" src="{source}"></body>')
        page.wait_for_function("document.getElementById('chart').complete")
        page.locator("#chart").screenshot(path=str(png))
        result: dict[str, Any] = page.evaluate(
            _MEASURE,
            [
                source,
                {
                    "overall": colours.overall,
                    "money": colours.money,
                    "time": colours.time,
                    "text": colours.text,
                },
                colours.background,
            ],
        )
        return result
    finally:
        page.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_chromium_draws_the_chart(
    app: FastAPI, sam: Caller, alex: Caller, browser: Browser, tmp_path: Path, theme: str
) -> None:
    home = quarter(app, sam, alex)
    response = sam.get(home.url("fairness/chart.svg"), params={**FIRST_QUARTER, "theme": theme})
    assert response.status_code == 200, response.text
    png = tmp_path / f"chart-{theme}.png"

    result = measure(browser, response.content, theme, png)

    assert png.read_bytes().startswith(b"\x89PNG")
    assert result["width"] == 800 and result["height"] > 400
    area = result["width"] * result["height"]
    assert result["drawn"] > area // 50, result  # far from blank
    for key in ("overall", "money", "time", "text"):
        assert result["counts"][key] > 150, (key, result)
