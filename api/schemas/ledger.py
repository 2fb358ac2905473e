from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictBool, StrictFloat, StrictInt

from api.schemas.common import Currency, Day, Id, MinorUnits, PatchModel, RequestModel
from domain.ledger.splitting import SplitMethod

MAX_PARTICIPANTS = 100
Description = Annotated[str, Field(min_length=1, max_length=200)]
Category = Annotated[str, Field(min_length=1, max_length=64)]
Notes = Annotated[str, Field(max_length=2000)]
Rate = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,20}(\.[0-9]{1,18})?$",
        max_length=40,
        examples=["1.0842"],
        description="Household currency per one unit of the expense's currency, as a decimal "
        "string; must be greater than 0.",
    ),
]


MAX_SHARES = 1_000_000


class ParticipantIn(RequestModel):
    member_id: Id
    shares: (
        Annotated[
            StrictInt,
            Field(le=MAX_SHARES, description="`shares` method: a positive integer, at most 10^6."),
        ]
        | None
    ) = None
    percent: (
        Annotated[
            StrictInt | StrictFloat,
            Field(description="`percent` method: up to 2 decimals, summing to 100."),
        ]
        | None
    ) = None
    amount: Annotated[MinorUnits, Field(description="`exact` method: minor units.")] | None = None

    def percent_decimal(self) -> Decimal | None:
        return None if self.percent is None else Decimal(str(self.percent))


class SplitIn(RequestModel):
    method: SplitMethod
    participants: Annotated[list[ParticipantIn], Field(max_length=MAX_PARTICIPANTS)] = []


class MemberAmount(BaseModel):
    member_id: Id
    amount: MinorUnits


class PayerIn(MemberAmount, RequestModel):
    pass


class ExpenseFields(RequestModel):
    description: Description
    amount: MinorUnits = Field(description="Minor units; negative for a refund; not 0.")
    currency: Currency
    paid_by: Id | None = None
    payers: Annotated[list[PayerIn], Field(min_length=1, max_length=MAX_PARTICIPANTS)] | None = None
    paid_by_pot: Id | None = Field(
        default=None,
        description="Paid from this pot instead of by paid_by/payers: its payers are the "
        "members in proportion to what each still holds in the pot at the expense's date.",
    )
    split: SplitIn | None = Field(default=None, description="Default: the household agreement.")
    exchange_rate: Rate | None = None
    category: Category | None = None
    notes: Notes | None = None


class ExpenseCreate(ExpenseFields):
    date: Day


class ExpenseFieldsPatch(PatchModel):
    nullable = frozenset(
        {"exchange_rate", "category", "notes", "split", "paid_by", "payers", "paid_by_pot"}
    )

    description: Description | None = None
    amount: MinorUnits | None = None
    currency: Currency | None = None
    paid_by: Id | None = None
    payers: Annotated[list[PayerIn], Field(min_length=1, max_length=MAX_PARTICIPANTS)] | None = None
    paid_by_pot: Id | None = None
    split: SplitIn | None = None
    exchange_rate: Rate | None = None
    category: Category | None = None
    notes: Notes | None = None


class ExpenseUpdate(ExpenseFieldsPatch):
    date: Day | None = None


class ParticipantOut(BaseModel):
    member_id: str
    shares: int | None = None
    percent: float | None = None
    amount: int | None = None


class SplitOut(BaseModel):
    method: SplitMethod
    participants: list[ParticipantOut]

    @classmethod
    def of(cls, method: str, participants: list[dict[str, Any]]) -> "SplitOut":
        return cls(
            method=SplitMethod(method),
            participants=[
                ParticipantOut(**{**p, "percent": float(Decimal(p["percent"]))})
                if "percent" in p
                else ParticipantOut(**p)
                for p in participants
            ],
        )


class Expense(BaseModel):
    id: str
    description: str
    amount: int = Field(description="In the household currency, minor units.")
    currency: str
    original_amount: int
    original_currency: str
    exchange_rate: str | None
    date: Day
    paid_by: str | None = Field(description="The payer when there is exactly one.")
    payers: list[MemberAmount]
    paid_by_pot: str | None = Field(default=None, description="The pot it was paid from.")
    split: SplitOut
    shares: list[MemberAmount]
    category: str | None
    notes: str | None
    recurring_id: str | None
    created_at: datetime
    updated_at: datetime | None


class SettlementCreate(RequestModel):
    from_member_id: Id
    to_member_id: Id
    amount: MinorUnits = Field(description="Minor units, positive.")
    currency: Currency
    date: Day
    note: Notes | None = None
    exchange_rate: Rate | None = None


class Settlement(BaseModel):
    id: str
    from_member_id: str
    to_member_id: str
    amount: int
    currency: str
    original_amount: int
    original_currency: str
    exchange_rate: str | None
    date: Day
    note: str | None
    created_at: datetime


class Balance(BaseModel):
    member_id: str
    paid: int
    owed: int
    net: int = Field(description="paid - owed + sent - received; > 0 means others owe them.")


class Balances(BaseModel):
    currency: str
    data: list[Balance]


class Transfer(BaseModel):
    from_member_id: str
    to_member_id: str
    amount: int
    currency: str


class SettleUp(BaseModel):
    transfers: list[Transfer]
    exact: bool = Field(description="True when the number of transfers is proven minimal.")
    currency: str


class RateIn(RequestModel):
    currency: Currency
    date: Day
    rate: Rate


class RatesPut(RequestModel):
    rates: Annotated[list[RateIn], Field(min_length=1, max_length=1000)]


class ExchangeRate(BaseModel):
    currency: str
    date: Day
    rate: str


class ExchangeRates(BaseModel):
    base_currency: str
    data: list[ExchangeRate]


class RecurringCreate(ExpenseFields):
    rrule: Annotated[
        str, Field(min_length=1, max_length=500, examples=["FREQ=MONTHLY;BYMONTHDAY=1"])
    ]
    starts_on: Day
    ends_on: Day | None = None


class RecurringUpdate(ExpenseFieldsPatch):
    nullable = ExpenseFieldsPatch.nullable | {"ends_on"}

    rrule: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    active: StrictBool | None = None


class Recurring(BaseModel):
    id: str
    description: str
    amount: int
    currency: str
    paid_by: str | None
    payers: list[MemberAmount] | None
    paid_by_pot: str | None = None
    split: SplitOut
    exchange_rate: str | None
    category: str | None
    notes: str | None
    rrule: str
    starts_on: Day
    ends_on: Day | None
    active: bool
    created_at: datetime


ExportFormat = Literal["csv", "json"]
