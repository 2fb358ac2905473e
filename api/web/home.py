"""A household's home (/app/households/{id}): the fairness picture and what to do next.

Each action is a form that posts here and calls the service the API's route calls, as the
signed-in member; success redirects back to the home (post/redirect/get), a refusal shows
the home again with the message beside the form's field and nothing written.
"""

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import RedirectResponse, Response

from api import chart
from api.deps import DbSession, Now, writes_on_read
from api.schemas.fairness import CheckInCreate
from api.schemas.ledger import SettlementCreate
from api.web.ballots import ballot_of
from api.web.cookies import remember_household
from api.web.forms import FormErrors, attempt, validate, whole_number
from api.web.home_view import bring_up_to_date, home_context
from api.web.routing import WebRoute
from api.web.session import HouseholdOfViewer, Posted, PostedForm, Viewed, Viewing
from api.web.templating import render
from domain.chores import completion
from domain.chores.members import local_day
from domain.chores.occurrences import get_occurrence
from domain.decisions import service as decisions
from domain.decisions.methods import Method
from domain.fairness import check_ins, responding
from domain.fairness.timeline import default_range, timeline
from domain.ledger import settlements

router = APIRouter(prefix="/app/households/{household_id}", route_class=WebRoute)
Id = Annotated[str, Path(max_length=36)]


def _page(
    page: Viewing,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    notice: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    session, membership, at = page.session, page.membership, page.at
    bring_up_to_date(session, membership, at)
    response = render(
        page.request,
        "home.html",
        {
            "viewer": page.viewer,
            "csrf": page.viewer.csrf,
            "household": membership.household,
            "membership": membership,
            "section": "home",
            "errors": errors or {},
            "values": values or {},
            "notice": notice,
            **home_context(session, membership, at),
        },
        status_code=status_code,
    )
    remember_household(response, page.request, membership.household.id)
    return response


# What a successful form says once the browser is back on the home (?done=…).
DONE = {
    "settle-up": "Recorded as paid.",
    "proposals": "Your answer is recorded.",
    "chores": "Marked as done.",
    "decisions": "Your vote is recorded.",
    "check-in": "Check-in sent. Thank you.",
}


@router.get("")
@writes_on_read
def home_page(page: Viewed, done: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    notice: tuple[str, str] | None = None
    if done is not None and done in DONE:
        notice = (done, DONE[done])
    return _page(page, notice=notice)


@router.get("/fairness.svg")
def fairness_chart(
    membership: HouseholdOfViewer,
    session: DbSession,
    at: Now,
    theme: Annotated[Literal["light", "dark"], Query()] = "light",
) -> Response:
    """The chart of `GET /v1/households/{id}/fairness/chart.svg`, for the signed-in browser."""
    household = membership.household
    last = local_day(household, at)
    first = default_range(session, household, last)[0]
    drawn = timeline(session, household=household, first=first, last=last)
    return Response(
        content=chart.render(drawn, theme=theme),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=60"},
    )


def _act(post: Posted, *, form_name: str, action: Callable[[], None], anchor: str) -> Response:
    """Runs `action`; on a refusal, shows the home again with the form's messages."""
    refused = attempt(post.session, action)
    if refused is not None:
        errors, status = refused
        return _page(
            post,
            errors={form_name: errors},
            values={form_name: post.form.values()},
            status_code=status,
        )
    url = f"/app/households/{post.membership.household.id}?done={anchor}#{anchor}"
    return RedirectResponse(url, status_code=303)


@router.post("/settlements")
def mark_as_paid(post: PostedForm) -> Response:
    """A suggested transfer, paid: recorded as `POST …/settlements` records it."""
    household = post.membership.household

    def action() -> None:
        body = validate(
            SettlementCreate,
            {
                "from_member_id": post.form.text("from_member_id"),
                "to_member_id": post.form.text("to_member_id"),
                "amount": whole_number(post.form.text("amount")),
                "currency": household.currency,
                "date": local_day(household, post.at),
            },
        )
        settlements.create_settlement(
            post.session,
            household=household,
            actor=post.membership.actor,
            data=settlements.SettlementInput(
                from_member_id=body.from_member_id,
                to_member_id=body.to_member_id,
                amount=body.amount,
                currency=body.currency,
                date=body.date,
            ),
        )

    return _act(post, form_name="settle", action=action, anchor="settle-up")


@router.post("/proposals/{proposal_id}/response")
def respond_to_proposal(proposal_id: Id, post: PostedForm) -> Response:
    """Accept or reject, as the signed-in member (`PUT …/responses/{member_id}`)."""

    def action() -> None:
        answer = post.form.text("response")
        if answer not in ("accept", "reject"):
            raise FormErrors({"response": "choose Accept or Reject"})
        proposal = responding.get_proposal(
            post.session, household_id=post.membership.household.id, proposal_id=proposal_id
        )
        responding.respond(
            post.session,
            membership=post.membership,
            proposal=proposal,
            member=post.membership.member,
            accept=answer == "accept",
            note=None,
            now=post.at,
        )

    return _act(post, form_name=f"proposal-{proposal_id}", action=action, anchor="proposals")


@router.post("/chore-occurrences/{occurrence_id}/done")
def complete_chore(occurrence_id: Id, post: PostedForm) -> Response:
    """Done, by the signed-in member (`POST …/chore-occurrences/{id}/complete`)."""

    def action() -> None:
        occurrence = get_occurrence(
            post.session,
            household_id=post.membership.household.id,
            occurrence_id=occurrence_id,
            for_update=True,
        )
        completion.complete_occurrence(
            post.session,
            membership=post.membership,
            occurrence=occurrence,
            completion=completion.Completion(),
            now=post.at,
        )

    return _act(post, form_name=f"chore-{occurrence_id}", action=action, anchor="chores")


@router.post("/decisions/{decision_id}/vote")
def vote(decision_id: Id, post: PostedForm) -> Response:
    """The signed-in member's ballot (`PUT …/decisions/{id}/votes/{member_id}`)."""

    def action() -> None:
        decision = decisions.get_decision(
            post.session, household_id=post.membership.household.id, decision_id=decision_id
        )
        ballot = ballot_of(Method(decision.method), decisions.option_ids(decision), post.form)
        decisions.cast_vote(
            post.session,
            membership=post.membership,
            decision=decision,
            member_id=post.membership.member.id,
            raw_ballot=ballot,
            now=post.at,
        )

    return _act(post, form_name=f"decision-{decision_id}", action=action, anchor="decisions")


@router.post("/check-ins")
def check_in(post: PostedForm) -> Response:
    """How fair it feels and how heard (`POST …/check-ins`), for the signed-in member."""

    def action() -> None:
        body = validate(
            CheckInCreate,
            {
                "member_id": post.membership.member.id,
                "fairness": whole_number(post.form.text("fairness")),
                "heard": whole_number(post.form.text("heard")),
                "note": post.form.text("note"),
                "share_note": post.form.text("share_note") == "on",
            },
        )
        check_ins.create_check_in(
            post.session,
            membership=post.membership,
            member_id=body.member_id,
            fairness=body.fairness,
            heard=body.heard,
            note=body.note,
            share_note=body.share_note,
            now=post.at,
        )

    return _act(post, form_name="check-in", action=action, anchor="check-in")
