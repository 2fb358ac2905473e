"""The household state MQTT publishes as retained state: the same flat object as the API's
`…/fairness/summary`, so a Home Assistant sensor reads the same fields either way (the
nearest goal's progress included).

Like reading the summary through the API, computing it records `fairness.changed` when the
overall score moved by more than the agreed tolerance.
"""

from collections.abc import Callable
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy.orm import Session

from domain.fairness.reporting import summary
from domain.goals.nearest import nearest_goal_fields
from domain.households.models import Household

SummaryProvider = Callable[[Session, Household, datetime], dict[str, Any]]


def fairness_summary(session: Session, household: Household, now: datetime) -> dict[str, Any]:
    result = summary(session, household=household, now=now)
    scores = result.report.scores
    return {
        "overall_score": _score(scores.overall),
        "money_score": _score(scores.money),
        "time_score": _score(scores.time),
        "headline": result.headline,
        "open_proposals": result.open_proposals,
        "currency": result.report.currency,
        "largest_balance": float(result.largest_balance),
        **nearest_goal_fields(session, household, now, read=result.goals),
        "updated_at": now.isoformat(),
    }


def _score(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 1)
