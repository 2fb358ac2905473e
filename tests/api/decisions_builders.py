"""Builders the decision tests share: a household with voters, decisions, ballots, clocks."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.decisions.models import Decision
from tests.api.conftest import Caller, count, join


@dataclass(frozen=True)
class Home:
    """Sam (admin) and Alex (member), both with accounts, and Kid, a managed member."""

    id: str
    sam: str
    alex: str
    kid: str

    def url(self, *parts: str) -> str:
        return "/".join([f"/v1/households/{self.id}/decisions", *parts])

    @property
    def activity(self) -> str:
        return f"/v1/households/{self.id}/activity"


def own_member_id(caller: Caller, household_id: str) -> str:
    rows = caller.get(f"/v1/households/{household_id}/members").json()["data"]
    member_id: str = next(m["id"] for m in rows if m["user_id"] == caller.user_id)
    return member_id


def home_of(sam: Caller, alex: Caller) -> Home:
    household = sam.household()
    alex_member = join(sam, alex, household["id"])
    kid = sam.member(household["id"], display_name="Kid")
    return Home(household["id"], own_member_id(sam, household["id"]), alex_member["id"], kid["id"])


def later(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def propose(caller: Caller, home: Home, **fields: Any) -> dict[str, Any]:
    body = {"title": "Holiday", "method": "majority", "options": ["Sea", "Mountains"]}
    body |= {"ballot": "open", **fields}
    response = caller.post(home.url(), json=body)
    assert response.status_code == 201, response.text
    decision: dict[str, Any] = response.json()
    return decision


def option(decision: dict[str, Any], label: str) -> str:
    option_id: str = next(o["id"] for o in decision["options"] if o["label"] == label)
    return option_id


def vote(caller: Caller, home: Home, decision: dict[str, Any], member_id: str, ballot: Any) -> Any:
    return caller.put(home.url(decision["id"], "votes", member_id), json=ballot)


def cast(caller: Caller, home: Home, decision: dict[str, Any], member_id: str, ballot: Any) -> None:
    response = vote(caller, home, decision, member_id, ballot)
    assert response.status_code == 200, response.text


def close(caller: Caller, home: Home, decision: dict[str, Any]) -> dict[str, Any]:
    response = caller.post(home.url(decision["id"], "close"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def move_deadline(engine: Engine, decision_id: str, *, seconds_ago: int = 60) -> datetime:
    """Put a decision's deadline in the past behind the API's back, as time passing would."""
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=seconds_ago)
    with Session(engine) as session, session.begin():
        session.execute(update(Decision).where(Decision.id == decision_id).values(closes_at=when))
    return when


def events(engine: Engine, kind: str) -> int:
    return count(engine, Event, Event.type == kind)
