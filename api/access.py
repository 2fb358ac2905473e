"""Who is calling, and into which household: one statement a request.

A household route needs four answers before it does its own work: the token (who, which
scopes, restricted to which household, revoked or expired), the caller's member row in the
household of the path (and the household), the household version (for the ETag) and whether
recurring expenses have come due (a read of the ledger makes them first). Asked one by one
they were four statements, each built, compiled and run on its own, and each in a dependency
of its own (a thread hop apiece). Here they are one prebuilt statement, read with the token,
and the checks that decide what the caller may do stay where they were (api/deps.py), in
the same order, on its answer: the statement only fetches, it never decides.

The due check is exact although the household's timezone is only known from the answer:
the household-local day is always the UTC day, the day before or the day after (UTC-12 to
UTC+14), so the statement asks all three and the caller picks the one that is today.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.accounts.models import ApiToken
from domain.accounts.service import TOKEN_COLUMNS, Principal, hash_token, principal_of
from domain.households.models import Household, Member
from domain.households.service import Membership
from domain.households.versions import version_of
from domain.ledger.recurring import due_on, local_today

# Scope key: what the token's statement found for the household of the path.
SCOPE_KEY = "fairstead.access"
_DAYS = ("day_before", "utc_day", "day_after")

_STATEMENT = (
    select(
        *TOKEN_COLUMNS,
        Household,
        Member,
        version_of(col(Household.id)).label("household_version"),
        *(due_on(col(Household.id), bindparam(day)).label(day) for day in _DAYS),
    )
    .select_from(ApiToken)
    .outerjoin(
        Member,
        and_(
            col(Member.user_id) == col(ApiToken.user_id),
            col(Member.household_id) == bindparam("household"),
        ),
    )
    .outerjoin(Household, col(Household.id) == col(Member.household_id))
    .where(col(ApiToken.token_hash) == bindparam("token_hash"))
)


@dataclass
class Access:
    """The token's statement's answer for one household: the caller's membership there (None:
    not a member, or no such household), the version and the due check, as of that read."""

    token_id: str
    household_id: str
    membership: Membership | None
    version: int | None  # None: to be read again (something was written since)
    due: dict[date, bool]

    def anything_due(self, at: datetime) -> bool | None:
        """Whether recurring expenses are due at `at`, household-local (None: not known)."""
        if self.membership is None:
            return None
        return self.due.get(local_today(self.membership.household, at))


def authenticate(
    session: Session, *, secret: str, at: datetime, household_id: str
) -> tuple[Principal, Access]:
    """The token's caller (or 401, as `accounts.authenticate`), and what the same statement
    found in `household_id` for them; nothing here grants anything."""
    utc_day = at.astimezone(UTC).date()
    days = {name: utc_day + timedelta(days=offset) for offset, name in enumerate(_DAYS, -1)}
    row: Any = session.execute(
        _STATEMENT,
        {"token_hash": hash_token(secret), "household": household_id, **days},
    ).first()
    principal = principal_of(row, at)
    assert row is not None
    household, member = row.Household, row.Member
    membership = (
        None
        if household is None or member is None
        else Membership(household=household, member=member, user_id=principal.user_id)
    )
    access = Access(
        token_id=principal.token_id,
        household_id=household_id,
        membership=membership,
        version=int(row.household_version or 0),
        due={day: bool(getattr(row, name)) for name, day in days.items()},
    )
    return principal, access
