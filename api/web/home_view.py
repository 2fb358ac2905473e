"""Everything the household home shows, read through the domain's own queries.

Reading the home brings the household up to date as the API's reads do: recurring expenses
that came due, the chore plan over its horizon, decisions past their deadline, and the
settle-up plan served (so that paying one suggested transfer leaves the others as shown).
The home's GET is a writing read for that (`writes_on_read`).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from domain.chores.chores import chore_names
from domain.chores.members import local_day
from domain.chores.models import ChoreOccurrence, Status
from domain.chores.occurrences import list_occurrences, materialise_household
from domain.decisions import closing
from domain.decisions import service as decisions
from domain.decisions.methods import Method
from domain.fairness import responding
from domain.fairness.reporting import measure_summary
from domain.households.service import Membership
from domain.ledger import settlements
from domain.ledger.recurring import anything_due, materialise_due

SHOWN = 20  # open proposals, decisions and chores listed at most


def score(value: Any) -> int | None:
    return None if value is None else round(float(value))


@dataclass
class Chore:
    occurrence: ChoreOccurrence
    title: str
    overdue: bool


@dataclass
class DecisionView:
    id: str
    title: str
    description: str | None
    method: Method
    options: list[dict[str, str]]
    closes_at: datetime | None
    voted: bool
    secret: bool
    mine: dict[str, Any]  # my open ballot, to show the form as I left it

    def rank_of(self, option_id: str) -> int | None:
        ranking = self.mine.get("ranking") or []
        return ranking.index(option_id) + 1 if option_id in ranking else None


@dataclass
class ProposalView:
    id: str
    kind: str
    rationale: str
    mine_to_answer: bool
    answered: dict[str, str] = field(default_factory=dict)


def bring_up_to_date(session: Session, membership: Membership, at: datetime) -> None:
    household = membership.household
    if anything_due(session, household=household, now=at):
        materialise_due(session, household=household, now=at)
    materialise_household(session, household=household, now=at)
    closing.close_due(session, now=at, household_id=household.id)


def home_context(session: Session, membership: Membership, at: datetime) -> dict[str, Any]:
    household, me = membership.household, membership.member
    # Read once for the summary's largest balance, Balances and the settle-up plan.
    balances = settlements.balances(session, household_id=household.id)
    summary = measure_summary(session, household=household, now=at, read_balances=balances)
    names = summary.names  # every member's, as the summary read them
    scores = summary.report.scores
    plan = settlements.settle_up_plan(
        session, household_id=household.id, now=at, read_balances=balances
    )
    today = local_day(household, at)

    proposals = responding.list_proposals(
        session, household_id=household.id, status="open", after=None, limit=SHOWN
    )
    responses = responding.responses_of(session, [p.id for p in proposals])
    proposal_views = []
    for proposal in proposals:
        answered = {r.member_id: r.response for r in responses[proposal.id]}
        proposal_views.append(
            ProposalView(
                id=proposal.id,
                kind=proposal.kind.replace("_", " "),
                rationale=proposal.rationale,
                mine_to_answer=me.id in proposal.affected_member_ids and me.id not in answered,
                answered={names.get(k, "?"): v for k, v in answered.items()},
            )
        )

    due = list_occurrences(
        session,
        household_id=household.id,
        date_from=None,
        date_to=today,
        member_id=None,
        status=Status.OPEN,
        after=None,
        limit=SHOWN,
    )
    titles = chore_names(session, household_id=household.id, chore_ids={o.chore_id for o in due})
    chores = [Chore(o, titles[o.chore_id], o.due_on < today) for o in due]

    open_decisions = decisions.list_decisions(
        session, household_id=household.id, status=decisions.OPEN, after=None, limit=SHOWN
    )
    voters = decisions.voters_of(session, [d.id for d in open_decisions])
    decision_views = []
    for d in open_decisions:
        mine = next((v for v in voters.get(d.id, []) if v.member_id == me.id), None)
        decision_views.append(
            DecisionView(
                id=d.id,
                title=d.title,
                description=d.description,
                method=Method(d.method),
                options=list(d.options),
                closes_at=d.closes_at,
                voted=mine is not None,
                secret=d.ballot == decisions.BallotKind.SECRET,
                mine=dict(mine.ballot or {}) if mine is not None else {},
            )
        )
    return {
        "names": names,
        "me": me,
        "currency": household.currency,
        "scores": {
            "overall": score(scores.overall),
            "money": score(scores.money),
            "time": score(scores.time),
        },
        "headline": summary.headline,
        "findings": list(summary.report.findings),
        "period": (summary.report.first, summary.report.last),
        "balances": sorted(balances, key=lambda b: names.get(b.member_id, "")),
        "transfers": plan.transfers,
        "today": today,
        "proposals": proposal_views,
        "chores": chores,
        "decisions": decision_views,
    }
