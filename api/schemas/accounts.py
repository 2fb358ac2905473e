from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictInt

from api.schemas.common import Id, Name, PatchModel, RequestModel
from domain.accounts.scopes import Scope

Email = Annotated[
    str,
    Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", examples=["sam@example.org"]),
]
Password = Annotated[str, Field(min_length=8, max_length=256)]


class UserCreate(RequestModel):
    email: Email
    password: Password
    display_name: Name


class User(BaseModel):
    id: str
    email: str
    display_name: str
    created_at: datetime


class MeHousehold(BaseModel):
    id: str
    name: str
    member_id: str
    role: str


class Me(User):
    households: list[MeHousehold]


class MeUpdate(PatchModel):
    display_name: Name | None = None
    password: Password | None = None
    current_password: Annotated[str, Field(max_length=256)] | None = None


class TokenCreate(RequestModel):
    email: Email
    password: Annotated[str, Field(min_length=1, max_length=256)]
    name: Name
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=5)] | None = Field(
        default=None, description="Default: read, write, admin."
    )
    household_id: Id | None = Field(
        default=None, description="Restrict the token to one household."
    )
    expires_in_days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = None


class Token(BaseModel):
    id: str
    name: str
    scopes: list[Scope]
    household_id: str | None
    expires_at: datetime | None
    created_at: datetime


class TokenCreated(Token):
    token: str = Field(description="The bearer token. Shown only in this response.")


class AccountDelete(RequestModel):
    current_password: Annotated[str, Field(min_length=1, max_length=256)]

    model_config = {
        "json_schema_extra": {"examples": [{"current_password": "the password you log in with"}]}
    }


class ExportAccount(BaseModel):
    id: str
    email: str
    display_name: str
    created_at: datetime


class ExportToken(BaseModel):
    id: str
    name: str
    scopes: list[str]
    household_id: str | None
    expires_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class ExportHousehold(BaseModel):
    id: str
    name: str
    currency: str
    timezone: str


class ExportMembership(BaseModel):
    household: ExportHousehold
    member: dict[str, Any] = Field(description="The member as stored (income included).")
    records: dict[str, list[dict[str, Any]]] = Field(
        description="Per table, the rows that name this member: expenses they recorded, "
        "shares, settlements, chore occurrences, time entries, open ballots, responses, "
        "check-ins, their incomes, contributions, the activity they caused. Secret "
        "ballots are not among them: nothing links one to its voter."
    )


class AccountExport(BaseModel):
    exported_at: datetime
    account: ExportAccount
    tokens: list[ExportToken] = Field(description="Metadata only: a token's secret is never kept.")
    memberships: list[ExportMembership]
