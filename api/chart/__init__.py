"""The fairness chart as plain SVG: the scores over time, then each member's actual against
target shares over the whole range.

Accessible by construction: `role="img"` named by its `<title>` and described by a `<desc>`
that says in words what the lines and bars show (`words`); labelled axes; Okabe–Ito colours
with dash patterns and markers (`style`); light and dark.
"""

from xml.etree import ElementTree as ET

from api.chart.scores import draw_scores
from api.chart.shares import draw_shares
from api.chart.style import FONT, PLOT_BOTTOM, THEMES, WIDTH, num, sub
from api.chart.words import describe, span
from domain.fairness.timeline import Timeline


def render(timeline: Timeline, *, theme: str) -> bytes:
    colours = THEMES[theme]
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "role": "img",
            "aria-labelledby": "chart-title chart-desc",
            "font-family": FONT,
            "width": str(WIDTH),
        },
    )
    title = f"Fairness in {timeline.household_name}, {span(timeline.first, timeline.last)}"
    sub(svg, "title", title, id="chart-title")
    sub(svg, "desc", describe(timeline), id="chart-desc")
    background = sub(svg, "rect", x=0, y=0, width=WIDTH, height=0, fill=colours.background)
    sub(
        svg,
        "text",
        title,
        x=16,
        y=32,
        font_size=19,
        font_weight="bold",
        fill=colours.text,
        aria_hidden="true",
    )
    draw_scores(svg, timeline, colours)
    height = draw_shares(svg, timeline, colours, PLOT_BOTTOM + 78)
    background.set("height", num(height))
    svg.set("height", num(height))
    svg.set("viewBox", f"0 0 {WIDTH} {num(height)}")
    body: bytes = ET.tostring(svg, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
