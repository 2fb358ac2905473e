"""A pot's kept state after each day that has entries (the `pot_days` table).

A change to a pot dated D replays only the entries dated D or later, starting from the state
kept for the last day before D; so one more bill at the end of a long history replays that
bill's day alone, and a back-dated one replays from its date. The pot's balance and stakes
are read from its latest day. `reallocate` (timeline.py) keeps these rows in the same
transaction as the change; `fairstead verify` compares them with a full replay.
"""

from datetime import date
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from domain.ledger.pots.models import PotDay
from domain.ledger.pots.replay import PotState

_DAYS: Table = SQLModel.metadata.tables[PotDay.__tablename__]


def state_before(session: Session, pot_id: str, day: date | None) -> PotState:
    """The pot after every entry dated before `day` (after all of them when None)."""
    query = select(col(PotDay.state)).where(col(PotDay.pot_id) == pot_id)
    if day is not None:
        query = query.where(col(PotDay.date) < day)
    kept = session.scalar(query.order_by(col(PotDay.date).desc()).limit(1))
    return PotState() if kept is None else PotState.restore(kept)


def keep(
    session: Session, pot_id: str, since: date | None, days: list[tuple[date, dict[str, Any]]]
) -> None:
    """Replace the kept days from `since` on (all of them when None) with `days`."""
    query = delete(PotDay).where(col(PotDay.pot_id) == pot_id)
    if since is not None:
        query = query.where(col(PotDay.date) >= since)
    session.execute(query)
    if days:
        session.execute(
            _DAYS.insert(), [{"pot_id": pot_id, "date": day, "state": state} for day, state in days]
        )


def kept_days(session: Session, pot_id: str) -> list[tuple[date, dict[str, Any]]]:
    rows = session.execute(
        select(col(PotDay.date), col(PotDay.state))
        .where(col(PotDay.pot_id) == pot_id)
        .order_by(col(PotDay.date))
    )
    return [(day, state) for day, state in rows]
