"""Recording and reading the household's activity: who did what, newest first."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from domain.activity.events import CATALOG, EventType
from domain.activity.models import Event
from domain.bulk import insert_rows
from domain.ids import new_id
from domain.paging import newest_id_first
from domain.tables import utcnow


@dataclass(frozen=True)
class Actor:
    """Who made a change, and for whom when an admin acts for a managed member."""

    user_id: str | None
    member_id: str | None
    on_behalf_of_member_id: str | None = None


# What the system does on its own (a deadline passes, a recurring expense comes due, a
# scheduled sync or a reminder runs) is nobody's action: the one actor for all of them.
SYSTEM = Actor(user_id=None, member_id=None)


def record(
    session: Session,
    *,
    household_id: str | None,
    type: EventType,
    subject_id: str | None,
    actor: Actor,
    data: dict[str, Any] | None = None,
) -> Event:
    if CATALOG.get(type.name) is not type:
        raise LookupError(f"{type.name!r} is not declared in domain.activity.events")
    event = Event(
        household_id=household_id,
        type=type.name,
        subject_id=subject_id,
        actor_user_id=actor.user_id,
        actor_member_id=actor.member_id,
        on_behalf_of_member_id=actor.on_behalf_of_member_id,
        data=data or {},
    )
    session.add(event)
    return event


def event_row(
    *,
    household_id: str | None,
    type: EventType,
    subject_id: str | None,
    actor: Actor,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`record`'s event as a plain row, for writers that insert many at once (`insert_events`)."""
    if CATALOG.get(type.name) is not type:
        raise LookupError(f"{type.name!r} is not declared in domain.activity.events")
    return {
        "id": new_id(),
        "household_id": household_id,
        "type": type.name,
        "subject_id": subject_id,
        "actor_user_id": actor.user_id,
        "actor_member_id": actor.member_id,
        "on_behalf_of_member_id": actor.on_behalf_of_member_id,
        "data": data or {},
        "created_at": utcnow(),
    }


# The Core table (SQLModel does not declare `__table__`): plain executemany, no ORM bulk path.
_EVENTS: Table = SQLModel.metadata.tables[Event.__tablename__]


def insert_events(session: Session, rows: list[dict[str, Any]]) -> None:
    """Many events in one statement (executemany)."""
    insert_rows(session, _EVENTS, rows)


def list_events(
    session: Session, *, household_id: str, before_id: str | None, limit: int
) -> list[Event]:
    query = select(Event).where(col(Event.household_id) == household_id)
    query = newest_id_first(query, col(Event.id), after=before_id, limit=limit)
    return list(session.scalars(query))
