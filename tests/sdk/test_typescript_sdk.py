"""A TypeScript client generated from openapi/openapi.json drives a live `fairstead serve`
through the same household flow as the Python one (tests/sdk/expected.py).

sdk/typescript: openapi-typescript turns the document into types (src/schema.d.ts),
openapi-fetch makes the requests, `tsc --strict` compiles src/flow.ts against them, and
node runs it. Generator and compiler must print no warning and no error; their output is
kept in build/sdk-logs/typescript-generator.txt and build/sdk-logs/tsc.txt. `make test-sdk` installs
the packages with `npm ci` from the committed package-lock.json.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import ROOT, serve
from tests.sdk.expected import SUMMARY

PROJECT = ROOT / "sdk" / "typescript"
LOGS = ROOT / "build" / "sdk-logs"
NPM = shutil.which("npm")


def run(*command: str, log: str) -> str:
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / log).write_text(output)
    assert done.returncode == 0, output
    return output


@pytest.fixture(scope="module")
def compiled() -> Path:
    assert NPM, "npm is needed for the TypeScript client (Debian: apt-get install npm)"
    if not (PROJECT / "node_modules").exists():
        run(NPM, "ci", "--no-audit", "--no-fund", log="npm-ci.txt")
    output = run(
        "node_modules/.bin/openapi-typescript",
        "../../openapi/openapi.json",
        "--output",
        "src/schema.d.ts",
        log="typescript-generator.txt",
    )
    lines = [line for line in output.splitlines() if line.strip()]
    assert [line for line in lines if "openapi-typescript" not in line and "→" not in line] == []
    run("node_modules/.bin/tsc", "--strict", "-p", "tsconfig.json", log="tsc.txt")
    assert (LOGS / "tsc.txt").read_text() == ""
    return PROJECT / "dist" / "flow.js"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("served")) as base:
        yield base


def test_the_typescript_client_runs_the_household_flow(compiled: Path, server: str) -> None:
    done = subprocess.run(
        ["node", str(compiled)],
        env={**os.environ, "FAIRSTEAD_URL": server},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == SUMMARY
