"""The `fairstead` command as an operator runs it, in a child process."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from migrations.runner import current_revisions, head_revisions
from tests.api.conftest import TEST_SECRET_KEY, Caller, sign_up

ROOT = Path(__file__).resolve().parents[2]


def fairstead(*args: str, database: Path, **more: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "FAIRSTEAD_DATABASE_URL": f"sqlite:///{database}",
        "FAIRSTEAD_SECRET_KEY": TEST_SECRET_KEY,
        **more,
    }
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_brings_a_new_database_to_the_newest_revision(tmp_path: Path) -> None:
    database = tmp_path / "fresh.db"
    result = fairstead("migrate", database=database)
    assert result.returncode == 0, result.stderr
    assert current_revisions(create_engine(f"sqlite:///{database}")) == head_revisions()


def test_worker_once_runs_every_job_and_exits(tmp_path: Path) -> None:
    result = fairstead("worker", "--once", database=tmp_path / "worker.db")
    assert result.returncode == 0, result.stderr
    assert "failed" not in result.stderr


def test_openapi_check_passes_on_the_committed_document(tmp_path: Path) -> None:
    result = fairstead("openapi", "--check", database=tmp_path / "unused.db")
    assert result.returncode == 0, result.stderr + result.stdout


def test_openapi_check_fails_on_a_drifted_document(tmp_path: Path) -> None:
    drifted = tmp_path / "openapi.json"
    drifted.write_text("{}\n")
    result = fairstead("openapi", "--check", "--output", str(drifted), database=tmp_path / "u.db")
    assert result.returncode == 1
    assert "drifts" in result.stderr


@pytest.mark.parametrize("command", [["serve", "--port", "notaport"], ["nonsense"]])
def test_bad_arguments_exit_with_usage(tmp_path: Path, command: list[str]) -> None:
    result = fairstead(*command, database=tmp_path / "u.db")
    assert result.returncode == 2
    assert "usage: fairstead" in result.stderr


def test_serve_migrates_then_answers_healthz_and_readyz(tmp_path: Path) -> None:
    import socket
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "FAIRSTEAD_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "server did not start within 60 s"
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_version_is_the_package_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    result = fairstead("--version", database=tmp_path / "u.db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"fairstead {version('fairstead')}"


def _world(
    database: Path, then: Callable[[Caller, str], None] = lambda *_: None, **settings: Any
) -> tuple[Caller, Caller, str]:
    """Two users, Sam with two households and Alex with one, on a migrated database file;
    `then(sam, household_id)` runs while the app is still up."""
    from api.app import create_app
    from domain.settings import Settings

    assert fairstead("migrate", database=database).returncode == 0
    app = create_app(
        Settings(
            database_url=f"sqlite:///{database}",
            deliver_in_process=False,
            secret_key=TEST_SECRET_KEY,
            **settings,
        )
    )
    with TestClient(app) as client:
        sam, alex = sign_up(client, "Sam"), sign_up(client, "Alex")
        sam.household("Elm Street")
        mine = sam.household("Allotment")["id"]
        alex.household("Alex alone")
        then(sam, mine)
    return sam, alex, mine


def test_households_lists_ids_and_names_for_one_account_or_all(tmp_path: Path) -> None:
    database = tmp_path / "h.db"
    sam, _, allotment = _world(database)
    everyone = fairstead("households", database=database)
    assert everyone.returncode == 0, everyone.stderr
    assert [line.split("\t")[1] for line in everyone.stdout.splitlines()] == [
        "Alex alone",
        "Allotment",
        "Elm Street",
    ]
    only_sam = fairstead("households", "--email", sam.email.upper(), database=database)
    assert only_sam.returncode == 0, only_sam.stderr
    lines = only_sam.stdout.splitlines()
    assert [line.split("\t")[1] for line in lines] == ["Allotment", "Elm Street"]
    assert f"{allotment}\tAllotment" in lines
    nobody = fairstead("households", "--email", "nobody@example.org", database=database)
    assert nobody.returncode == 1 and "no account" in nobody.stderr and nobody.stdout == ""


def test_worker_once_prints_a_summary_and_warns_once_about_refused_deliveries(
    tmp_path: Path,
) -> None:
    database = tmp_path / "w.db"

    def hook_and_two_members(sam: Caller, home: str) -> None:
        hook = sam.post(
            f"/v1/households/{home}/webhooks",
            json={"url": "http://127.0.0.1:9/hook", "events": ["*"]},
        )
        assert hook.status_code == 201, hook.text
        for name in ("Robin", "Kim"):
            sam.member(home, display_name=name)

    _world(database, hook_and_two_members, webhook_allow_private=True)
    result = fairstead("worker", "--once", database=database)
    assert result.returncode == 0, result.stderr
    summary = [line for line in result.stdout.splitlines() if line.startswith("worker --once:")]
    assert len(summary) == 1, result.stdout
    assert "recurring_expenses 0" in summary[0] and "connection_sync 0" in summary[0]
    assert "webhook deliveries 0 sent, 3 failed (3 refused)" in summary[0]
    warnings = [line for line in result.stderr.splitlines() if "refused by this process" in line]
    assert len(warnings) == 1 and "FAIRSTEAD_WEBHOOK_ALLOW_PRIVATE=false" in warnings[0]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("not a url", "not a database URL"),
        ("mysql://someone@db/fairstead", "not a database URL"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot reach the database"),
        ("sqlite:////no/such/directory/fairstead.db", "cannot reach the database"),
    ],
)
@pytest.mark.parametrize(
    "command", [["migrate"], ["serve", "--port", "1"], ["import", "x.qif", "--household", "h"]]
)
def test_a_bad_database_url_is_one_clear_line(
    tmp_path: Path, url: str, says: str, command: list[str]
) -> None:
    (tmp_path / "x.qif").write_text("!Type:Bank\nD01/02/2026\nT-1.00\n^\n")
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", *command],
        cwd=tmp_path,
        env={**os.environ, "FAIRSTEAD_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert lines[0].startswith("fairstead: ") and "Traceback" not in result.stderr


def test_a_too_short_secret_key_stops_the_server_with_one_line(tmp_path: Path) -> None:
    result = fairstead("serve", database=tmp_path / "k.db", FAIRSTEAD_SECRET_KEY="short")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "fairstead: cannot start: FAIRSTEAD_SECRET_KEY: too short: 5 characters, at least 16 "
        "needed (a random string, e.g. 'openssl rand -base64 32')"
    ]
    assert not (tmp_path / "k.db").exists()
