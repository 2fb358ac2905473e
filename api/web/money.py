"""Money: expenses, settlements and bank-file reviews for one household (/app/…/money).

Each form calls the service its API route calls, as the signed-in member, with the body
validated by the API's own schema (`ExpenseCreate`, `ReviewResolve`). Editing and deleting
carry the version the form was drawn from, checked as `If-Match` is: a stale form says so
and writes nothing. Success redirects (post/redirect/get); a refusal draws the form again
with each message beside its field, after rolling back whatever was written.
"""

from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from api.deps import writes_on_read
from api.errors import DOMAIN_PROBLEMS
from api.routers.expenses import to_input
from api.schemas.imports import ReviewResolve
from api.web.forms import FORM, Form, FormErrors, validate
from api.web.money_forms import (
    METHODS,
    SEVERAL,
    domain_errors,
    expense_body,
    expense_values,
    shown_at,
)
from api.web.money_view import Filters, money_context
from api.web.routing import WebRoute
from api.web.session import PostedForm, Viewed, Viewing
from api.web.templating import locale_of, render
from domain.chores.members import local_day
from domain.db import yielding_commit
from domain.errors import DomainError
from domain.households.members import household_members
from domain.households.service import Membership
from domain.imports import reviews
from domain.imports.connections import get_connection
from domain.ledger import expenses as ledger
from domain.ledger.expense_input import input_of
from domain.ledger.models import Expense
from domain.ledger.recurring import anything_due, materialise_due
from domain.ledger.splitting import Participant, SplitMethod
from integrations.file_import import FileOptions, import_file
from integrations.files.formats import FORMATS

router = APIRouter(prefix="/app/households/{household_id}/money", route_class=WebRoute)
# The upload form's path, for the body-size middleware: as large as the API's bank files.
UPLOAD_PATH = r"/app/households/[^/]+/money/imports"
Id = Annotated[str, Path(max_length=36)]
Text = Annotated[str | None, Query(max_length=200)]
STALE = (
    "Someone changed this expense after you opened it, so nothing was saved. "
    "Here it is as it is now: make your change again."
)


def _base(membership: Membership) -> str:
    return f"/app/households/{membership.household.id}/money"


def _status(exc: FormErrors | DomainError) -> int:
    if isinstance(exc, FormErrors):
        return 422
    return next(v[0] for cls, v in DOMAIN_PROBLEMS.items() if isinstance(exc, cls))


def _errors(exc: FormErrors | DomainError) -> dict[str, str]:
    return exc.errors if isinstance(exc, FormErrors) else domain_errors(exc).errors


def _page(
    page: Viewing,
    filters: Filters,
    *,
    filter_errors: dict[str, str] | None = None,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        page.request,
        "money/index.html",
        {
            "viewer": page.viewer,
            "csrf": page.viewer.csrf,
            "household": page.membership.household,
            "membership": page.membership,
            "section": "money",
            "filter_errors": filter_errors or {},
            "errors": errors or {},
            "values": values or {},
            "formats": sorted(FORMATS),
            "uploaded": page.request.query_params.get("uploaded"),
            **money_context(page.session, page.membership, filters),
        },
        status_code=status_code,
    )


def _filters(
    date_from: str | None,
    date_to: str | None,
    member: str | None,
    q: str | None,
    cursor: str | None,
) -> tuple[Filters, dict[str, str]]:
    errors: dict[str, str] = {}

    def day(text: str | None, field: str) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            errors[field] = "enter a date such as 2026-03-01"
            return None

    filters = Filters(
        date_from=day(date_from, "from"),
        date_to=day(date_to, "to"),
        member_id=member or None,
        text=(q or "").strip() or None,
        cursor=cursor or None,
    )
    return filters, errors


