"""Pots (joint accounts), their contributions, and a member's dated incomes."""

import datetime as dt
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StrictBool

from api.schemas.common import Currency, Id, MinorUnits, Name, PatchModel, RequestModel
from api.schemas.ledger import Notes

# Ids in paths and queries: anything but NUL, which PostgreSQL cannot compare with text.
NO_NUL = r"^[^\x00]*$"


def _no_nul(text: str) -> str:
    # PostgreSQL cannot store NUL in text: refused here rather than failing at the database.
    if "\x00" in text:
        raise ValueError("text cannot contain the NUL character")
    return text


PotName = Annotated[Name, AfterValidator(_no_nul)]
PotNote = Annotated[Notes, AfterValidator(_no_nul)]
PotRate = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,20}(\.[0-9]{1,18})?$",
        max_length=40,
        examples=["1.0842"],
        description="The pot's currency per one unit of the contribution's currency, as a "
        "decimal string; must be greater than 0.",
    ),
]


class PotCreate(RequestModel):
    name: PotName
    currency: Currency | None = Field(
        default=None, description="Default: the household's currency."
    )


class PotUpdate(PatchModel):
    name: PotName | None = None
    currency: Currency | None = Field(
        default=None, description="Only while the pot has no contributions or expenses."
    )
    archived: StrictBool | None = Field(
        default=None, description="An archived pot takes no new contributions or expenses."
    )


class PlannedContribution(BaseModel):
    member_id: str
    amount: int = Field(description="A month, in the pot's currency.")


class Pot(BaseModel):
    id: str
    name: str
    currency: str
    archived: bool
    balance: int = Field(description="Contributions minus spending, in the pot's currency.")
    monthly_plan: list[PlannedContribution] | None = Field(
        default=None,
        description="What each member agreed to pay in a month, from an accepted "
        "contribution_adjustment proposal; null until one is accepted.",
    )
    created_at: datetime
    updated_at: datetime | None


class PotMember(BaseModel):
    member_id: str
    contributed: int = Field(description="Put in minus taken out, in the pot's currency.")
    held: int = Field(description="What is left in the pot that is theirs.")
    paid: int = Field(description="What the pot has paid on their behalf (their payments).")
    contribution_share: float | None = Field(
        description="Their share of everything contributed (0-1); null before any."
    )
    agreed_share: float | None = Field(
        description="Their share under the household's money agreement (0-1); null when the "
        "agreement cannot say (an income target with an income missing)."
    )
    deviation: float | None = Field(description="contribution_share - agreed_share.")


class PotDetail(Pot):
    contributed: int = Field(description="All contributions minus withdrawals.")
    spent: int = Field(description="All expenses paid from the pot minus refunds into it.")
    members: list[PotMember]


class PotContributionCreate(RequestModel):
    member_id: Id
    amount: MinorUnits = Field(description="Minor units; negative for a withdrawal; not 0.")
    currency: Currency
    date: dt.date
    note: PotNote | None = Field(default=None, description="Required for a withdrawal.")
    exchange_rate: PotRate | None = None


class PotContribution(BaseModel):
    id: str
    pot_id: str
    member_id: str
    amount: int = Field(description="In the pot's currency.")
    currency: str = Field(description="The pot's currency.")
    household_amount: int = Field(description="In the household's currency.")
    original_amount: int
    original_currency: str
    exchange_rate: str | None
    date: dt.date
    note: str | None
    created_at: datetime


class IncomeCreate(RequestModel):
    amount: MinorUnits = Field(description="Monthly income in minor units, 0 or more.")
    currency: Currency
    effective_from: dt.date = Field(description="In force from this day; at most a year ahead.")


class Income(BaseModel):
    id: str
    member_id: str
    amount: int
    currency: str
    effective_from: dt.date
    created_at: datetime
