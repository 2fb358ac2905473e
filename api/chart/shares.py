"""The lower part: each member's actual share of money and of time over the whole range as
a bar, with an upright line at the agreed target."""

from xml.etree import ElementTree as ET

from api.chart.style import BAR_LEFT, BAR_RIGHT, GAP, PLOT_LEFT, ROW, Theme, num, pct, sub
from domain.fairness.timeline import Timeline


def draw_shares(svg: ET.Element, timeline: Timeline, theme: Theme, top: float) -> float:
    group = sub(svg, "g", id="shares", role="group", aria_label="Actual and target shares")
    sub(
        group,
        "text",
        "Actual vs target share over the whole range",
        x=PLOT_LEFT - 56,
        y=num(top),
        font_size=15,
        font_weight="bold",
        fill=theme.text,
    )
    width = BAR_RIGHT - BAR_LEFT
    y = top + 18
    dimensions = (("Money", timeline.money, theme.money), ("Time", timeline.time, theme.time))
    for member_id, name in shown(timeline).items():
        sub(
            group,
            "text",
            name,
            x=PLOT_LEFT - 56,
            y=num(y + 15),
            font_size=13,
            font_weight="bold",
            fill=theme.text,
        )
        for label, dimension, colour in dimensions:
            measure = next((m for m in dimension.members if m.member_id == member_id), None)
            sub(
                group,
                "text",
                label,
                x=BAR_LEFT - 8,
                y=num(y + 15),
                font_size=12,
                text_anchor="end",
                fill=theme.text,
            )
            sub(
                group,
                "rect",
                x=BAR_LEFT,
                y=num(y + 3),
                width=width,
                height=ROW - 6,
                fill="none",
                stroke=theme.grid,
            )
            if measure is None or dimension.score is None:
                sub(
                    group,
                    "text",
                    "no data",
                    x=BAR_LEFT + 6,
                    y=num(y + 15),
                    font_size=12,
                    fill=theme.text,
                )
                y += ROW
                continue
            actual = float(measure.actual_share) * width
            bar = sub(
                group,
                "rect",
                x=BAR_LEFT,
                y=num(y + 3),
                width=num(actual),
                height=ROW - 6,
                fill=colour,
            )
            said = (
                f"{name}, {label.lower()}: {pct(measure.actual_share)} actual, "
                f"{pct(measure.target_share)} target"
            )
            sub(bar, "title", said)
            target_x = BAR_LEFT + float(measure.target_share) * width
            sub(
                group,
                "line",
                x1=num(target_x),
                x2=num(target_x),
                y1=num(y),
                y2=num(y + ROW),
                stroke=theme.target,
                stroke_width=3,
            )
            sub(
                group,
                "text",
                f"{pct(measure.actual_share)} (target {pct(measure.target_share)})",
                x=BAR_RIGHT + 8,
                y=num(y + 15),
                font_size=12,
                fill=theme.text,
            )
            y += ROW
        y += GAP
    axis = sub(group, "g", font_size=12, fill=theme.text)
    for tick in (0, 25, 50, 75, 100):
        x = BAR_LEFT + tick / 100 * width
        sub(axis, "line", x1=num(x), x2=num(x), y1=num(y - 4), y2=num(y + 2), stroke=theme.text)
        sub(axis, "text", f"{tick}%", x=num(x), y=num(y + 16), text_anchor="middle")
    sub(
        axis,
        "text",
        "Share of the total (%); the upright line marks the agreed target",
        x=num(BAR_LEFT + width / 2),
        y=num(y + 34),
        text_anchor="middle",
    )
    return y + 50


def shown(timeline: Timeline) -> dict[str, str]:
    ids = [m.member_id for m in timeline.money.members]
    ids += [m.member_id for m in timeline.time.members if m.member_id not in ids]
    return {member_id: timeline.names.get(member_id, "?") for member_id in ids}
