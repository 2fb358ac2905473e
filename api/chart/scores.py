"""The upper part: the overall, money and time scores per period, with a legend."""

from fractions import Fraction
from xml.etree import ElementTree as ET

from api.chart.style import (
    PLOT_BOTTOM,
    PLOT_LEFT,
    PLOT_RIGHT,
    PLOT_TOP,
    SERIES,
    Theme,
    label,
    marker,
    num,
    sub,
)
from domain.agreement.terms import Period
from domain.fairness.timeline import Timeline


def _x_at(index: int, count: int) -> float:
    if count == 1:
        return (PLOT_LEFT + PLOT_RIGHT) / 2
    return PLOT_LEFT + 12 + index * (PLOT_RIGHT - PLOT_LEFT - 24) / (count - 1)


def _y_at(score: Fraction) -> float:
    return PLOT_BOTTOM - float(score) / 100 * (PLOT_BOTTOM - PLOT_TOP)


def draw_scores(svg: ET.Element, timeline: Timeline, theme: Theme) -> None:
    group = sub(svg, "g", id="scores", role="group", aria_label="Scores over time")
    axes = sub(group, "g", font_size=12, fill=theme.text)
    for tick in (0, 25, 50, 75, 100):
        y = _y_at(Fraction(tick))
        sub(axes, "line", x1=PLOT_LEFT, x2=PLOT_RIGHT, y1=num(y), y2=num(y), stroke=theme.grid)
        sub(axes, "text", str(tick), x=PLOT_LEFT - 8, y=num(y + 4), text_anchor="end")
    middle = (PLOT_TOP + PLOT_BOTTOM) / 2
    sub(
        axes,
        "text",
        "Score (0–100)",
        x=18,
        y=num(middle),
        text_anchor="middle",
        transform=f"rotate(-90 18 {num(middle)})",
    )
    count = len(timeline.points)
    step = max(1, -(-count // 12))
    for index, point in enumerate(timeline.points):
        if index % step == 0 or index == count - 1:
            x = _x_at(index, count)
            sub(
                axes,
                "text",
                label(point, timeline.period),
                x=num(x),
                y=PLOT_BOTTOM + 18,
                text_anchor="middle",
            )
    unit = "Month" if timeline.period is Period.MONTH else "Week starting"
    sub(
        axes,
        "text",
        unit,
        x=num((PLOT_LEFT + PLOT_RIGHT) / 2),
        y=PLOT_BOTTOM + 38,
        text_anchor="middle",
    )
    for key, name, dash, shape in SERIES:
        colour = getattr(theme, key)
        series = sub(group, "g", role="list", aria_label=f"{name} score")
        runs: list[list[str]] = [[]]
        for index, point in enumerate(timeline.points):
            value: Fraction | None = getattr(point, key)
            if value is None:
                runs.append([])
                continue
            x, y = _x_at(index, count), _y_at(value)
            runs[-1].append(f"{num(x)},{num(y)}")
            mark = marker(series, shape, x, y, colour)
            mark.set("role", "listitem")
            sub(
                mark,
                "title",
                f"{label(point, timeline.period)}: {name.lower()} {num(float(value))}",
            )
        for run in runs:
            if len(run) > 1:
                line = sub(
                    series,
                    "polyline",
                    points=" ".join(run),
                    fill="none",
                    stroke=colour,
                    stroke_width=3 if key == "overall" else 2.5,
                )
                if dash != "none":
                    line.set("stroke-dasharray", dash)
    legend = sub(group, "g", font_size=13, fill=theme.text)
    for index, (key, name, dash, shape) in enumerate(SERIES):
        x = PLOT_LEFT + index * 170
        colour = getattr(theme, key)
        line = sub(legend, "line", x1=x, x2=x + 34, y1=80, y2=80, stroke=colour, stroke_width=3)
        if dash != "none":
            line.set("stroke-dasharray", dash)
        marker(legend, shape, x + 17, 80, colour)
        sub(legend, "text", f"{name} score", x=x + 42, y=84)
