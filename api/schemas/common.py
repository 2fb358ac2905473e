"""Building blocks every request and response schema shares."""

from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    field_validator,
)

from domain.money import is_known_currency

MAX_MINOR_UNITS = 10**15


class RequestModel(BaseModel):
    """Request bodies: unknown fields are an error, so nobody can mass-assign `role` or `id`."""

    model_config = ConfigDict(extra="forbid")


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
Name = Annotated[str, Field(min_length=1, max_length=100)]
Id = Annotated[str, Field(min_length=1, max_length=36)]


class Money(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: MinorUnits
    currency: Currency
