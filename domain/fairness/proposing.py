"""Generating proposals for a period, and storing any draft as an open proposal.

Generating again replaces what is still open from the last time: open proposals of the
generated kinds become `superseded` (an open agreement change stays: a member asked for it).
"""

from collections.abc import Sequence
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.agreement.terms import Period
from domain.chores.members import local_day
from domain.chores.occurrences import materialise_household
from domain.fairness import queries
from domain.fairness.chore_rebalance import rebalance_for
from domain.fairness.dimensions import Measured, measure_period
from domain.fairness.findings import LOW_RATING
from domain.fairness.kinds import GENERATED, fingerprint
from domain.fairness.models import Proposal
from domain.fairness.periods import check_span, complete_before
from domain.fairness.pots.proposals import contribution_drafts
from domain.fairness.reporting import build_report, current_period, track
from domain.fairness.review import (
    RUNS,
    PeriodMeasure,
    agreement_review_drafts,
    decision_balance_draft,
)
from domain.goals.fairness import goal_rebalance_for
from domain.households.models import Household
from domain.households.service import Membership
from domain.ledger.settlements import balances, settle_up_plan
from domain.proposals.drafts import Draft, Situation, settle_up_draft, time_compensation_draft
from domain.proposals.scores import Scores, scores_of


def situation_of(measured: Measured, household: Household) -> Situation:
    agreement = measured.agreement
    return Situation(
        order=measured.order,
        active=measured.active,
        names=measured.names,
        currency=household.currency,
        tolerance=agreement.tolerance,
        dimension_weights=agreement.dimension_weights,
        money=measured.money,
        time=measured.time,
        scores=scores_of(measured.money.score, measured.time.score, agreement.dimension_weights),
    )


def generate(
    session: Session, *, membership: Membership, first: date, last: date, now: datetime
) -> list[Proposal]:
    check_span(first, last)
    household = membership.household
    materialise_household(session, household=household, now=now)
    report, measured = build_report(session, household=household, first=first, last=last)
    if (first, last) == current_period(session, household, now):
        track(session, household=household, report=report, now=now)
    situation = situation_of(measured, household)
    agreement = measured.agreement
    plan = settle_up_plan(session, household_id=household.id, now=now)
    ledger = balances(session, household_id=household.id)  # the transfers' basis: all time
    drafts: list[Draft | None] = [
        settle_up_draft(
            situation,
            contributed={b.member_id: b.owed + b.net for b in ledger},
            owed={b.member_id: b.owed for b in ledger},
            transfers=plan.transfers,
        ),
        rebalance_for(
            session,
            household=household,
            measured=measured,
            situation=situation,
            agreement=agreement,
            today=local_day(household, now),
        ),
        time_compensation_draft(situation, hour_value=agreement.hour_value),
        *_reviews(session, household, situation, last, agreement.period),
        decision_balance_draft(
            situation,
            decisions=report.decisions,
            category=queries.top_category(session, household, first, last),
        ),
        goal_rebalance_for(
            session, household=household, situation=situation, first=first, last=last
        ),
        *contribution_drafts(
            session,
            household=household,
            measured=measured,
            situation=situation,
            first=first,
            last=last,
        ),
    ]
    supersede_open(session, household.id, GENERATED, now)
    return [
        store(session, household=household, draft=d, first=first, last=last, actor=membership.actor)
        for d in drafts
        if d is not None
    ]


def _reviews(
    session: Session, household: Household, situation: Situation, last: date, period: Period
) -> list[Draft]:
    spans = complete_before(last, period, RUNS)
    history = [
        PeriodMeasure(a, b, m.money, m.time)
        for a, b in spans
        for m in [measure_period(session, household=household, first=a, last=b)]
    ]
    lows = queries.low_check_ins(
        session, household.id, spans[0][0], spans[-1][1], at_most=LOW_RATING
    )
    return agreement_review_drafts(situation, history=history, period=period, low_check_ins=lows)


def supersede_open(
    session: Session, household_id: str, kinds: Sequence[str], now: datetime
) -> None:
    session.execute(
        update(Proposal)
        .where(
            col(Proposal.household_id) == household_id,
            col(Proposal.status) == "open",
            col(Proposal.kind).in_(kinds),
        )
        .values(status="superseded", closed_at=now, version=col(Proposal.version) + 1)
    )


def store(
    session: Session,
    *,
    household: Household,
    draft: Draft,
    first: date | None,
    last: date | None,
    actor: Actor,
) -> Proposal:
    proposal = Proposal(
        household_id=household.id,
        kind=draft.kind.value,
        period_from=first,
        period_to=last,
        rationale=draft.rationale[:4000],
        affected_member_ids=list(draft.affected),
        expected=expected_json(draft.expected),
        details=draft.details,
        fingerprint=fingerprint(
            session,
            household=household,
            kind=draft.kind,
            first=first,
            last=last,
            details=draft.details,
        ),
        created_by_member_id=actor.member_id,
    )
    session.add(proposal)
    session.flush()
    record(
        session,
        household_id=household.id,
        type=events.PROPOSAL_CREATED,
        subject_id=proposal.id,
        actor=actor,
        data={
            "kind": proposal.kind,
            "affected_member_ids": proposal.affected_member_ids,
            "from": first.isoformat() if first else None,
            "to": last.isoformat() if last else None,
        },
    )
    return proposal


def expected_json(scores: Scores) -> dict[str, float | None]:
    return {
        "overall_score": _one(scores.overall),
        "money_score": _one(scores.money),
        "time_score": _one(scores.time),
    }


def _one(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 1)
