"""The chart in words: the `<desc>` a screen reader reads out instead of the picture."""

from datetime import date

from api.chart.shares import shown
from api.chart.style import num, pct
from domain.agreement.terms import Period
from domain.fairness.timeline import Timeline
from domain.proposals.measures import Dimension


def span(first: date, last: date) -> str:
    return f"{first.isoformat()} to {last.isoformat()}"


def _trend(timeline: Timeline, key: str, name: str) -> str:
    values = [getattr(p, key) for p in timeline.points if getattr(p, key) is not None]
    if not values:
        return f"{name}: no data."
    if len(values) == 1:
        return f"{name}: {num(float(values[0]))}."
    low, high = min(values), max(values)
    return (
        f"{name}: from {num(float(values[0]))} to {num(float(values[-1]))} "
        f"(lowest {num(float(low))}, highest {num(float(high))})."
    )


def _shares_sentence(name: str, label: str, dimension: Dimension, member_id: str) -> str | None:
    measure = next((m for m in dimension.members if m.member_id == member_id), None)
    if measure is None or dimension.score is None:
        return None
    return f"{label} {pct(measure.actual_share)} (target {pct(measure.target_share)})"


def describe(timeline: Timeline) -> str:
    """The chart in words: what a screen reader says for it."""
    unit = "month" if timeline.period is Period.MONTH else "week"
    parts = [
        f"Fairness scores (0 to 100, 100 is exactly as agreed) per {unit}, "
        f"{span(timeline.first, timeline.last)}.",
        _trend(timeline, "overall", "Overall"),
        _trend(timeline, "money", "Money"),
        _trend(timeline, "time", "Time"),
    ]
    for member_id, name in shown(timeline).items():
        shares = [
            s
            for s in (
                _shares_sentence(name, "money", timeline.money, member_id),
                _shares_sentence(name, "time", timeline.time, member_id),
            )
            if s
        ]
        if shares:
            parts.append(f"{name}: {', '.join(shares)}.")
    return " ".join(parts)
