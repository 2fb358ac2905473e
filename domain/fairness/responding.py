"""Responses to proposals, and applying a proposal exactly once.

Any reject closes a proposal. When every affected member has accepted, the proposal is
claimed with a conditional UPDATE (`status = 'open'` → `accepted`): of two last
acceptances racing, one claims it and the other finds it closed, so nothing is applied
twice. Then, if the data it was computed from has changed, it is `superseded`; otherwise
it is `applied`:
- chore_rebalance: the occurrences are reassigned (`chore.assigned`, like any reassignment);
- agreement_change: the new agreement takes effect from today;
- settle_up: the transfers stand as suggested settlements (`details.suggested_settlements`),
  which members record as settlements when they pay;
- time_compensation: each transfer becomes a debt in the ledger — an expense paid by the
  member compensated, borne entirely by the member who pays — so balances and settle-up
  carry it and the payment, once made, is an ordinary settlement. (Recording the payment
  itself as a settlement without the debt would make settle-up ask for it back.)
Advisory kinds (agreement_review, decision_balance) change nothing and stay `accepted`.
Applying a chore rebalance or a time compensation supersedes the other one if still open:
they are two answers to the same imbalance.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import Conflict, InvalidInput
from domain.fairness.kinds import fingerprint, rules_of
from domain.fairness.models import Proposal, ProposalResponse
from domain.households.models import Household, Member
from domain.households.service import Membership, acting_for
from domain.paging import newest_id_first
from domain.proposals.drafts import Kind
from domain.scoping import get_in_household

OPEN, ACCEPTED, REJECTED, SUPERSEDED, APPLIED = (
    "open",
    "accepted",
    "rejected",
    "superseded",
    "applied",
)


def get_proposal(session: Session, *, household_id: str, proposal_id: str) -> Proposal:
    return get_in_household(session, Proposal, proposal_id, household_id, what="proposal")


def list_proposals(
    session: Session, *, household_id: str, status: str | None, after: str | None, limit: int
) -> list[Proposal]:
    query = select(Proposal).where(Proposal.household_id == household_id)
    if status is not None:
        query = query.where(Proposal.status == status)
    return list(session.scalars(newest_id_first(query, Proposal.id, after=after, limit=limit)))


def pending_agreement_change(session: Session, *, household_id: str) -> str | None:
    """The open agreement_change proposal, if a member asked for one."""
    return session.scalar(
        select(Proposal.id).where(
            Proposal.household_id == household_id,
            Proposal.kind == Kind.AGREEMENT_CHANGE.value,
            Proposal.status == OPEN,
        )
    )


def responses_of(session: Session, proposal_ids: list[str]) -> dict[str, list[ProposalResponse]]:
    out: dict[str, list[ProposalResponse]] = {p: [] for p in proposal_ids}
    if proposal_ids:
        rows = session.scalars(
            select(ProposalResponse)
            .where(ProposalResponse.proposal_id.in_(proposal_ids))
            .order_by(ProposalResponse.responded_at, ProposalResponse.member_id)
        )
        for row in rows:
            out[row.proposal_id].append(row)
    return out


def find_response(
    session: Session, *, proposal: Proposal, member_id: str
) -> ProposalResponse | None:
    return session.get(ProposalResponse, (proposal.id, member_id))


def respond(
    session: Session,
    *,
    membership: Membership,
    proposal: Proposal,
    member: Member,
    accept: bool,
    note: str | None,
    now: datetime,
) -> ProposalResponse:
    actor = acting_for(membership, member)
    if proposal.status != OPEN:
        raise Conflict(f"this proposal is {proposal.status}; it takes no more responses")
    if member.id not in proposal.affected_member_ids:
        raise InvalidInput(
            f"{member.display_name} is not affected by this proposal", field="member_id"
        )
    response = record_response(session, proposal, member.id, accept, note, actor, now)
    event = record(
        session,
        household_id=proposal.household_id,
        type=events.PROPOSAL_ACCEPTED if accept else events.PROPOSAL_REJECTED,
        subject_id=proposal.id,
        actor=actor,
        data={"kind": proposal.kind, "member_id": member.id},
    )
    if not accept:
        _close(session, proposal, REJECTED, now)
    elif _all_accepted(session, proposal):
        finish(session, household=membership.household, proposal=proposal, actor=actor, now=now)
    # The proposal's status after this response: still open, or how it ended.
    event.data = {**event.data, "status": proposal.status}
    return response


def record_response(
    session: Session,
    proposal: Proposal,
    member_id: str,
    accept: bool,
    note: str | None,
    actor: Actor,
    now: datetime,
) -> ProposalResponse:
    response = session.get(ProposalResponse, (proposal.id, member_id))
    if response is None:
        response = ProposalResponse(
            proposal_id=proposal.id, member_id=member_id, response="", responded_at=now, version=0
        )
        session.add(response)
    response.response = "accept" if accept else "reject"
    response.note = note
    response.responded_by_member_id = actor.member_id if actor.on_behalf_of_member_id else None
    response.responded_at = now
    response.version += 1
    session.flush()
    return response


def _all_accepted(session: Session, proposal: Proposal) -> bool:
    accepted = set(
        session.scalars(
            select(ProposalResponse.member_id).where(
                ProposalResponse.proposal_id == proposal.id, ProposalResponse.response == "accept"
            )
        )
    )
    return set(proposal.affected_member_ids) <= accepted


def _close(session: Session, proposal: Proposal, status: str, now: datetime) -> None:
    """Open → `status`, only if still open (the conditional UPDATE is the lock)."""
    claimed = session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == OPEN)
        .values(status=status, closed_at=now, version=Proposal.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict("this proposal was closed by another response just now")
    session.refresh(proposal)


def finish(
    session: Session, *, household: Household, proposal: Proposal, actor: Actor, now: datetime
) -> None:
    _close(session, proposal, ACCEPTED, now)
    rules = rules_of(proposal.kind)  # an unknown kind fails here, loudly
    kind = Kind(proposal.kind)
    current = fingerprint(
        session,
        household=household,
        kind=kind,
        first=proposal.period_from,
        last=proposal.period_to,
        details=proposal.details,
    )
    stale = current != proposal.fingerprint
    apply = rules.apply
    if stale or (apply is not None and not apply(session, household, proposal, actor, now)):
        _mark(proposal, SUPERSEDED, "the data it was computed from has changed since")
        return
    if rules.apply is None:  # advisory: accepted, nothing to change
        return
    _mark(proposal, APPLIED, None)
    record(
        session,
        household_id=household.id,
        type=events.PROPOSAL_APPLIED,
        subject_id=proposal.id,
        actor=actor,
        data={"kind": proposal.kind},
    )
    other = rules.alternative
    if other is not None:
        session.execute(
            update(Proposal)
            .where(
                Proposal.household_id == household.id,
                Proposal.kind == other.value,
                Proposal.status == OPEN,
            )
            .values(status=SUPERSEDED, closed_at=now, version=Proposal.version + 1)
        )


def _mark(proposal: Proposal, status: str, reason: str | None) -> None:
    proposal.status = status
    details: dict[str, Any] = dict(proposal.details)
    if reason is not None:
        details["superseded_because"] = reason
    if status == APPLIED and "transfers" in details and proposal.kind == Kind.SETTLE_UP.value:
        details["suggested_settlements"] = details["transfers"]
    proposal.details = details
