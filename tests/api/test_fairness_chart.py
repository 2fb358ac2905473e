"""The fairness chart is an accessible SVG: a title and a description that say what it shows,
labelled axes, Okabe–Ito colours with dash patterns and markers, light and dark."""

from typing import Any
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree
from fastapi import FastAPI

from api.chart.style import THEMES
from tests.api.chart_builders import FIRST_QUARTER, quarter
from tests.api.conftest import Caller, assert_problem
from tests.api.fairness_builders import Couple

SVG = "{http://www.w3.org/2000/svg}"
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def chart(caller: Caller, home: Couple, **params: Any) -> Element:
    response = caller.get(home.url("fairness/chart.svg"), params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    root: Element = ElementTree.fromstring(response.content)
    return root


def texts(root: Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.fixture
def home(app: FastAPI, sam: Caller, alex: Caller) -> Couple:
    return quarter(app, sam, alex)


def test_the_chart_is_named_and_described_for_screen_readers(sam: Caller, home: Couple) -> None:
    root = chart(sam, home, **FIRST_QUARTER)

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    labelled_by = (root.get("aria-labelledby") or "").split()
    assert [root.find(f"*[@id='{i}']").tag for i in labelled_by] == [f"{SVG}title", f"{SVG}desc"]  # type: ignore[union-attr]
    assert root[0].tag == f"{SVG}title"
    assert root[0].text == "Fairness in Home, 2026-01-01 to 2026-03-31"
    desc = root.findtext(f"{SVG}desc") or ""
    assert "per month, 2026-01-01 to 2026-03-31" in desc
    # January: Sam paid 300 of 400 (score 75); March 120 of 220 (score 95.5). Over the
    # quarter Sam paid 620 of 1020 and did 330 of 900 minutes.
    assert "Money: from 75 to 95.5 (lowest 75, highest 100)." in desc
    assert "Sam: money 61% (target 50%), time 37% (target 50%)." in desc
    assert "Alex: money 39% (target 50%), time 63% (target 50%)." in desc


def test_the_axes_and_every_period_are_labelled(sam: Caller, home: Couple) -> None:
    words = texts(chart(sam, home, **FIRST_QUARTER))
    assert {"Score (0–100)", "Month", "Jan 2026", "Feb 2026", "Mar 2026"} <= set(words)
    assert {"0", "25", "50", "75", "100", "0%", "100%"} <= set(words)
    assert any(w.startswith("Share of the total (%)") for w in words)
    assert {"Overall score", "Money score", "Time score", "Sam", "Alex"} <= set(words)


def test_series_differ_by_colour_dash_and_marker(sam: Caller, home: Couple) -> None:
    root = chart(sam, home, **FIRST_QUARTER)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 3
    assert {line.get("stroke") for line in lines} <= OKABE_ITO
    assert len({line.get("stroke") for line in lines}) == 3
    assert len({line.get("stroke-dasharray") for line in lines}) == 3
    points = [title.text for title in root.iter(f"{SVG}title")]
    assert "Jan 2026: money 75" in points


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_both_themes_use_their_own_background_and_okabe_ito(
    sam: Caller, home: Couple, theme: str
) -> None:
    root = chart(sam, home, theme=theme, **FIRST_QUARTER)
    background = root.find(f"{SVG}rect")
    assert background is not None and background.get("fill") == THEMES[theme].background
    strokes = {line.get("stroke") for line in root.iter(f"{SVG}polyline")}
    assert strokes == {THEMES[theme].overall, THEMES[theme].money, THEMES[theme].time}
    assert strokes <= OKABE_ITO


def test_the_default_range_is_the_last_twelve_periods(sam: Caller, home: Couple) -> None:
    root = chart(sam, home)
    assert root[0].text == "Fairness in Home, 2025-04-01 to 2026-03-31"
    assert "Apr 2025" in texts(root)


def test_weeks_are_drawn_when_agreed_and_long_ranges_by_month(sam: Caller, home: Couple) -> None:
    changed = sam.put(home.url("agreement"), json={"period": "week"})
    assert changed.status_code in (200, 202), changed.text
    if changed.status_code == 202:
        answer = {"response": "accept"}
        url = home.url(f"fairness/proposals/{changed.json()['id']}/responses/{home.alex}")
        assert home.caller(home.alex).put(url, json=answer).status_code == 200
    weekly = chart(sam, home, **FIRST_QUARTER)
    assert "Week starting" in texts(weekly)
    long = chart(sam, home, **{"from": "2024-01-01", "to": "2026-03-31"})
    assert "Month" in texts(long)


def test_names_are_escaped(sam: Caller, home: Couple) -> None:
    renamed = sam.patch(home.url(f"members/{home.sam}"), json={"display_name": "<b>&Sam"})
    assert renamed.status_code == 200, renamed.text
    root = chart(sam, home, **FIRST_QUARTER)
    assert "<b>&Sam" in texts(root)


def test_bad_ranges_and_themes_are_422(sam: Caller, home: Couple) -> None:
    url = home.url("fairness/chart.svg")
    assert_problem(sam.get(url, params={"from": "2026-03-01", "to": "2026-01-01"}), 422, field="to")
    assert_problem(sam.get(url, params={"from": "2020-01-01", "to": "2026-01-01"}), 422, field="to")
    assert_problem(sam.get(url, params={"theme": "neon"}), 422)
    assert_problem(sam.get(url, params={"from": "01/02/2026"}), 422)


def test_other_households_get_404(sam: Caller, home: Couple, new_user: Any) -> None:
    stranger = new_user("Kim")
    assert_problem(stranger.get(home.url("fairness/chart.svg")), 404)
