"""Worker processes for test_reminder_workers.py: the worker's two reminder jobs, as
`fairstead worker` runs them, round after round, started together at a barrier."""

from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from domain.db import make_engine, unit_of_work
from domain.reminders.emitting import send_due_reminders
from integrations.notify import deliver_reminders

ROUNDS = 5


def run_reminder_jobs(url: str, start: Barrier, results: "Queue[tuple[int, int]]") -> None:
    engine = make_engine(url, pool_size=1, busy_timeout_ms=30_000)
    sent = delivered = 0
    start.wait()
    for _ in range(ROUNDS):
        with unit_of_work(engine) as session:
            sent += send_due_reminders(session, now=datetime.now(UTC))
        with unit_of_work(engine) as session:
            delivered += deliver_reminders(session, datetime.now(UTC))
    results.put((sent, delivered))
    engine.dispose()
