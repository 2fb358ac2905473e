"""Worker processes for test_sqlite_concurrency.py.

Kept apart from the test module so each spawned process imports only the domain code it
exercises, not FastAPI and the test fixtures.
"""

from multiprocessing.synchronize import Barrier

from domain.activity import events
from domain.activity.service import Actor, record
from domain.db import make_engine, unit_of_work
from domain.households.models import Household

EVENTS_EACH = 500
INCREMENTS_EACH = 200
BUSY_TIMEOUT_MS = 30_000


def record_events(url: str, household_id: str, start: Barrier, worker: int) -> None:
    """One transaction per event, as a request would do it."""
    engine = make_engine(url, pool_size=1, busy_timeout_ms=BUSY_TIMEOUT_MS)
    start.wait()
    for i in range(EVENTS_EACH):
        with unit_of_work(engine) as session:
            record(
                session,
                household_id=household_id,
                type=events.HOUSEHOLD_UPDATED,
                subject_id=None,
                actor=Actor(user_id=None, member_id=None),
                data={"worker": worker, "i": i},
            )
    engine.dispose()


def increment_version(url: str, household_id: str, start: Barrier, worker: int) -> None:
    """Read the row, add one, write it back: the lost-update pattern."""
    engine = make_engine(url, pool_size=1, busy_timeout_ms=BUSY_TIMEOUT_MS)
    start.wait()
    for _ in range(INCREMENTS_EACH):
        with unit_of_work(engine) as session:
            household = session.get(Household, household_id)
            assert household is not None
            household.version += 1
    engine.dispose()
