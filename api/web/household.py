"""Household: members, the agreement, invitations and the activity feed (/app/…/household).

Who may do what is the API's rule, not a copy of it: adding a member, inviting and revoking
go through `api.deps`' admin check (the one `AdminHousehold` routes use), changing a member
through `domain.households.service.update_member` (admins change anyone, a member
themself), and the agreement form is an admin's (the issue's "admins edit; others read"),
through the admin check and then the API's own `put_agreement` service. Forms carry the
version they were drawn from; a stale one writes nothing and says so.
"""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import DbSession, HouseholdId, Now, Settings_
from api.deps import _admin_household as admin_membership
from api.errors import DOMAIN_PROBLEMS
from api.schemas.fairness import MoneyTerms, TimeTerms
from api.schemas.households import InvitationCreate, MemberCreate, MemberUpdate
from api.web.forms import FORM, Form, FormErrors, validate
from api.web.household_view import agreement_values, household_context
from api.web.routing import WebRoute
from api.web.session import CheckedForm, Posted, PostedForm, SignedIn, Viewed, Viewing
from api.web.templating import render
from domain.agreement import versions as agreements
from domain.agreement.terms import MoneyTarget, Period, TimeTarget
from domain.chores.members import local_day
from domain.errors import DomainError
from domain.fairness.agreement_changes import put_agreement
from domain.households import invitations
from domain.households import service as households
from domain.households.incomes import follow_member_field
from domain.households.service import Membership

router = APIRouter(prefix="/app/households/{household_id}/household", route_class=WebRoute)
Id = Annotated[str, Path(max_length=36)]
STALE = (
    "Someone changed this after you opened the page, so nothing was saved: here it is as it is now."
)


def _page(
    page: Viewing,
    *,
    cursor: str | None = None,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    new_link: str | None = None,
    status_code: int = 200,
) -> Response:
    context = household_context(page.session, page.membership, page.at, cursor)
    shown = dict(values or {})
    shown.setdefault("agreement", agreement_values(context["agreement"]))
    return render(
        page.request,
        "household/index.html",
        {
            "viewer": page.viewer,
            "csrf": page.viewer.csrf,
            "household": page.membership.household,
            "membership": page.membership,
            "section": "household",
            "errors": errors or {},
            "values": shown,
            "new_link": new_link,
            "targets": {"money": list(MoneyTarget), "time": list(TimeTarget)},
            "periods": list(Period),
            **context,
        },
        status_code=status_code,
    )


def _admin_posted(
    request: Request,
    viewer: SignedIn,
    household_id: HouseholdId,
    form: CheckedForm,
    session: DbSession,
    at: Now,
) -> Posted:
    """An admin's form: the API's admin check (`AdminHousehold`'s), after the CSRF check and
    before the action runs."""
    membership = admin_membership(session, viewer.principal, household_id)
    return Posted(request, viewer, membership, session, at, form)


AdminPosted = Annotated[Posted, Depends(_admin_posted)]


def _refused(post: Posted, form_name: str, exc: FormErrors | DomainError) -> Response:
    post.session.rollback()
    if isinstance(exc, FormErrors):
        errors, status = exc.errors, 422
    else:
        errors = FormErrors.of(exc).errors
        status = next(v[0] for cls, v in DOMAIN_PROBLEMS.items() if isinstance(exc, cls))
    sent = post.form.values()
    # a message about a field this form does not have is the form's own
    errors = {k if k in sent or k == FORM else FORM: v for k, v in errors.items()}
    if isinstance(exc, DomainError) and exc.field and exc.field.startswith(("money.", "time.")):
        errors = {f"{exc.field.split('.')[0]}_target": exc.detail}
    return _page(post, errors={form_name: errors}, values={form_name: sent}, status_code=status)


def _back(membership: Membership, anchor: str) -> RedirectResponse:
    url = f"/app/households/{membership.household.id}/household#{anchor}"
    return RedirectResponse(url, status_code=303)


def _version(form: Form) -> int | None:
    text = form.text("version")
    return int(text) if text is not None and text.isdigit() and len(text) < 12 else None


def _minutes(text: str | None) -> int | str | None:
    return int(text) if text is not None and text.isdigit() and len(text) < 9 else text


@router.get("")
def household_page(
    page: Viewed, feed: Annotated[str | None, Query(max_length=128)] = None
) -> Response:
    try:
        return _page(page, cursor=feed)
    except DomainError as exc:  # a feed cursor this page did not give out
        return _page(page, errors={"feed": {FORM: exc.detail}}, status_code=422)


# ---- members -------------------------------------------------------------------------------


@router.post("/members")
def add_member(post: AdminPosted) -> Response:
    """A member without an account, as `POST …/members` adds one (admins only)."""
    try:
        body = validate(
            MemberCreate,
            {
                "display_name": post.form.text("display_name"),
                "weekly_available_minutes": _minutes(post.form.text("weekly_available_minutes")),
            },
        )
        member = households.add_member(
            post.session,
            membership=post.membership,
            fields=body.model_dump(exclude={"monthly_income"}),
            now=post.at,
        )
        today = local_day(post.membership.household, post.at)
        follow_member_field(post.session, member=member, today=today)
    except (FormErrors, DomainError) as exc:
        return _refused(post, "add-member", exc)
    return _back(post.membership, "members")


