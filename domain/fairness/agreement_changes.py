"""Changing the agreement: at once in a household of one, otherwise as an
`agreement_change` proposal that takes effect only when every active member accepts.

The member who asks has accepted by asking. A newer request replaces an open one.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import record
from domain.agreement import versions as agreements
from domain.agreement.terms import Agreement
from domain.chores.members import local_day
from domain.errors import InvalidInput
from domain.fairness.dimensions import measure_period
from domain.fairness.models import Proposal
from domain.fairness.proposing import store, supersede_open
from domain.fairness.reporting import current_period
from domain.fairness.responding import record_response
from domain.fairness.review import agreement_change_draft
from domain.households.service import Membership
from domain.proposals.drafts import Kind
from domain.proposals.scores import scores_of


@dataclass(frozen=True)
class Change:
    """Either the version now in force, or the proposal waiting for everyone."""

    version: agreements.Version | None
    proposal: Proposal | None


def put_agreement(
    session: Session,
    *,
    membership: Membership,
    agreement: Agreement,
    hour_value_currency: str | None,
    now: datetime,
) -> Change:
    household = membership.household
    if hour_value_currency is not None and hour_value_currency != household.currency:
        raise InvalidInput(
            f"hour_value must be in the household's currency, {household.currency}",
            field="hour_value.currency",
        )
    agreements.check_for(session, household, agreement)
    active = agreements.active_members(session, household.id)
    today = local_day(household, now)
    if len(active) <= 1:
        version = agreements.apply(
            session, household=household, agreement=agreement, actor=membership.actor, today=today
        )
        return Change(version, None)
    first, last = current_period(session, household, now)
    measured = measure_period(
        session, household=household, first=first, last=last, agreement=agreement
    )
    draft = agreement_change_draft(
        proposer=membership.member.id,
        names={m.id: m.display_name for m in active},
        active=[m.id for m in active],
        agreement=agreement,
        currency=household.currency,
        expected=scores_of(measured.money.score, measured.time.score, agreement.dimension_weights),
        terms=agreements.terms_of(agreement),
        base_version=agreements.in_force(session, household.id, None).number,
    )
    supersede_open(session, household.id, [Kind.AGREEMENT_CHANGE.value], now)
    proposal = store(
        session, household=household, draft=draft, first=None, last=None, actor=membership.actor
    )
    if membership.member.id in proposal.affected_member_ids:
        record_response(session, proposal, membership.member.id, True, None, membership.actor, now)
        record(
            session,
            household_id=household.id,
            type=events.PROPOSAL_ACCEPTED,
            subject_id=proposal.id,
            actor=membership.actor,
            data={"kind": proposal.kind, "member_id": membership.member.id, "status": "open"},
        )
    return Change(None, proposal)
