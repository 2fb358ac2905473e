"""The expense form: posted fields into the API's own `ExpenseCreate`, and an expense back
into the fields that show it.

Fields: description, amount, currency, exchange_rate, date, category, notes; `paid_by` is a
member id or `several` (then `payer-{member_id}` holds each payer's amount); `split_method`
is one of the API's methods, with `in-{member_id}` (equal: who shares) or
`share-{member_id}` (exact: an amount, percent: a percentage, shares: a whole number).
The member ids come from the field names as posted and are checked by the domain, as the
API checks the ids of a JSON body: one of another household is refused beside its field.
"""

from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, get_currency_precision, parse_decimal
from pydantic import ValidationError

from api.schemas.ledger import ExpenseCreate
from api.web.forms import FORM, Form, FormErrors
from api.web.forms import amount as parse_amount
from domain.errors import DomainError
from domain.ledger.expense_input import ExpenseInput
from domain.ledger.splitting import SplitMethod

SEVERAL = "several"
METHODS = [
    (SplitMethod.AGREEMENT.value, "By the household agreement"),
    (SplitMethod.EQUAL.value, "Equally"),
    (SplitMethod.EXACT.value, "Exact amounts"),
    (SplitMethod.PERCENT.value, "Percentages"),
    (SplitMethod.SHARES.value, "Shares"),
]
# Where a message about a part of the API's body is shown on the form.
_SHOWN_AT = {"payers": "paid_by", "paid_by_pot": "paid_by", "split": "split"}


def shown_at(path: str | None) -> str:
    first = (path or FORM).split(".", 1)[0]
    return _SHOWN_AT.get(first, first)


def domain_errors(exc: DomainError) -> FormErrors:
    return FormErrors({shown_at(exc.field): exc.detail})


def _ids(form: Form, prefix: str) -> list[str]:
    return [k[len(prefix) :] for k in form.data if k.startswith(prefix) and len(k) <= 80]


def _percent(text: str, locale: str) -> float:
    try:
        value = parse_decimal(text, locale=locale, strict=False)
    except (NumberFormatError, InvalidOperation, ValueError):
        raise ValueError("enter a percentage such as 50 or 33.33") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")) or abs(value) > 1000:
        raise ValueError("a percentage has at most 2 decimal places")
    return float(value)


def _split(form: Form, *, currency: str, locale: str, errors: dict[str, str]) -> object:
    method = form.text("split_method") or SplitMethod.AGREEMENT.value
    if method == SplitMethod.AGREEMENT.value:
        return None
    if method == SplitMethod.EQUAL.value:
        chosen = [i for i in _ids(form, "in-") if form.text(f"in-{i}")]
        return {"method": method, "participants": [{"member_id": i} for i in chosen]}
    participants: list[dict[str, object]] = []
    for member_id in _ids(form, "share-"):
        text = form.text(f"share-{member_id}")
        if text is None:
            continue
        try:
            if method == SplitMethod.EXACT.value:
                value: object = parse_amount(
                    text, currency=currency, locale=locale, field=f"share-{member_id}"
                )
                key = "amount"
            elif method == SplitMethod.PERCENT.value:
                value, key = _percent(text, locale), "percent"
            else:
                if not text.isdigit() or len(text) > 9:
                    raise ValueError("shares are whole numbers such as 1 or 2")
                value, key = int(text), "shares"
        except FormErrors as exc:
            errors.update(exc.errors)
            continue
        except ValueError as exc:
            errors[f"share-{member_id}"] = str(exc)
            continue
        participants.append({"member_id": member_id, key: value})
    return {"method": method, "participants": participants}


def expense_body(form: Form, *, household_currency: str, locale: str) -> ExpenseCreate:
    """The form as the API's `ExpenseCreate`; every message at once, beside its field."""
    errors: dict[str, str] = {}
    currency = (form.text("currency") or household_currency).upper()
    data: dict[str, object] = {
        "description": form.text("description"),
        "currency": currency,
        "date": form.text("date"),
        "exchange_rate": form.text("exchange_rate"),
        "category": form.text("category"),
        "notes": form.text("notes"),
    }

    def money_of(field: str) -> int | None:
        try:
            return parse_amount(form.text(field), currency=currency, locale=locale, field=field)
        except FormErrors as exc:
            errors.update(exc.errors)
            return None

    data["amount"] = money_of("amount")
    payer = form.text("paid_by")
    if payer == SEVERAL:
        payers = []
        for member_id in _ids(form, "payer-"):
            if form.text(f"payer-{member_id}") is not None:
                payers.append({"member_id": member_id, "amount": money_of(f"payer-{member_id}")})
        if not payers:
            errors.setdefault("paid_by", "enter what each payer paid")
        data["payers"] = payers
    elif payer is None:
        errors["paid_by"] = "choose who paid"
    else:
        data["paid_by"] = payer
    data["split"] = _split(form, currency=currency, locale=locale, errors=errors)
    try:
        body = ExpenseCreate.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = [str(p) for p in error.get("loc", ())]
            errors.setdefault(shown_at(".".join(loc) if loc else None), error["msg"])
        raise FormErrors(errors) from None
    if errors:
        raise FormErrors(errors)
    return body


def decimal_text(minor: int, currency: str, locale: str) -> str:
    """1250 EUR → `12.50` (en) or `12,50` (de): an amount as the form takes it back."""
    exponent = get_currency_precision(currency)
    value = Decimal(minor).scaleb(-exponent)
    return format_decimal(
        value,
        format="0." + "0" * exponent if exponent else "0",
        locale=locale,
        group_separator=False,
    )


def expense_values(data: ExpenseInput, locale: str) -> dict[str, str]:
    """An expense as its client last described it, as the form's fields."""

    def money(minor: int) -> str:
        return decimal_text(minor, data.currency, locale)

    values = {
        "description": data.description,
        "amount": money(data.amount),
        "currency": data.currency,
        "date": data.date.isoformat(),
        "exchange_rate": str(data.exchange_rate) if data.exchange_rate is not None else "",
        "category": data.category or "",
        "notes": data.notes or "",
        "split_method": data.split_method.value,
    }
    if data.paid_by is not None:
        values["paid_by"] = data.paid_by
    elif data.payers:
        values["paid_by"] = SEVERAL
        for p in data.payers:
            values[f"payer-{p.member_id}"] = money(p.amount)
    for part in data.participants:
        values[f"in-{part.member_id}"] = "on"
        if part.amount is not None:
            values[f"share-{part.member_id}"] = money(part.amount)
        elif part.percent is not None:
            values[f"share-{part.member_id}"] = format_decimal(part.percent, locale=locale)
        elif part.shares is not None:
            values[f"share-{part.member_id}"] = str(part.shares)
    return values
