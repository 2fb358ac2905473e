"""The race suite's servers: two `fairstead serve` processes on SQLite, then on PostgreSQL.

PostgreSQL is skipped with one line when it is not reachable, except under CI (CI=true),
where that fails the run.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.races import servers
from tests.races.world import REPORT, table


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, list[httpx.Client]]]:
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url: str | None = f"sqlite:///{folder / 'races.db'}"
    else:
        url = servers.postgres_url()
        if url is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL is not reachable at {servers.PG_SERVER}")
            pytest.skip(f"PostgreSQL is not reachable at {servers.PG_SERVER}")
    assert url is not None
    try:
        with servers.two_servers(url, folder) as bases:
            clients = [httpx.Client(base_url=base, timeout=30) for base in bases]
            try:
                yield request.param, clients
            finally:
                for client in clients:
                    client.close()
    finally:
        if request.param == "postgresql":
            servers.drop_postgres()
        _show_tracebacks(folder)


def _show_tracebacks(folder: Path) -> None:
    for log in sorted(folder.glob("server*.log")):
        text = log.read_text(errors="replace")
        if "Traceback" in text:
            print(f"\n--- {log.name} ---\n{text[-4000:]}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORT:
        terminalreporter.section("races")
        for line in table():
            terminalreporter.write_line(line)
