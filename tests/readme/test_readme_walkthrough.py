"""The README runs as written: its walk-through against a fresh `fairstead serve`.

A real server process on a free port with its own SQLite file; the blocks run in bash with
`API` pointing at it, in the household's time zone so "today" is the same day for both.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.readme import walkthrough

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "FAIRSTEAD_DATABASE_URL": f"sqlite:///{tmp_path / 'readme.db'}",
        "FAIRSTEAD_DELIVER_IN_PROCESS": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("fairstead serve did not become ready")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_readme_walkthrough_runs_as_written(server: str, tmp_path: Path) -> None:
    work = tmp_path / "reader"
    work.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(work), "API": server, "TZ": "Europe/Berlin"}
    problems = walkthrough.run(README, work, env, timeout=240)
    assert not problems, "\n\n".join(problems)


def test_walkthrough_blocks_are_marked_and_expectations_found() -> None:
    readme = README.read_text()
    found = walkthrough.steps(readme)
    assert len(walkthrough.blocks(readme)) >= 8
    assert sum(len(step.expected) for step in found) >= 10


def test_an_expectation_cuts_a_block_after_its_command() -> None:
    text = "\n".join(["<!-- walkthrough -->", "```sh", "A=1", "echo $A", "# → 1", "echo 2", "```"])
    found = walkthrough.steps(text)
    assert [(s.script, s.expected) for s in found] == [("A=1\necho $A", ("1",)), ("echo 2", ())]


def test_a_changed_output_is_reported(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("<!-- walkthrough -->\n```sh\necho 4250\n# → 4251\n```\n")
    work = tmp_path / "w"
    work.mkdir()
    problems = walkthrough.run(readme, work, {"PATH": os.environ["PATH"]}, timeout=30)
    assert len(problems) == 1 and "4250" in problems[0] and "4251" in problems[0]


def test_a_failing_command_is_reported(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("<!-- walkthrough -->\n```sh\nfalse\necho never\n```\n")
    work = tmp_path / "w"
    work.mkdir()
    problems = walkthrough.run(readme, work, {"PATH": os.environ["PATH"]}, timeout=30)
    assert problems and "exited 1" in problems[-1]