@router.get("")
@writes_on_read
def money_page(
    page: Viewed,
    date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    member: Annotated[str | None, Query(max_length=36)] = None,
    q: Text = None,
    cursor: Annotated[str | None, Query(max_length=128)] = None,
) -> Response:
    """Recurring expenses that came due are made first, as `GET …/expenses` makes them."""
    household = page.membership.household
    if anything_due(page.session, household=household, now=page.at):
        materialise_due(page.session, household=household, now=page.at)
    filters, filter_errors = _filters(date_from, date_to, member, q, cursor)
    try:
        return _page(page, filters, filter_errors=filter_errors)
    except DomainError as exc:  # a cursor this page did not give out
        return _page(page, Filters(), filter_errors={"form": exc.detail}, status_code=422)


# ---- expenses ------------------------------------------------------------------------------


def _expense_form(
    page: Viewing,
    *,
    expense: Expense | None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    household = page.membership.household
    members = household_members(page.session, household.id)
    if values is None:
        values = {
            "currency": household.currency,
            "date": local_day(household, page.at).isoformat(),
            "paid_by": page.membership.member.id,
            "split_method": SplitMethod.EQUAL.value,
            **{f"in-{m.id}": "on" for m in members.values() if m.active},
        }
    return render(
        page.request,
        "money/expense.html",
        {
            "viewer": page.viewer,
            "csrf": page.viewer.csrf,
            "household": household,
            "membership": page.membership,
            "section": "money",
            "expense": expense,
            "members": [m for m in members.values() if m.active or f"in-{m.id}" in values],
            "methods": METHODS,
            "several": SEVERAL,
            "values": values,
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/expenses/new")
def new_expense(page: Viewed) -> Response:
    return _expense_form(page, expense=None)


@router.post("/expenses")
def create_expense(post: PostedForm) -> Response:
    """Recorded as `POST …/expenses` records it."""
    household = post.membership.household
    locale = locale_of(post.request)
    try:
        body = expense_body(post.form, household_currency=household.currency, locale=locale)
        ledger.create_expense(
            post.session,
            household=household,
            actor=post.membership.actor,
            data=to_input(body, body.date),
        )
    except (FormErrors, DomainError) as exc:
        post.session.rollback()
        return _expense_form(
            post, expense=None,
            values=post.form.values(), errors=_errors(exc), status_code=_status(exc),
        )  # fmt: skip
    return RedirectResponse(f"{_base(post.membership)}#expenses", status_code=303)


def _version(form: Form) -> int | None:
    text = form.text("version")
    return int(text) if text is not None and text.isdigit() and len(text) < 12 else None


@router.get("/expenses/{expense_id}")
def edit_expense(expense_id: Id, page: Viewed) -> Response:
    expense = ledger.get_expense(
        page.session, household_id=page.membership.household.id, expense_id=expense_id
    )
    values = expense_values(input_of(expense), locale_of(page.request))
    return _expense_form(page, expense=expense, values={**values, "version": str(expense.version)})


def _stale(page: Viewing, expense: Expense) -> Response:
    """The form again, drawn from the expense as it is now, with the version it has now."""
    values = expense_values(input_of(expense), locale_of(page.request))
    return _expense_form(
        page, expense=expense,
        values={**values, "version": str(expense.version)},
        errors={FORM: STALE}, status_code=412,
    )  # fmt: skip


@router.post("/expenses/{expense_id}")
def update_expense(expense_id: Id, post: PostedForm) -> Response:
    """Changed as `PATCH …/expenses/{id}` with `If-Match` changes it: every field is sent,
    so the expense becomes exactly what the form shows."""
    session, household = post.session, post.membership.household
    expense = ledger.get_expense(session, household_id=household.id, expense_id=expense_id)
    if _version(post.form) != expense.version:
        return _stale(post, expense)
    locale = locale_of(post.request)
    try:
        body = expense_body(post.form, household_currency=household.currency, locale=locale)
        data = to_input(body, body.date)
        if expense.pot_id is not None and body.paid_by is None and body.payers is None:
            data = replace(data, paid_by_pot=expense.pot_id)
        ledger.update_expense(
            session, household=household, actor=post.membership.actor, expense=expense,
            data=data, now=post.at,
        )  # fmt: skip
    except (FormErrors, DomainError) as exc:
        session.rollback()
        return _expense_form(
            post,
            expense=ledger.get_expense(session, household_id=household.id, expense_id=expense_id),
            values=post.form.values(), errors=_errors(exc), status_code=_status(exc),
        )  # fmt: skip
    return RedirectResponse(f"{_base(post.membership)}#expenses", status_code=303)


@router.post("/expenses/{expense_id}/delete")
def delete_expense(expense_id: Id, post: PostedForm) -> Response:
    """Deleted as `DELETE …/expenses/{id}` with `If-Match` deletes it."""
    expense = ledger.get_expense(
        post.session, household_id=post.membership.household.id, expense_id=expense_id
    )
    if _version(post.form) != expense.version:
        return _stale(post, expense)
    ledger.delete_expense(post.session, actor=post.membership.actor, expense=expense)
    return RedirectResponse(f"{_base(post.membership)}#expenses", status_code=303)


# ---- bank files ----------------------------------------------------------------------------


@router.post("/imports")
def upload_bank_file(post: PostedForm) -> Response:
    """Imported as `POST …/imports` imports it: unmapped accounts are the uploader's."""
    household = post.membership.household
    upload = post.form.data.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise FormErrors({"file": "choose a bank file (OFX, QIF, CSV or CAMT.053)"})
        fmt = post.form.text("format")
        if fmt is not None and fmt not in FORMATS:
            raise FormErrors({"format": "choose one of the formats listed"})
        currency = (post.form.text("currency") or "").upper() or None
        if currency is not None and (len(currency) != 3 or not currency.isalpha()):
            raise FormErrors({"currency": "a three-letter code such as EUR"})
        connection_id = post.form.text("connection_id")
        connection = (
            get_connection(post.session, household_id=household.id, connection_id=connection_id)
            if connection_id
            else None
        )
        run = import_file(
            post.session,
            household=household,
            actor=post.membership.actor,
            data=upload.file.read(),
            filename=upload.filename,
            options=FileOptions(format=fmt, account=post.form.text("account"), currency=currency),
            connection=connection,
            default_member=post.membership.member.id,
            now=post.at,
            checkpoint=yielding_commit(post.session),
        )
    except (FormErrors, DomainError) as exc:
        post.session.rollback()
        errors = _errors(exc) if isinstance(exc, FormErrors) else {
            shown_at(exc.field) if exc.field else "file": exc.detail
        }  # fmt: skip
        return _page(
            post, Filters(),
            errors={"upload": errors}, values={"upload": post.form.values()},
            status_code=_status(exc),
        )  # fmt: skip
    return RedirectResponse(f"{_base(post.membership)}?uploaded={run.id}#imports", status_code=303)


@router.post("/reviews/{row_id}")
def resolve_review(row_id: Id, post: PostedForm) -> Response:
    """Decided as `POST …/import-reviews/{id}/resolve` decides: shared (split by the
    agreement, paid by the chosen member), personal or ignore."""
    household = post.membership.household
    try:
        action = post.form.text("action")
        if action not in ("shared", "personal", "ignore"):
            raise FormErrors({"action": "choose shared, personal or ignore"})
        fields: dict[str, object] = {
            "action": action,
            "paid_by": post.form.text("paid_by") if action == "shared" else None,
        }
        body = validate(ReviewResolve, fields)
        row = reviews.get_imported(post.session, household_id=household.id, row_id=row_id)
        reviews.resolve_review(
            post.session,
            household=household,
            actor=post.membership.actor,
            row=row,
            resolution=reviews.Resolution(
                action=body.action,
                paid_by=body.paid_by,
                split_method=SplitMethod.AGREEMENT,
                participants=tuple[Participant, ...](),
            ),
            now=post.at,
        )
    except (FormErrors, DomainError) as exc:
        post.session.rollback()
        name = f"review-{row_id}"
        return _page(
            post, Filters(),
            errors={name: _errors(exc)}, values={name: post.form.values()},
            status_code=_status(exc),
        )  # fmt: skip
    return RedirectResponse(f"{_base(post.membership)}#reviews", status_code=303)
