"""Each reminder once across two worker processes running at the same moment, and across
restarts (`fairstead worker --once` again), on SQLite and on PostgreSQL; each Apprise
delivery reaches the receiver once."""

import multiprocessing
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from api.app import create_app
from domain.activity.models import Event
from domain.fairness.models import Proposal
from domain.households.models import Member
from domain.reminders.finding import KINDS
from domain.reminders.models import ReminderDelivery, SentReminder
from domain.settings import Settings, get_settings
from tests.api.conftest import join, sign_up
from tests.integration.reminder_workers import run_reminder_jobs
from tests.integrations.receiver import Receiver, Reply, running_receiver

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "a-test-secret-key-of-some-length"
# Due at local midnight, so a chore of today is due whatever the hour the test runs at.
WORKER_ENV = {"FAIRSTEAD_SECRET_KEY": SECRET_KEY, "FAIRSTEAD_REMINDER_DUE_TIME": "00:00"}
# Sam: today's chore, the vote, the check-in. Alex: yesterday's chore (overdue), the vote,
# Sam's proposal, the check-in. Kid (managed): the vote, the proposal, the check-in.
EXPECTED = {
    "chore.due": 1,
    "chore.overdue": 1,
    "decision.closing_soon": 3,
    "proposal.awaiting_response": 2,
    "check_in.due": 3,
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        receiver.answer(Reply(status=200))
        yield receiver


@pytest.fixture(autouse=True)
def worker_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in WORKER_ENV.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def household_with_everything_due(url: str, engine: Engine, receiver: Receiver) -> None:
    settings = Settings(
        database_url=url,
        deliver_in_process=False,
        secret_key=SECRET_KEY,
        webhook_allow_private=True,
        rate_limit_enabled=False,
    )
    today = datetime.now(UTC).date()
    with TestClient(create_app(settings, engine=engine)) as client:
        sam, alex = sign_up(client, "Sam"), sign_up(client, "Alex")
        home = sam.household()
        hid = home["id"]
        url_of = f"/v1/households/{hid}"
        assert (
            sam.patch(url_of, json={"timezone": "UTC", "check_in_every_days": 1}).status_code == 200
        )
        members = sam.get(f"{url_of}/members").json()["data"]
        sam_id = members[0]["id"]
        alex_id = join(sam, alex, hid)["id"]
        sam.member(hid, display_name="Kid")
        chore = {"estimated_minutes": 10, "effort": 1, "load": "execution"}
        for name, member, recurrence, starts in (
            ("Dishes", sam_id, "FREQ=DAILY", today),
            ("Tax form", alex_id, None, today - timedelta(days=1)),
        ):
            made = sam.post(
                f"{url_of}/chores",
                json={
                    **chore,
                    "name": name,
                    "recurrence": recurrence,
                    "starts_on": starts.isoformat(),
                    "assignment": {"strategy": "fixed", "member_id": member},
                },
            )
            assert made.status_code == 201, made.text
        closes = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
        vote = sam.post(
            f"{url_of}/decisions",
            json={
                "title": "Holiday",
                "method": "majority",
                "options": ["Sea", "Hills"],
                "ballot": "open",
                "closes_at": closes,
            },
        )
        assert vote.status_code == 201, vote.text
        assert sam.put(f"{url_of}/agreement", json={"period": "week"}).status_code == 202
        target = sam.post(
            f"{url_of}/members/{sam_id}/notification-targets",
            json={"url": receiver.url.replace("http://", "json://")},
        )
        assert target.status_code == 201, target.text
        assert sam.get(f"{url_of}/chore-occurrences").status_code == 200
    with Session(engine) as session, session.begin():
        # The proposal has waited past the quiet interval; everyone joined two days ago.
        earlier = datetime.now(UTC) - timedelta(hours=49)
        session.execute(update(Proposal).values(created_at=earlier))
        session.execute(update(Member).values(created_at=datetime.now(UTC) - timedelta(days=2)))


def counts(engine: Engine) -> tuple[Counter[str], Counter[str], int]:
    with Session(engine) as session:
        sent = Counter(
            dict(
                session.execute(
                    select(SentReminder.kind, func.count()).group_by(SentReminder.kind)
                ).all()
            )
        )
        recorded = Counter(
            dict(
                session.execute(
                    select(Event.type, func.count())
                    .where(Event.type.in_(KINDS))
                    .group_by(Event.type)
                ).all()
            )
        )
        delivered = (
            session.scalar(
                select(func.count())
                .select_from(ReminderDelivery)
                .where(ReminderDelivery.sent_at.is_not(None))
            )
            or 0
        )
    return sent, recorded, delivered


def worker_once(url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **WORKER_ENV, "FAIRSTEAD_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "worker", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_two_workers_and_restarts_send_each_reminder_once(
    database_url: str, engine: Engine, receiver: Receiver
) -> None:
    household_with_everything_due(database_url, engine, receiver)
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=run_reminder_jobs, args=(database_url, start, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert [w.exitcode for w in workers] == [0, 0]
    per_worker = [results.get(timeout=5) for _ in workers]

    sent, recorded, delivered = counts(engine)
    assert sent == Counter(EXPECTED)
    assert recorded == sent  # no event without its reminder, none twice
    assert sum(s for s, _ in per_worker) == sum(EXPECTED.values())
    sams = EXPECTED["chore.due"] + 1 + 1  # Sam's chore, vote and check-in reach Sam's target
    assert delivered == sams == sum(d for _, d in per_worker)
    assert len(receiver.received) == sams

    for _ in range(2):  # restarts: the worker as an operator runs it
        result = worker_once(database_url)
        assert result.returncode == 0, result.stderr
        assert " reminders 0, " in result.stdout, result.stdout
        assert " reminder_notifications 0;" in result.stdout, result.stdout
    assert counts(engine) == (sent, recorded, delivered)
    assert len(receiver.received) == sams
