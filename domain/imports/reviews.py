"""The review queue: imported rows no rule could decide, or that may be a duplicate of a row
from another source. A person decides; the decision sticks even when the source later
changes the row."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import Conflict, InvalidInput
from domain.households.members import check_members, household_members
from domain.households.models import Household
from domain.imports.booking import Booker
from domain.imports.models import Connection, ImportedRow, ImportRun
from domain.imports.pots.rules import pot_of
from domain.imports.records import ImportedTransaction, Kind
from domain.imports.rules import JOINT, Decision, Outcome
from domain.ledger.expenses import money_weights
from domain.ledger.splitting import Participant, SplitMethod
from domain.paging import newest_id_first
from domain.scoping import get_in_household


@dataclass(frozen=True)
class Resolution:
    action: str  # shared | personal | ignore | duplicate
    paid_by: str | None = None
    split_method: SplitMethod = SplitMethod.AGREEMENT
    participants: tuple[Participant, ...] = field(default_factory=tuple)
    category: str | None = None


def list_reviews(
    session: Session, *, household_id: str, after: str | None, limit: int
) -> list[ImportedRow]:
    query = select(ImportedRow).where(
        col(ImportedRow.household_id) == household_id,
        col(ImportedRow.outcome) == Outcome.NEEDS_REVIEW.value,
    )
    query = newest_id_first(query, col(ImportedRow.id), after=after, limit=limit)
    return list(session.scalars(query))


def get_imported(session: Session, *, household_id: str, row_id: str) -> ImportedRow:
    return get_in_household(session, ImportedRow, row_id, household_id, what="imported transaction")


def as_record(row: ImportedRow) -> ImportedTransaction:
    return ImportedTransaction(
        source_id=row.source_id,
        account=row.account,
        date=row.date,
        amount=row.amount,
        currency=row.currency,
        kind=Kind(row.kind),
        payee=row.payee,
        memo=row.memo,
        category=tuple(row.category.split(" / ")) if row.category else (),
        line=row.line,
    )


def _payer(
    session: Session, row: ImportedRow, paid_by: str | None
) -> tuple[str | None, bool, str | None]:
    """(member who paid, paid from the joint account, pot it was paid from)."""
    if paid_by is not None:
        return paid_by, False, None
    connection = session.get(Connection, row.connection_id) if row.connection_id else None
    mapped = connection.account_map.get(row.account) if connection else None
    if mapped is None and not (connection and connection.account_map):
        # As at import time: a file's unmapped accounts are the uploader's.
        run = session.get(ImportRun, row.run_id) if row.run_id else None
        mapped = run.created_by_member_id if run and run.source == "file" else None
    if mapped is None:
        raise InvalidInput(
            f"nobody is known to have paid from account {row.account!r}: give paid_by",
            field="paid_by",
        )
    pot_id = pot_of(mapped)
    joint = mapped == JOINT
    return (None if joint or pot_id else mapped), joint, pot_id


def resolve_review(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    row: ImportedRow,
    resolution: Resolution,
    now: datetime,
) -> ImportedRow:
    if row.outcome != Outcome.NEEDS_REVIEW.value:
        raise Conflict(f"this transaction is already decided ({row.outcome})")
    members = household_members(session, household.id)
    booker = Booker(session, household, actor, money_weights(members), now)
    if resolution.action == "shared":
        paid_by, joint, pot_id = _payer(session, row, resolution.paid_by)
        if paid_by is not None:
            check_members(members, [paid_by], "paid_by", key="")
        decision = Decision(
            Outcome.SHARED,
            "shared on review",
            paid_by=paid_by,
            joint=joint,
            pot_id=pot_id,
            split_method=resolution.split_method,
            participants=resolution.participants,
            category=resolution.category,
        )
        booker.book(row.id, as_record(row), decision)
        session.refresh(row)
        row.outcome, row.reason = Outcome.SHARED.value, decision.reason
    elif resolution.action == "duplicate":
        row.outcome = Outcome.IGNORED.value
        row.reason = (
            f"a duplicate of {row.duplicate_of_id}" if row.duplicate_of_id else ("a duplicate")
        )
    else:
        row.outcome = (
            Outcome.PERSONAL if resolution.action == "personal" else Outcome.IGNORED
        ).value
        row.reason = f"{row.outcome} on review"
    row.reviewed_by_member_id = actor.member_id
    row.version += 1
    row.updated_at = now
    record(
        session,
        household_id=household.id,
        type=events.IMPORT_REVIEW_RESOLVED,
        subject_id=row.id,
        actor=actor,
        data={"action": resolution.action, "outcome": row.outcome},
    )
    session.flush()
    return row
