"""What every part of the chart shares: the layout, the themes and series, and the small
helpers that write SVG elements with ElementTree (so every name a household typed is escaped).

Okabe & Ito (2008), "Color Universal Design": colours told apart with every common
colour-vision deficiency; each series also has its own dash pattern and marker shape, so
nothing rests on colour alone.
"""

from dataclasses import dataclass
from fractions import Fraction
from xml.etree import ElementTree as ET

from domain.agreement.terms import Period
from domain.fairness.timeline import Point

WIDTH = 800
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 72, 760, 104, 300
BAR_LEFT, BAR_RIGHT = 190, 640
ROW, GAP = 22, 14
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Theme:
    background: str
    text: str
    grid: str
    target: str
    overall: str
    money: str
    time: str


# Okabe & Ito (2008), "Color Universal Design": told apart with every common colour-vision
# deficiency. Light: blue, vermillion, bluish green; dark: sky blue, orange, bluish green.
THEMES = {
    "light": Theme("#ffffff", "#1a1a1a", "#c8c8c8", "#000000", "#0072B2", "#D55E00", "#009E73"),
    "dark": Theme("#111418", "#f0f0f0", "#4a4f57", "#ffffff", "#56B4E9", "#E69F00", "#009E73"),
}
SERIES = (
    ("overall", "Overall", "none", "circle"),
    ("money", "Money", "8 4", "square"),
    ("time", "Time", "2 3", "diamond"),
)


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def label(point: Point, period: Period) -> str:
    return point.first.strftime("%b %Y" if period is Period.MONTH else "%d %b").lstrip("0")


def pct(value: Fraction) -> str:
    return f"{float(value) * 100:.0f}%"


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
    )
    if text is not None:
        element.text = text
    return element


def marker(parent: ET.Element, shape: str, x: float, y: float, colour: str) -> ET.Element:
    if shape == "circle":
        return sub(parent, "circle", cx=num(x), cy=num(y), r=4.5, fill=colour)
    if shape == "square":
        return sub(parent, "rect", x=num(x - 4), y=num(y - 4), width=8, height=8, fill=colour)
    corners = ((x, y - 5.5), (x + 5.5, y), (x, y + 5.5), (x - 5.5, y))
    points = " ".join(f"{num(cx)},{num(cy)}" for cx, cy in corners)
    return sub(parent, "polygon", points=points, fill=colour)


def _x_at(index: int, count: int) -> float:
    if count == 1:
        return (PLOT_LEFT + PLOT_RIGHT) / 2
    return PLOT_LEFT + 12 + index * (PLOT_RIGHT - PLOT_LEFT - 24) / (count - 1)


def _y_at(score: Fraction) -> float:
    return PLOT_BOTTOM - float(score) / 100 * (PLOT_BOTTOM - PLOT_TOP)
