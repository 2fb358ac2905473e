from datetime import datetime
from typing import Annotated

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
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=4)] | None = Field(
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
