"""Posted forms into the API's own input types, with messages to show beside each field.

A form is validated by the same pydantic schema the API validates its JSON with, so a value
the API refuses is refused here for the same reason; a domain error that names a field is
shown beside that field too.
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from babel.numbers import NumberFormatError, get_currency_precision, parse_decimal
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from api.errors import DOMAIN_PROBLEMS
from domain.errors import DomainError

M = TypeVar("M", bound=BaseModel)
FORM = "form"  # the key of a message about the form as a whole


class FormErrors(Exception):
    """Messages by field name (FORM for the form as a whole)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def of(cls, exc: DomainError) -> "FormErrors":
        return cls({(exc.field or FORM).split(".")[-1]: exc.detail})


class Form:
    """A posted form's text fields (uploads are read by the routes that take them)."""

    def __init__(self, data: FormData) -> None:
        self.data = data

    def text(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None or isinstance(value, UploadFile):
            return None
        return value.strip() or None

    def raw(self, name: str) -> str | None:
        """Exactly as typed (a password: spaces are part of it)."""
        value = self.data.get(name)
        return value if isinstance(value, str) else None

    def texts(self, name: str) -> list[str]:
        return [v.strip() for v in self.data.getlist(name) if isinstance(v, str) and v.strip()]

    def values(self) -> dict[str, str]:
        """Every text field, to fill the form again beside its messages."""
        return {k: v for k, v in self.data.items() if isinstance(v, str) and k != "csrf_token"}


def validate(model: type[M], data: dict[str, object]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            loc = [str(p) for p in error.get("loc", ())]
            errors.setdefault(loc[0] if loc else FORM, error.get("msg", "not valid"))
        raise FormErrors(errors) from None


def amount(text: str | None, *, currency: str, locale: str, field: str) -> int:
    """`12,50` (de) or `12.50` (en) → 1250 minor units; never a float, never rounded."""
    if text is None:
        raise FormErrors({field: "enter an amount"})
    try:
        value = parse_decimal(text, locale=locale, strict=False)
    except (NumberFormatError, InvalidOperation, ValueError):
        raise FormErrors({field: "enter an amount such as 12.50"}) from None
    exponent = get_currency_precision(currency)
    minor = value.scaleb(exponent)
    if minor != minor.to_integral_value() or not value.is_finite():
        raise FormErrors({field: f"{currency} has {exponent} decimal places"})
    if abs(minor) >= Decimal(10) ** 15:
        raise FormErrors({field: "that amount is too large"})
    return int(minor)


def status_of(exc: DomainError) -> int:
    """The status the API answers this domain error with (api/errors.py's one table)."""
    return next(value[0] for cls, value in DOMAIN_PROBLEMS.items() if isinstance(exc, cls))


def attempt(session: Session, action: Callable[[], None]) -> tuple[dict[str, str], int] | None:
    """Runs a form's `action`; when it is refused (bad input or a domain rule), rolls back
    whatever it wrote and returns the messages by field and the status to answer with."""
    try:
        action()
    except FormErrors as exc:
        session.rollback()
        return exc.errors, 422
    except DomainError as exc:
        session.rollback()
        return FormErrors.of(exc).errors, status_of(exc)
    return None


def whole_number(text: str | None) -> int | str | None:
    """A whole number as typed, else the text itself, for the API's schema to refuse with
    its own message (the schemas are strict: a form's "3" is not an integer to them)."""
    if text is not None and text.lstrip("-").isdigit() and len(text) < 19:
        return int(text)
    return text
