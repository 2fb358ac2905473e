"""What the household page shows, through the domain's own queries: members, the agreement
in force, pending invitations and a page of the activity feed."""

from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy.orm import Session

from api.pagination import decode_cursor, encode_cursor
from domain.activity.service import list_events
from domain.agreement import versions as agreements
from domain.fairness.responding import pending_agreement_change
from domain.households.invitations import pending_invitations
from domain.households.members import household_members
from domain.households.service import Membership

FEED = 20


def percent_text(value: Fraction) -> str:
    """1/20 → `5`, 1/3 → `33.33`: a share as the form shows it."""
    text = f"{float(value) * 100:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def agreement_values(version: agreements.Version) -> dict[str, str]:
    a = version.agreement
    values = {
        "version": str(version.number),
        "money_target": a.money.value,
        "time_target": a.time.value,
        "period": a.period.value,
        "tolerance": percent_text(a.tolerance),
    }
    for member_id, weight in a.money_weights.items():
        values[f"money-{member_id}"] = percent_text(weight / 100)
    for member_id, weight in a.time_weights.items():
        values[f"time-{member_id}"] = percent_text(weight / 100)
    return values


def describe(event_type: str, data: dict[str, Any], names: dict[str, str]) -> str:
    """One line of the feed: the event's type and the names or words it carries."""
    words = event_type.replace(".", " ").replace("_", " ")
    detail = data.get("description") or data.get("display_name") or data.get("title") or ""
    return f"{words}: {detail}" if detail else words


def household_context(
    session: Session, membership: Membership, at: datetime, cursor: str | None
) -> dict[str, Any]:
    household = membership.household
    members = household_members(session, household.id)
    names = {i: m.display_name for i, m in members.items()}
    after = decode_cursor(cursor) if cursor else None
    rows = list_events(session, household_id=household.id, before_id=after, limit=FEED + 1)
    events = rows[:FEED]
    version = agreements.in_force(session, household.id, None)
    return {
        "members": list(members.values()),
        "names": names,
        "me": membership.member,
        "is_admin": membership.is_admin,
        "agreement": version,
        "pending_change": pending_agreement_change(session, household_id=household.id),
        "invitations": pending_invitations(session, household_id=household.id, now=at),
        "events": [(e, describe(e.type, e.data or {}, names)) for e in events],
        "feed_cursor": encode_cursor(events[-1].id) if len(rows) > FEED and events else None,
        "feed_from": cursor,
    }
