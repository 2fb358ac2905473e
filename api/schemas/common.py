"""Building blocks every request and response schema shares."""

import datetime as dt
import re
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictInt,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from domain.calendar import FIRST_DAY, LAST_DAY, RANGE
from domain.money import is_known_currency

MAX_MINOR_UNITS = 10**15


class RequestModel(BaseModel):
    """Request bodies: unknown fields are an error, so nobody can mass-assign `role` or `id`."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL refuses NUL in text (SQLite stores it): refuse it here, on every
        # backend alike, rather than as a 500 from the database on one of them.
        if has_nul(value):
            raise ValueError("text cannot contain NUL (U+0000) characters")
        return value


def has_nul(value: Any) -> bool:
    """Whether a NUL character hides anywhere in a value: strings, keys, lists, models."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_nul(item) for item in value)
    if isinstance(value, BaseModel):
        return any(has_nul(getattr(value, name)) for name in type(value).model_fields)
    return False


class PatchModel(RequestModel):
    """PATCH bodies: only the fields sent change; `null` is allowed only where it means
    "clear this", and every other field rejects it."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*")
    @classmethod
    def _no_null_for_required(cls, value: Any, info: ValidationInfo) -> Any:
        # A field validator, not a model one, so the 422 names the field in its `loc`.
        # It runs only for fields the client sent: an omitted field stays unchanged.
        if value is None and info.field_name not in cls.nullable:
            raise ValueError(f"'{info.field_name}' cannot be null")
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The type says `X | None` so that an omitted field can be told from a sent one; the
        # document must not offer null where the validator above refuses it.
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        names = {field.alias or name: name for name, field in cls.model_fields.items()}
        for key, prop in target.get("properties", {}).items():
            if names.get(key, key) in cls.nullable or "anyOf" not in prop:
                continue
            kinds = [kind for kind in prop["anyOf"] if kind != {"type": "null"}]
            del prop["anyOf"]
            prop.pop("default", None)
            prop.update(kinds[0] if len(kinds) == 1 else {"anyOf": kinds})
        return schema

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


def _currency(code: str) -> str:
    if not is_known_currency(code):
        raise ValueError(f"'{code}' is not an ISO 4217 currency code")
    return code


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{name}' is not an IANA time zone") from exc
    return name


Currency = Annotated[
    str,
    Field(min_length=3, max_length=3, pattern="^[A-Z]{3}$", examples=["EUR"]),
    AfterValidator(_currency),
]
TimeZone = Annotated[
    str, Field(min_length=1, max_length=64, examples=["Europe/Berlin"]), AfterValidator(_timezone)
]
MinorUnits = Annotated[
    StrictInt,
    Field(
        ge=-MAX_MINOR_UNITS,
        le=MAX_MINOR_UNITS,
        description="Integer minor units of the currency (cents for EUR, yen for JPY).",
    ),
]
_DAY_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ].+")


def _on_calendar(text: str) -> str:
    # The year alone decides: text outside 1900-2999 may not even parse (year 0, 10000).
    if not FIRST_DAY.year <= int(text[:4]) <= LAST_DAY.year:
        raise ValueError(f"dates run {RANGE}")
    return text


def _day_text(value: Any) -> Any:
    # Lax parsing would read 0 or "0" as 1970-01-01, a Unix time: on the wire a date is
    # YYYY-MM-DD text, nothing else. Date objects are the app's own (responses): let be.
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DAY_TEXT.fullmatch(value):
        return _on_calendar(value)
    raise ValueError("a date is written YYYY-MM-DD")


def _moment_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _MOMENT_TEXT.fullmatch(value):
        return _on_calendar(value)
    raise ValueError("a time is written as RFC 3339 text, e.g. 2026-03-01T18:30:00+01:00")


Day = Annotated[dt.date, BeforeValidator(_day_text)]
Moment = Annotated[dt.datetime, BeforeValidator(_moment_text)]
AwareMoment = Annotated[AwareDatetime, BeforeValidator(_moment_text)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Id = Annotated[str, Field(min_length=1, max_length=36)]


class Money(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: MinorUnits
    currency: Currency
