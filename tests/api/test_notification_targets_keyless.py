"""Without FAIRSTEAD_SECRET_KEY the server cannot seal a notification target's URL: a 409
that says so, and nothing stored."""

import pytest
from sqlalchemy import Engine

from domain.reminders.models import NotificationTarget
from domain.settings import Settings
from tests.api.chores_builders import home_of_two
from tests.api.conftest import Caller, assert_problem, count


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, db_pool_size=20, deliver_in_process=False, secret_key=None
    )


def test_without_a_secret_key_a_target_is_refused_and_nothing_is_stored(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_two(sam, alex)
    response = sam.post(
        home.url(f"members/{home.sam}/notification-targets"),
        json={"url": "ntfys://ntfy.sh/our-flat-sam", "label": "Phone"},
    )
    detail = assert_problem(response, 409)["detail"]
    assert "notification targets" in detail and "FAIRSTEAD_SECRET_KEY" in detail
    assert count(engine, NotificationTarget) == 0
