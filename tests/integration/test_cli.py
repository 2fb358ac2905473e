"""The `fairstead` command as an operator runs it, in a child process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from migrations.runner import current_revisions, head_revisions

ROOT = Path(__file__).resolve().parents[2]


def fairstead(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAIRSTEAD_DATABASE_URL": f"sqlite:///{database}"}
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
