"""The report and the summary, and `fairness.changed`.

The household's last overall score is kept (one row): whenever the current period is
measured for the summary or for proposals, a move of more than the tolerance (as points:
0.05 is 5 points) since that score records `fairness.changed`. A score appearing or
vanishing (no data yet in a new month) updates the row without an event.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import SYSTEM, record
from domain.agreement.versions import Version, version_on, versions
from domain.chores.members import local_day
from domain.decisions.statistics import household_decision_stats
from domain.fairness.dimensions import Measured, measure_period
from domain.fairness.findings import findings, headline
from domain.fairness.models import FairnessScore, Proposal
from domain.fairness.periods import check_span, containing
from domain.goals.fairness import ActiveGoals, active_goals, measure_goals
from domain.households.models import Household
from domain.ledger.settlements import MemberBalance, balances
from domain.money import Money, to_major
from domain.proposals.scores import Report, scores_of


def current_period(
    session: Session, household: Household, now: datetime, history: list[Version] | None = None
) -> tuple[date, date]:
    """From the start of this week or month (as agreed) to today, household time.
    `history`: the household's agreement versions, when the caller has read them."""
    today = local_day(household, now)
    if history is None:
        history = versions(session, household.id)
    period = version_on(history, today).agreement.period
    return containing(today, period)[0], today


def build_report(
    session: Session,
    *,
    household: Household,
    first: date,
    last: date,
    history: list[Version] | None = None,
    goals: ActiveGoals | None = None,
) -> tuple[Report, Measured]:
    """`history` (the agreement versions) and `goals` (`active_goals`): when the caller has
    read them."""
    check_span(first, last)
    measured = measure_period(session, household=household, first=first, last=last, history=history)
    agreement = measured.agreement
    scores = scores_of(measured.money.score, measured.time.score, agreement.dimension_weights)
    shown = set(measured.order)
    decisions = [
        d
        for d in household_decision_stats(
            session,
            household=household,
            date_from=first,
            date_to=last,
            member_ids=measured.member_ids,
        )
        if d.member_id in shown or d.proposed or d.ballots
    ]
    check_ins = measured.check_ins
    sentences = findings(
        names=measured.names,
        money=measured.money,
        time=measured.time,
        decisions=decisions,
        check_ins=check_ins,
        tolerance=agreement.tolerance,
        overall_score=scores.overall,
    )
    report = Report(
        first=first,
        last=last,
        currency=household.currency,
        scores=scores,
        money=measured.money,
        time=measured.time,
        decisions=decisions,
        check_ins=check_ins,
        findings=[*sentences, *measured.notes],
        agreement_version=measured.version.number,
        tolerance=agreement.tolerance,
        goals=measure_goals(
            session, household=household, order=list(measured.order), last=last, read=goals
        ).dimension,
    )
    return report, measured


@dataclass(frozen=True)
class Summary:
    report: Report
    headline: str
    open_proposals: int
    largest_balance: Decimal
    tracked: bool  # the score kept is this one, for this period: `track` would change nothing
    names: dict[str, str]  # every member's display name, in member id order
    goals: ActiveGoals  # read for the report, and for the nearest goal


def summary(session: Session, *, household: Household, now: datetime) -> Summary:
    """The summary, its score kept (`track`)."""
    result = measure_summary(session, household=household, now=now)
    track(session, household=household, report=result.report, now=now)
    return result


def measure_summary(
    session: Session,
    *,
    household: Household,
    now: datetime,
    read_balances: list[MemberBalance] | None = None,
) -> Summary:
    """The summary without keeping its score: it only reads. `read_balances`: the
    household's balances, when the caller has read them."""
    history = versions(session, household.id)
    first, last = current_period(session, household, now, history)
    goals = active_goals(session, household.id)
    report, measured = build_report(
        session, household=household, first=first, last=last, history=history, goals=goals
    )
    if read_balances is None:
        read_balances = balances(session, household_id=household.id)
    nets = [abs(b.net) for b in read_balances]
    # The open proposals and the kept score in one round trip.
    open_count, kept_score, kept_to = session.execute(
        select(
            select(func.count())
            .select_from(Proposal)
            .where(col(Proposal.household_id) == household.id, col(Proposal.status) == "open")
            .scalar_subquery(),
            _kept(household.id, col(FairnessScore.overall_score)),
            _kept(household.id, col(FairnessScore.period_to)),
        )
    ).one()
    return Summary(
        report,
        headline(report.findings),
        open_count or 0,
        to_major(Money(max(nets, default=0), household.currency)),
        kept_to is not None and (kept_score, kept_to) == (_overall(report), report.last),
        measured.names,
        goals,
    )


def _kept(household_id: str, column: Any) -> Any:
    return select(column).where(col(FairnessScore.household_id) == household_id).scalar_subquery()


def track(session: Session, *, household: Household, report: Report, now: datetime) -> None:
    """Keep the current period's overall score; record `fairness.changed` on a big move."""
    score = _overall(report)
    stored = session.get(FairnessScore, household.id)
    if stored is None:
        try:
            with session.begin_nested():
                session.add(
                    FairnessScore(
                        household_id=household.id,
                        overall_score=score,
                        period_from=report.first,
                        period_to=report.last,
                        recorded_at=now,
                    )
                )
        except IntegrityError:
            pass  # a concurrent request recorded the same period's score first
        return
    previous = stored.overall_score
    if previous == score and stored.period_to == report.last:
        return
    if (
        previous is not None
        and score is not None
        and abs(score - previous) > float(report.tolerance * 100)
    ):
        record(
            session,
            household_id=household.id,
            type=events.FAIRNESS_CHANGED,
            subject_id=household.id,
            actor=SYSTEM,
            data={
                "overall_score": round(score, 1),
                "previous_score": round(previous, 1),
                "money_score": _one(report.scores.money),
                "time_score": _one(report.scores.time),
                "from": report.first.isoformat(),
                "to": report.last.isoformat(),
            },
        )
    stored.overall_score = score
    stored.period_from, stored.period_to = report.first, report.last
    stored.recorded_at = now


def _overall(report: Report) -> float | None:
    return None if report.scores.overall is None else float(report.scores.overall)


def _one(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 1)