@router.post("/members/{member_id}")
def change_member(member_id: Id, post: PostedForm) -> Response:
    """As `PATCH …/members/{id}` with `If-Match`: admins change anyone (role too)."""
    member = households.get_member(
        post.session, household_id=post.membership.household.id, member_id=member_id
    )
    name = f"member-{member_id}"
    if _version(post.form) != member.version:
        return _page(post, errors={name: {FORM: STALE}}, status_code=412)
    try:
        fields: dict[str, Any] = {
            "display_name": post.form.text("display_name"),
            "weekly_available_minutes": _minutes(post.form.text("weekly_available_minutes")),
            "active": post.form.text("active") == "on",
        }
        if post.form.text("role") is not None:
            fields["role"] = post.form.text("role")
        body = validate(MemberUpdate, fields)
        changes = {k: v for k, v in body.changes().items() if getattr(member, k) != v}
        if changes:
            households.update_member(
                post.session, membership=post.membership, member=member, changes=changes
            )
    except (FormErrors, DomainError) as exc:
        return _refused(post, name, exc)
    return _back(post.membership, "members")


# ---- the agreement -------------------------------------------------------------------------


def _weights(form: Form, prefix: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in form.data:
        if key.startswith(prefix) and len(key) <= 60:
            text = form.text(key)
            if text is None:
                continue
            try:
                value = Decimal(text)
            except InvalidOperation:
                raise FormErrors({key: "a weight is a number such as 1 or 1.5"}) from None
            if not value.is_finite() or value < 0 or value > 10**6:
                raise FormErrors({key: "a weight is 0 or more"})
            out[key[len(prefix) :]] = float(value)
    return out


def _tolerance(text: str | None) -> Fraction:
    try:
        value = Decimal(text or "")
    except InvalidOperation:
        raise FormErrors({"tolerance": "a percentage such as 5"}) from None
    if not value.is_finite() or not 0 <= value < 100 or value != value.quantize(Decimal("0.01")):
        raise FormErrors({"tolerance": "a percentage from 0 to under 100, at most 2 decimals"})
    return Fraction(value) / 100


@router.post("/agreement")
def change_agreement(post: AdminPosted) -> Response:
    """As `PUT …/agreement` with `If-Match`: in force at once in a household of one active
    member, otherwise an agreement_change proposal that everyone affected must accept.
    Effort and load multipliers, the hour value and the dimension weights are kept."""
    current = agreements.in_force(post.session, post.membership.household.id, None)
    if _version(post.form) != current.number:
        return _page(post, errors={"agreement": {FORM: STALE}}, status_code=412)
    form = post.form
    try:
        money = validate(
            MoneyTerms,
            {"target": form.text("money_target"), "weights": _weights(form, "money-") or None},
        )
        time = validate(
            TimeTerms,
            {"target": form.text("time_target"), "weights": _weights(form, "time-") or None},
        )
        period = form.text("period")
        if period not in {p.value for p in Period}:
            raise FormErrors({"period": "choose week or month"})
        agreement = replace(
            current.agreement,
            money=money.target,
            money_weights={m: Fraction(str(w)) for m, w in (money.weights or {}).items()}
            if money.target == MoneyTarget.CUSTOM
            else {},
            time=time.target,
            time_weights={m: Fraction(str(w)) for m, w in (time.weights or {}).items()}
            if time.target == TimeTarget.CUSTOM
            else {},
            period=Period(period),
            tolerance=_tolerance(form.text("tolerance")),
        )
        put_agreement(
            post.session,
            membership=post.membership,
            agreement=agreement,
            hour_value_currency=None,
            now=post.at,
        )
    except (FormErrors, DomainError) as exc:
        return _refused(post, "agreement", exc)
    return _back(post.membership, "agreement")


# ---- invitations ---------------------------------------------------------------------------


@router.post("/invitations")
def invite(post: AdminPosted, settings: Settings_) -> Response:
    """As `POST …/invitations` (admins): the link is shown once, on the page this answers."""
    try:
        body = validate(InvitationCreate, {"role": post.form.text("role") or "member"})
        _, code = invitations.create_invitation(
            post.session,
            membership=post.membership,
            role=body.role,
            member_id=None,
            ttl=timedelta(hours=settings.invitation_ttl_hours),
            now=post.at,
        )
    except (FormErrors, DomainError) as exc:
        return _refused(post, "invite", exc)
    link = str(post.request.base_url).rstrip("/") + f"/app/join/{code}"
    return _page(post, new_link=link, status_code=201)


@router.post("/invitations/{invitation_id}/revoke")
def revoke(invitation_id: Id, post: AdminPosted) -> Response:
    try:
        invitations.revoke_invitation(
            post.session, membership=post.membership, invitation_id=invitation_id, now=post.at
        )
    except DomainError as exc:
        return _refused(post, "invite", exc)
    return _back(post.membership, "invitations")
