"""Schemathesis against the real app: uvicorn on loopback, two peer users, a seeded world.

The command line (not the Python API) is what runs, so what passes here passes for anyone
running `schemathesis run` by hand; the app serves from a thread of the test process so it
shares the test's database and its connector stub. Path parameters are pinned to household
A's real ids, so generated requests reach real objects instead of 404ing on random strings.
"""

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from tests.api.tenant_world import World

# Deleting these would end the run early (the household and every object in it, or the
# caller's own membership): they get throwaway ones of their own instead.
DISPOSABLE = {
    "delete_household": "household_id",
    "delete_member": "member_id",
}


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn on 127.0.0.1, on a free port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def write_auth(world: World, directory: Path) -> Path:
    """A Web Fuzzing Commons auth document: the owner first (it makes the requests), the
    peer second (the object-level authorisation check replays reads as them)."""
    users = [("owner", world.owner.token), ("peer", world.peer.token)]
    document = {
        "auth": [
            {
                "name": name,
                "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {token}"}],
            }
            for name, token in users
        ]
    }
    path = directory / "auth.json"
    path.write_text(json.dumps(document))
    return path


def _toml(value: object) -> str:
    return json.dumps(value)


def write_config(
    world: World, spare: dict[str, str], directory: Path, *, max_examples: int, deep: bool
) -> Path:
    """schemathesis.toml: every check, both users as peers (which makes the object-level
    authorisation check active), the phases, and the ids to use for path parameters."""
    auth = write_auth(world, directory)
    lines = [
        "workers = 1",
        # The short run is the same every time; the deep one explores (its seed is printed).
        *([] if deep else ["seed = 9"]),
        "max-failures = 200",
        "continue-on-failure = true",
        "request-timeout = 30",
        "[auth.wfc]",
        f"path = {_toml(str(auth))}",
        'peers = ["owner", "peer"]',
        "[checks]",
        "enabled = true",
        "[generation]",
        f"max-examples = {max_examples}",
        # NUL characters are the classic way text reaches PostgreSQL in a shape it rejects.
        "allow-x00 = true",
        "[phases.coverage]",
        "generate-duplicate-query-parameters = true",
        "[phases.stateful]",
        f"enabled = {'true' if deep else 'false'}",
        "max-steps = 20",
        "[parameters]",
    ]
    for name, values in world.ids.items():
        lines.append(f"{_toml('path.' + name)} = {_toml(values[0])}")
    for operation, name in DISPOSABLE.items():
        lines += [
            "[[operations]]",
            f"include-operation-id = {_toml(operation)}",
            "[operations.parameters]",
            f"{_toml('path.' + name)} = {_toml(spare[name])}",
        ]
    path = directory / "schemathesis.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_schemathesis(base_url: str, config: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        # Excluded, for a reason: a schema cannot say what this API also checks against its
        # data (a cursor must be one it gave out, a member_id a member of this household, 'to'
        # not before 'from', a webhook URL must resolve), so a schema-valid request is rightly
        # a 422 on most operations. The converse, negative_data_rejection, stays on.
        "--exclude-checks",
        "positive_data_acceptance",
        "--no-color",
        "--generation-database",
        "none",
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        cwd=config.parent,  # its cache directory lands beside the config, not in the repo
    )
