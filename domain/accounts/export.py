"""Everything Fairstead holds about one user, as plain JSON-ready values.

The account, its tokens' metadata (never their hashes), each membership with its household,
and per membership the rows that name the member: what they recorded, paid, owe, were
assigned or completed, their open ballots, responses, check-ins and their own income
history. Secret ballots are not there: nothing links one to its voter. Tables are read by
name from the metadata so this ground-floor module imports no feature above it; the
completeness test in tests/api/test_account_rights.py fails on a new member column that is
neither listed here nor in `NOT_EXPORTED` with its reason.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, or_, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from domain.accounts.models import ApiToken, User
from domain.activity.events import MEMBER_DATA_EXPORTED
from domain.activity.service import Actor, record
from domain.households.models import Household, Member

# table → the columns holding a member id that make a row "about" that member.
MEMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "absences": ("member_id",),
    "agreement_versions": ("created_by_member_id",),
    "check_ins": ("member_id", "created_by_member_id"),
    "chores": ("fixed_member_id",),
    "chore_eligible_members": ("member_id",),
    "chore_occurrences": ("assigned_member_id", "completed_by_member_id"),
    "chore_preferences": ("member_id",),
    "decisions": ("proposed_by_member_id", "closed_by_member_id"),
    "decision_voters": ("member_id", "cast_by_member_id"),
    "events": ("actor_member_id", "on_behalf_of_member_id"),
    "expenses": ("created_by_member_id",),
    "expense_payers": ("member_id",),
    "expense_shares": ("member_id",),
    "fairness_proposals": ("created_by_member_id",),
    "fairness_proposal_responses": ("member_id", "responded_by_member_id"),
    "goals": ("created_by_member_id",),
    "goal_contributions": ("member_id", "created_by_member_id"),
    "import_connections": ("created_by_member_id",),
    "import_runs": ("created_by_member_id",),
    "imported_transactions": ("reviewed_by_member_id",),
    "invitations": ("member_id", "created_by_member_id", "accepted_by_member_id"),
    # Only their own incomes: one an admin recorded for someone else is that member's.
    "member_incomes": ("member_id",),
    # Where their reminders go (the URL itself withheld: it is sealed) and which were sent.
    "notification_targets": ("member_id",),
    "pot_contributions": ("member_id", "created_by_member_id"),
    "settlements": ("from_member_id", "to_member_id", "created_by_member_id"),
    "sent_reminders": ("member_id",),
    "time_entries": ("member_id", "created_by_member_id"),
}

# Member columns deliberately left out, and why.
NOT_EXPORTED: dict[tuple[str, str], str] = {
    ("members", "id"): "the membership itself is exported as `member`",
    ("member_incomes", "created_by_member_id"): "another member's private income",
    ("fairness_proposals", "affected_member_ids"): "a list; the proposals are household data",
    ("import_connections", "member_map"): "a mapping of statement names, not a record",
    ("member_totals", "member_id"): "sums kept from the payers, shares and settlements above",
    ("member_day_totals", "member_id"): "daily sums kept from the rows above",
}

# Never exported, whatever the table: hashes, secrets, encrypted credentials.
_WITHHELD = ("hash", "secret", "credential", "password", "cipher", "sealed")


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def _rows(session: Session, table: Table, columns: tuple[str, ...], member_id: str) -> list[Any]:
    keep = [c for c in table.columns if not any(w in c.name for w in _WITHHELD)]
    query = select(*keep).where(or_(*(table.c[name] == member_id for name in columns)))
    return [{k: _value(v) for k, v in row._mapping.items()} for row in session.execute(query)]


def _table(name: str) -> Table:
    table = SQLModel.metadata.tables.get(name)
    if table is None:
        raise LookupError(f"table {name!r} is not loaded: import domain.models first")
    return table


def export_user(session: Session, *, user: User, at: datetime) -> dict[str, Any]:
    """The export, and a `member.data_exported` event in each of the user's households."""
    tokens = session.scalars(
        select(ApiToken).where(col(ApiToken.user_id) == user.id).order_by(col(ApiToken.id))
    )
    members = session.scalars(
        select(Member).where(col(Member.user_id) == user.id).order_by(col(Member.id))
    )
    memberships = []
    for member in members:
        household = session.get(Household, member.household_id)
        assert household is not None
        records = {
            name: _rows(session, _table(name), columns, member.id)
            for name, columns in sorted(MEMBER_COLUMNS.items())
        }
        memberships.append(
            {
                "household": {
                    "id": household.id,
                    "name": household.name,
                    "currency": household.currency,
                    "timezone": household.timezone,
                },
                "member": {
                    c: _value(getattr(member, c))
                    for c in Member.model_fields
                    if c not in ("household_id", "version")
                },
                "records": {name: rows for name, rows in records.items() if rows},
            }
        )
        # Written after reading, so the export does not list its own event.
        record(
            session,
            household_id=member.household_id,
            type=MEMBER_DATA_EXPORTED,
            subject_id=member.id,
            actor=Actor(user_id=user.id, member_id=member.id),
        )
    return {
        "exported_at": at.isoformat(),
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "created_at": _value(user.created_at),
        },
        "tokens": [
            {
                "id": t.id,
                "name": t.name,
                "scopes": t.scopes.split(),
                "household_id": t.household_id,
                "expires_at": _value(t.expires_at),
                "revoked_at": _value(t.revoked_at),
                "created_at": _value(t.created_at),
            }
            for t in tokens
        ],
        "memberships": memberships,
    }
